#!/usr/bin/env bash
# The GPU figures of the Speed section in one run that fits a short lease on one GPU
# (at most 9 minutes: each step has a time limit). From the repository root:
#
#     bash tools/gpu-check.sh OUT_DIR
#
# It needs a python3 with PyTorch (CUDA), sentencepiece, sacrebleu, safetensors and
# scikit-learn, and no install: engine/ runs from the checkout (PYTHONPATH). Each step has
# its own time limit and writes into OUT_DIR as it goes (a step that fails or runs out of
# time leaves the others' files), and summary.txt gathers the tables at the end:
#   env.txt                      GPU, driver, torch, CUDA and cuDNN versions
#   default.json / .txt          s2s bench, default model (2x256 LSTM, dot), batches of 64
#   default-tokens.json / .txt   the same model, token-budget batches that fill the GPU
#   paper.json / .txt            resources/configs/paper.toml (4x1000, no attention)
#   paper-80k.json / .txt        the same with the paper's 80k target vocabulary (--vocab 80000)
#   train.log, translate.txt     s2s train on CUDA for 30 s, then s2s translate (beam 5)
#   syncs.txt                    host syncs per training step (tools/cuda_syncs.py)
# The GUI stall probe is not run: PySide6 is not on the GPU machines this project uses.
#
# PACK=FILE.tgz packs OUT_DIR (less work/) into FILE.tgz after every step, so that a run
# cut off by a time limit still hands back what it measured: on a lent GPU machine,
#     PACK=$OUT/gpu.tgz bash tools/gpu-check.sh /tmp/gpu
#
# DEVICE=cpu SECONDS_PER_FIGURE=1 SENTENCES=20 QUICK=1 runs the other steps on a CPU with
# small settings (~2 minutes): a check of this script, not figures.
set -u
out=${1:?usage: bash tools/gpu-check.sh OUT_DIR}
mkdir -p "$out/work"
out=$(cd "$out" && pwd)
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
py=${PYTHON:-python3}
device=${DEVICE:-cuda}
seconds=${SECONDS_PER_FIGURE:-8}
sentences=${SENTENCES:-1000}
quick=${QUICK:-0}
s2s=("$py" -m engine.cli)  # the s2s command, from the checkout

pack() {  # PACK=FILE.tgz: the results so far, packed after every step
    [ -n "${PACK:-}" ] && tar czf "$PACK" -C "$out" --exclude work . 2>/dev/null
    return 0
}

step() {  # step NAME LIMIT_S COMMAND...: run with a time limit, log its status
    local name=$1 limit=$2 start=$SECONDS rc
    shift 2
    echo "== $name (limit ${limit}s)"
    timeout --kill-after=10 "$limit" "$@"
    rc=$?
    echo "== $name: rc $rc in $((SECONDS - start))s" | tee -a "$out/steps.txt"
    pack
}

bench() {  # bench NAME LIMIT_S [CONFIG] [extra s2s bench arguments]
    local name=$1 limit=$2
    shift 2
    step "bench $name" "$limit" "${s2s[@]}" bench --device "$device" --json \
        --seconds "$seconds" --sentences "$sentences" "$@" \
        >"$out/$name.json" 2>"$out/$name.err"  # "$@" last: its --sentences wins
    "$py" -c 'import json, sys
from engine.bench.table import format_table
print(format_table(json.load(open(sys.argv[1]))))' "$out/$name.json" >"$out/$name.txt" \
        2>>"$out/$name.err" && cat "$out/$name.txt"
}

: >"$out/steps.txt"
{
    date -u
    nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv 2>&1
    "$py" -c 'import torch
print("torch", torch.__version__, "cuda", torch.version.cuda,
      "cudnn", torch.backends.cudnn.version(), "gpu", torch.cuda.is_available()
      and torch.cuda.get_device_name())'
} >"$out/env.txt" 2>&1
cat "$out/env.txt"

# The model the issue names, as `make bench` measures it on the CPU.
bench default 140  # with the largest-batch search, on CUDA by default
# The same model in token-budget batches (train.batch_tokens), the way a GPU is filled.
cat >"$out/work/default-tokens.toml" <<'EOF'
[model]
cell = "lstm"
layers = 2
emb = 256
hidden = 256
attention = "dot"
dropout = 0.0

[train]
batch_tokens = 48000
EOF
if [ "$quick" = 1 ]; then
    sed -i 's/^batch_tokens = .*/batch_tokens = 2000/' "$out/work/default-tokens.toml"
fi
bench default-tokens 90 "$out/work/default-tokens.toml" --no-max-batch
if [ "$quick" = 1 ]; then  # 4 x 1000 cells would only run out of time on a CPU
    echo "== QUICK=1: paper and paper-80k not benchmarked" | tee -a "$out/steps.txt"
else  # the big model decodes 200 sentences, not 1,000, and skips the batch search
    bench paper 95 resources/configs/paper.toml --sentences 200 --no-max-batch
    bench paper-80k 95 resources/configs/paper.toml --vocab 80000 --sentences 200 --no-max-batch
fi

# The trainer itself on the device: checkpoints, evaluation and the OOM guard run as
# in a real run; then a run directory translates.
train_minutes=0.5
[ "$quick" = 1 ] && train_minutes=0.1
rm -rf "$out/work/run"
step "train" 50 "${s2s[@]}" train resources/configs/reverse.toml --out "$out/work/run" \
    --device "$device" --max-minutes "$train_minutes" >"$out/train.log" 2>&1
tail -n 5 "$out/train.log"
printf 'a b c d e f\nh e l l o w o r l d\nq u i c k\n' >"$out/work/in.txt"
step "cuda syncs" 45 "$py" tools/cuda_syncs.py --steps 30 >"$out/syncs.txt" 2>&1
cat "$out/syncs.txt"
step "translate" 25 "${s2s[@]}" translate "$out/work/run" --device "$device" --beam 5 \
    --nbest 2 <"$out/work/in.txt" >"$out/translate.txt" 2>&1
cat "$out/translate.txt"

{
    cat "$out/env.txt"
    echo
    cat "$out/steps.txt"
    for name in default default-tokens paper paper-80k; do
        echo
        echo "## $name"
        cat "$out/$name.txt" 2>/dev/null || tail -n 3 "$out/$name.err"
    done
    echo
    echo "## train (last lines), translate, syncs"
    tail -n 5 "$out/train.log"
    cat "$out/translate.txt" "$out/syncs.txt"
} >"$out/summary.txt"
pack
echo "summary: $out/summary.txt"
