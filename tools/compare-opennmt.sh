#!/usr/bin/env bash
# Head to head with OpenNMT-py 3.5.1 on this machine: the same eng-fra pairs, the same
# sentencepiece pieces, the same model (2x256 LSTM, Luong dot attention, no input
# feeding, batches of 64 sentences, Adam 2e-3, dropout 0.1, label smoothing 0.1).
#
#   bash tools/compare-opennmt.sh [STEPS] [WORK_DIR]
#
# Trains both for STEPS steps (default 3000, ~10 minutes each on 2 cores), prints their
# training tokens/s (steps after the 100th), then decodes the 1,000 dev sentences with
# both (beam 5 and greedy, batches of 64) and prints sentences/s and BLEU. Needs
# ../shared/data and a package index; OpenNMT-py goes into WORK_DIR/venv, not ours.
#
# OpenNMT-py 3.5.1 pins torch<2.3, which has no CPU-only wheel here, so it is installed
# with --no-deps on the same torch 2.13.0+cpu as ours (it trains and translates
# unchanged; its checkpoints need TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1 to load).
set -euo pipefail
STEPS=${1:-3000}
WORK=${2:-/tmp/s2s-vs-opennmt}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=$ROOT/../shared/data
S2S=$ROOT/.venv/bin/s2s
mkdir -p "$WORK"
cd "$WORK"

if [ ! -x venv/bin/onmt_train ]; then
    python3.11 -m venv venv
    venv/bin/pip install -q torch==2.13.0
    venv/bin/pip install -q --no-deps OpenNMT-py==3.5.1
    venv/bin/pip install -q configargparse pyyaml sacrebleu six sentencepiece \
        pyonmttok spacy pyahocorasick rapidfuzz fasttext-wheel
fi

# Ours first: it also trains the sentencepiece models both toolkits use.
cat > ours.toml <<TOML
[data]
train = "$DATA/eng-fra.tsv.gz"
dev = "$DATA/eng-fra.dev.tsv"
tokenizer = "separate"
[model]
dropout = 0.1
attention = "dot"
[train]
eval_every = 100000
log_every = 50
max_steps = $STEPS
lr_schedule = "none"
TOML
rm -rf ours
"$S2S" train ours.toml --out ours > /dev/null

venv/bin/python - "$DATA" <<'PY'
import gzip, sys, sentencepiece as spm
data = sys.argv[1]
src = spm.SentencePieceProcessor(model_file="ours/src.model")
tgt = spm.SentencePieceProcessor(model_file="ours/tgt.model")
def write(rows, name):
    with open(f"{name}.en", "w") as en, open(f"{name}.fr", "w") as fr:
        for line in rows:
            s, t = line.rstrip("\n").split("\t")[:2]
            en.write(" ".join(src.encode(s, out_type=str)) + "\n")
            fr.write(" ".join(tgt.encode(t, out_type=str)) + "\n")
write(gzip.open(f"{data}/eng-fra.tsv.gz", "rt", encoding="utf-8"), "train")
write(open(f"{data}/eng-fra.dev.tsv", encoding="utf-8"), "dev")
PY

cat > onmt.yaml <<YAML
save_data: $WORK/onmt
src_vocab: $WORK/onmt/vocab.en
tgt_vocab: $WORK/onmt/vocab.fr
src_vocab_size: 8000
tgt_vocab_size: 8000
overwrite: true
data:
  corpus_1: {path_src: $WORK/train.en, path_tgt: $WORK/train.fr}
  valid: {path_src: $WORK/dev.en, path_tgt: $WORK/dev.fr}
save_model: $WORK/onmt/model
save_checkpoint_steps: $STEPS
train_steps: $STEPS
valid_steps: 1000000
report_every: 50
encoder_type: rnn
decoder_type: rnn
rnn_type: LSTM
layers: 2
hidden_size: 256
word_vec_size: 256
global_attention: dot
input_feed: 0
dropout: 0.1
batch_type: sents
batch_size: 64
optim: adam
learning_rate: 0.002
max_grad_norm: 5
label_smoothing: 0.1
num_workers: 0
seed: 1
YAML
mkdir -p onmt
venv/bin/onmt_build_vocab -config onmt.yaml -n_sample -1 > onmt/vocab.log 2>&1
venv/bin/onmt_train -config onmt.yaml > onmt/train.log 2>&1
export TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1
for beam in 5 1; do
    venv/bin/onmt_translate -model "onmt/model_step_$STEPS.pt" -src dev.en \
        -output "onmt/dev.beam$beam.fr" -beam_size $beam -batch_size 64 \
        -batch_type sents -report_time > "onmt/translate.beam$beam.log" 2>&1
done

echo "== training, target tokens/s (steps > 100, EOS counted by both)"
python3 - <<'PY'
import json, re, statistics
ours = [r for r in map(json.loads, open("ours/metrics.jsonl")) if r.get("type") == "step"]
ours = [r["tgt_tokens_per_s"] for r in ours if r["step"] > 100]
theirs = [float(m.group(2)) for m in re.finditer(
    r"Step (\d+)/.*?(\d+) tok/s", open("onmt/train.log").read()) if int(m.group(1)) > 100]
a, b = statistics.median(ours), statistics.median(theirs)
print(f"s2s {a:8.0f}   OpenNMT-py {b:8.0f}   ratio {a / b:.2f}x")
PY
echo "== decoding the 1,000 dev sentences (2 threads, batches of 64)"
for beam in 5 1; do
    ours=$("$S2S" eval ours --test "$DATA/eng-fra.dev.tsv" --beam $beam --json 2>/dev/null)
    theirs_s=$(grep -o "Total translation time (s): [0-9.]*" "onmt/translate.beam$beam.log" | grep -o "[0-9.]*$")
    venv/bin/python - "$beam" "$ours" "$theirs_s" "$DATA" <<'PY'
import json, sys, sacrebleu, sentencepiece as spm
beam, ours, secs, data = sys.argv[1], json.loads(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
tgt = spm.SentencePieceProcessor(model_file="ours/tgt.model")
refs = [l.rstrip("\n").split("\t")[1] for l in open(f"{data}/eng-fra.dev.tsv", encoding="utf-8")]
hyps = [tgt.decode(l.split()) for l in open(f"onmt/dev.beam{beam}.fr", encoding="utf-8")]
bleu = sacrebleu.corpus_bleu(hyps, [refs]).score
print(f"beam {beam}: s2s {ours['sentences_per_s']:6.0f} sent/s (BLEU {ours['bleu']:.1f})   "
      f"OpenNMT-py {len(hyps) / secs:6.0f} sent/s (BLEU {bleu:.1f})   "
      f"ratio {ours['sentences_per_s'] * secs / len(hyps):.2f}x")
PY
done
