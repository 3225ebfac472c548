"""Translator: batching and order, empty input, n-best merging, history, scoring, run dirs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from engine.config import Config, DecodeConfig, ModelConfig, save_config
from engine.events import Translation
from engine.model import build_model
from engine.translate import Translator

SPECIALS = ("<pad>", "<unk>", "<s>", "</s>")


class CharTokenizer:
    """One piece per letter a-j; the interface of engine.tokenizer.Tokenizer."""

    letters = "abcdefghij"
    vocab_size = len(SPECIALS) + len(letters)

    def encode(self, text: str) -> list[int]:
        return [
            4 + self.letters.index(c) if c in self.letters else 1
            for c in text
            if c != " "
        ]

    def pieces(self, text: str) -> list[str]:
        return [self.id_to_piece(i) for i in self.encode(text)]

    def decode(self, ids) -> str:
        out = []
        for i in map(int, ids):
            if i == 3:
                break
            if i >= 4 or i == 1:
                out.append(self.id_to_piece(i))
        return "".join(out)

    def id_to_piece(self, i: int) -> str:
        return SPECIALS[i] if i < 4 else self.letters[i - 4]


def translator(seeds=(0,), **kw) -> Translator:
    tok = CharTokenizer()
    cfg = ModelConfig(emb=12, hidden=16, layers=1, dropout=0.0, **kw)
    models = []
    for seed in seeds:
        torch.manual_seed(seed)
        models.append(build_model(cfg, tok.vocab_size, tok.vocab_size))
    return Translator(models, tok, tok, "cpu")


TEXTS = ["abc", "", "jihgfedcba", "  ", "ba", "abcdefg", "c"]


def test_results_in_input_order_and_empty_input_is_empty() -> None:
    tr = translator()
    cfg = DecodeConfig(beam=3, nbest=2, batch_size=2)
    out = tr.translate(TEXTS, cfg)
    assert [t.source for t in out] == TEXTS
    assert all(isinstance(t, Translation) for t in out)
    for t in out:
        if not t.source.strip():
            assert [h.text for h in t.hypotheses] == [""] and t.source_pieces == ()
        else:
            assert 1 <= len(t.hypotheses) <= 2
            assert t.source_pieces[-1] == "</s>"
            assert len(t.source_pieces) == len(t.source.strip()) + 1
    # batching and sorting do not change any result
    one_by_one = [tr.translate([s], cfg)[0] for s in TEXTS]
    for a, b in zip(out, one_by_one, strict=True):
        assert [h.text for h in a.hypotheses] == [h.text for h in b.hypotheses]
        np.testing.assert_allclose(
            [h.score for h in a.hypotheses], [h.score for h in b.hypotheses], rtol=1e-4
        )


def test_nbest_texts_distinct_sorted_and_aligned() -> None:
    tr = translator(attention="general")
    out = tr.translate(["abcde", "fgh"], DecodeConfig(beam=5, nbest=5, alpha=0.6))
    for t in out:
        texts = [h.text for h in t.hypotheses]
        assert len(set(texts)) == len(texts)
        scores = [h.score for h in t.hypotheses]
        assert scores == sorted(scores, reverse=True)
        for h in t.hypotheses:
            n = len(h.pieces)
            assert h.token_logprobs.shape == (n,)
            assert h.attention.shape == (n, len(t.source_pieces))
            np.testing.assert_allclose(h.attention.sum(1), 1.0, rtol=1e-5)


def test_history_has_pieces_and_stop_is_honoured() -> None:
    tr = translator()
    (t,) = tr.translate(["abcd"], DecodeConfig(beam=3, nbest=1), history=True)
    assert t.steps and t.steps[0].step == 0
    for s in t.steps:
        assert len(s.pieces) == len(s.tokens) and len(s.pruned_pieces) == len(
            s.pruned_tokens
        )
    calls = []
    stopped = tr.translate(
        ["ab", "cd", "ef"],
        DecodeConfig(batch_size=1),
        should_stop=lambda: calls.append(1) or len(calls) > 1,
    )
    assert [t.source for t in stopped] == ["ab"]


def test_score_matches_the_search() -> None:
    tr = translator(cell="gru", attention="concat")
    (t,) = tr.translate(["abcdef"], DecodeConfig(beam=4, nbest=1, alpha=0.0))
    best = t.hypotheses[0]
    (lp,) = tr.score(["abcdef"], [best.text])
    if best.pieces[-1] == "</s>":  # cut-off hypotheses have no EOS to score
        np.testing.assert_allclose(lp, best.token_logprobs, atol=1e-4)
    lps = tr.score(["ab", "abcdefg", "c"], ["b", "", "hhhh"])
    assert [x.shape for x in lps] == [(2,), (1,), (5,)]
    assert all(np.all(x <= 0) for x in lps)


def test_ensemble_translates_and_vocab_mismatch_is_refused() -> None:
    tr = translator(seeds=(0, 1))
    assert tr.translate(["abc"], DecodeConfig(beam=2))[0].hypotheses
    tok = CharTokenizer()
    with pytest.raises(ValueError, match="vocabular"):
        Translator(
            [build_model(ModelConfig(emb=8, hidden=8), tok.vocab_size, 99)], tok, tok
        )


def test_ensemble_translations_carry_the_members_averaged_log_probs() -> None:
    """Each hypothesis's per-token log-probs are the average of its members' forced
    log-probs (computed here one model at a time), not the first member's."""
    from engine.search import force_decode

    tr = translator(seeds=(0, 1), attention="dot")
    texts = ["abcde", "fgh", "jjab"]
    piece_id = {p: i for i, p in enumerate(SPECIALS)}
    piece_id.update({c: 4 + i for i, c in enumerate(CharTokenizer.letters)})
    differs_from_first = False
    for t in tr.translate(texts, DecodeConfig(beam=3, nbest=2, alpha=0.0)):
        src_ids = [piece_id[p] for p in t.source_pieces]
        src, src_len = torch.tensor([src_ids]), torch.tensor([len(src_ids)])
        for h in t.hypotheses:
            ids = [piece_id[p] for p in h.pieces]
            tgt_in, tgt_out = torch.tensor([[2, *ids[:-1]]]), torch.tensor([ids])
            each = [
                force_decode(m, src, src_len, tgt_in, tgt_out)[0].double().numpy()
                for m in tr.models
            ]
            # float32 search steps against teacher forcing: 1e-4 as in test_search
            np.testing.assert_allclose(
                h.token_logprobs, (each[0] + each[1]) / 2, atol=1e-4
            )
            differs_from_first |= not np.allclose(h.token_logprobs, each[0], atol=1e-3)
    assert differs_from_first


def _run_dir(path: Path, text: str, seed: int) -> Path:
    from engine.checkpoint import save_weights
    from engine.tokenizer import JOINT_FILE, Tokenizer

    path.mkdir()
    cfg = Config(model=ModelConfig(emb=8, hidden=16, layers=1, dropout=0.0))
    save_config(cfg, path / "config.toml")
    tok = Tokenizer.train([text] * 20, path / JOINT_FILE, vocab_size=30, seed=seed)
    torch.manual_seed(seed)
    model = build_model(cfg.model, tok.vocab_size, tok.vocab_size)
    save_weights(model.state_dict(), path / "best.safetensors", step=1)
    return path


def test_from_run_dirs(tmp_path: Path) -> None:
    a = _run_dir(tmp_path / "a", "the cat sat on the mat with a hat", 1)
    b = _run_dir(tmp_path / "b", "un chien voit trois oiseaux bleus", 1)
    tr = Translator.from_run_dirs([a], device="cpu")
    (t,) = tr.translate(["the cat"], DecodeConfig(beam=2))
    assert t.hypotheses and t.source_pieces[-1]
    assert len(Translator.from_run_dirs([a, a], device="cpu").models) == 2
    with pytest.raises(ValueError, match="vocabularies differ"):
        Translator.from_run_dirs([a, b], device="cpu")


def test_worker_threads_give_the_same_results_and_honour_stop() -> None:
    one = translator(attention="dot")
    many = Translator(one.models, one.src_tok, one.tgt_tok, "cpu", workers=3)
    texts = ["abcdefgh"[: 1 + i % 8] for i in range(40)] + ["", "jihgfedcba"]
    cfg = DecodeConfig(beam=4, nbest=2, batch_size=3)
    a, b = one.translate(texts, cfg), many.translate(texts, cfg)
    assert [t.source for t in b] == texts
    for x, y in zip(a, b, strict=True):
        assert [h.text for h in x.hypotheses] == [h.text for h in y.hypotheses]
        np.testing.assert_allclose(
            [h.score for h in x.hypotheses], [h.score for h in y.hypotheses], rtol=1e-5
        )
    refs = [t.hypotheses[0].text for t in a]
    for x, y in zip(one.score(texts, refs), many.score(texts, refs), strict=True):
        np.testing.assert_allclose(x, y, rtol=1e-5)
    stopped = many.translate(texts, cfg, should_stop=lambda: True)
    assert [t.source for t in stopped] == [""]  # only the empty input, done up front


def test_cpu_workers_one_per_thread_unless_omp_is_set(monkeypatch) -> None:
    from engine.translate import cpu_workers

    before = torch.get_num_threads()
    try:
        monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
        torch.set_num_threads(2)
        assert cpu_workers(torch.device("cpu")) == 2
        assert torch.get_num_threads() == 1  # each worker decodes on one thread
        torch.set_num_threads(2)
        monkeypatch.setenv("OMP_NUM_THREADS", "2")
        assert cpu_workers(torch.device("cpu")) == 1  # the person chose: leave it
        assert torch.get_num_threads() == 2
        assert cpu_workers(torch.device("meta")) == 1  # not a CPU: one worker
    finally:
        torch.set_num_threads(before)


def test_bf16_translates_and_scores_under_autocast(monkeypatch) -> None:
    from engine import utils

    monkeypatch.setattr(utils, "cpu_has_native_bf16", lambda: True)
    tok = CharTokenizer()
    torch.manual_seed(0)
    model = build_model(
        ModelConfig(emb=12, hidden=16, layers=1, dropout=0.0, attention="dot"),
        tok.vocab_size,
        tok.vocab_size,
    )
    seen: list[torch.dtype] = []

    def record(module, args, output):
        if isinstance(module, torch.nn.Linear):
            seen.append(output.dtype)

    cfg = DecodeConfig(beam=3, nbest=1, alpha=0.0, batch_size=1)  # a chunk a sentence
    results = {}
    handle = torch.nn.modules.module.register_module_forward_hook(record)
    try:
        for bf16 in (False, True):
            seen.clear()
            tr = Translator([model], tok, tok, "cpu", workers=2, bf16=bf16)
            t, _ = tr.translate(["abcdef", "abc"], cfg)  # on two worker threads
            (lp,) = tr.score(["abcdef"], [t.hypotheses[0].text])
            # every worker thread entered autocast itself (it is thread-local)
            assert set(seen) == {torch.bfloat16 if bf16 else torch.float32}
            assert lp.dtype == np.float32 and np.all(lp <= 0)
            results[bf16] = t.hypotheses[0]
    finally:
        handle.remove()
    assert results[True].logprob != results[False].logprob
    assert np.isfinite(results[True].logprob)
    assert {p.dtype for p in model.parameters()} == {torch.float32}


def test_bf16_is_refused_where_the_device_lacks_it(monkeypatch) -> None:
    from engine import utils

    monkeypatch.setattr(utils, "cpu_has_native_bf16", lambda: False)
    tok = CharTokenizer()
    model = build_model(ModelConfig(emb=12, hidden=16, layers=1), 14, 14)
    with pytest.raises(ValueError, match="native bf16"):
        Translator([model], tok, tok, "cpu", bf16=True)
    monkeypatch.setattr(utils, "cpu_has_native_bf16", lambda: True)
    with pytest.raises(ValueError, match="not both"):
        Translator([model], tok, tok, "cpu", int8=True, bf16=True)
