"""Image captioning: the CNN encoder, image batches and corpora, multi-reference BLEU,
a tiny captioner, `s2s caption` and `s2s eval` on a captions TSV."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from sacrebleu.metrics import BLEU

from engine.batching import make_batch
from engine.cli import main
from engine.cnn_encoder import CNNEncoder, grid_side
from engine.config import Config, ConfigError, DecodeConfig, ModelConfig
from engine.data import load_corpus
from engine.evaluate import run_evaluation
from engine.events import TranslatedHypothesis, Translation
from engine.image_corpus import group_references, image_corpus_kind, split_by_image
from engine.image_source import ImageSource, check_encoder, collate, make_image_batch
from engine.metrics import corpus_bleu
from engine.model import build_model
from engine.search import max_lengths

CAPTIONS = {"red.png": "a red thing", "blue.png": "the blue one here"}


def _cnn_cfg(**kw) -> ModelConfig:
    base = dict(
        encoder="cnn", cnn_channels=4, cnn_layers=2, cell="lstm", layers=2,
        emb=8, hidden=12, dropout=0.0, attention="dot",
    )  # fmt: skip
    base.update(kw)
    return ModelConfig(**base)


# ------------------------------------------------------------------ the encoder
def test_cnn_encoder_grid_and_pooled_shapes() -> None:
    cfg = _cnn_cfg(cnn_layers=3, cnn_channels=4)
    enc = CNNEncoder(cfg).eval()
    outputs, pooled, grid = enc(torch.randn(5, 3, 40, 40))
    assert grid == (5, 5) == (grid_side(40, 3),) * 2  # 40 -> 20 -> 10 -> 5
    assert outputs.shape == (5, 25, 16)  # P = H'*W', D = 4 * 2**2
    assert pooled.shape == (5, 16)
    torch.testing.assert_close(pooled, outputs.mean(dim=1))


def test_encode_without_attention_gives_pooled_state_per_layer() -> None:
    model = build_model(_cnn_cfg(attention="none"), 0, 10).eval()
    enc = model.encode(torch.randn(3, 3, 16, 16), torch.full((3,), 16))
    h, c = enc.init_state.rnn
    assert h.shape == c.shape == (2, 3, 12)  # (layers, B, hidden)
    assert enc.keys is None and enc.final.shape == (3, 8)  # D = 4 * 2
    assert not torch.equal(h[0], h[1])  # one affine map per decoder layer


def test_spatial_attention_reads_every_cell_and_sums_to_one() -> None:
    model = build_model(_cnn_cfg(), 0, 10).eval()
    images = torch.randn(3, 3, 16, 16)
    enc = model.encode(images, torch.full((3,), 16))
    assert enc.outputs.shape == (3, 16, 8) and enc.mask.all()  # 4x4 grid, all real
    out = model.step(torch.full((3,), 2), enc.init_state, enc)
    assert out.attention.shape == (3, 16)
    assert (out.attention > 0).all()  # no cell is masked out
    # a softmax over 16 cells: its float32 sum is within 16 roundings of 1
    sums = out.attention.double().sum(-1)
    assert torch.allclose(sums, torch.ones(3, dtype=torch.float64), atol=16 * 2**-23)


def test_text_attention_still_ignores_padding() -> None:
    """The same decoder with the RNN encoder: padded positions get no weight."""
    model = build_model(ModelConfig(layers=1, emb=8, hidden=8, dropout=0.0), 12, 10)
    src = torch.tensor([[5, 6, 7, 3], [5, 3, 0, 0]])
    enc = model.eval().encode(src, torch.tensor([4, 2]))
    out = model.step(torch.full((2,), 2), enc.init_state, enc)
    assert (out.attention[1, 2:] == 0).all() and (out.attention[1, :2] > 0).all()


# ------------------------------------------------------------------ batches, data
def test_image_batch_and_collate() -> None:
    images = [torch.randn(3, 8, 8) for _ in range(2)]
    batch = make_image_batch(images, [[4, 5], [6]], [0, 1], positions=4)
    assert batch.src.shape == (2, 3, 8, 8) and batch.src_len.tolist() == [4, 4]
    assert batch.tgt_in.tolist() == [[2, 4, 5], [2, 6, 0]]
    assert batch.tgt_out.tolist() == [[4, 5, 3], [6, 3, 0]]
    assert batch.n_src_tokens == 8
    text = collate([[4, 5], [6]], [[7], [8, 9]], [0, 1], None)
    ref = make_batch([[4, 5], [6]], [[7], [8, 9]], [0, 1])
    assert torch.equal(text.src, ref.src) and torch.equal(text.tgt_out, ref.tgt_out)


def test_split_by_image_keeps_every_image_on_one_side() -> None:
    pairs = [(f"img{i // 3}", f"caption {i}") for i in range(60)]  # 20 images x 3
    train, dev = split_by_image(pairs, dev_size=5, seed=3)
    assert len({r for r, _ in dev}) == 4  # at most a fifth of the 20 images
    assert not {r for r, _ in train} & {r for r, _ in dev}
    assert len(train) + len(dev) == 60


def _write_two_images(folder: Path, side: int = 32) -> Path:
    Image.new("RGB", (side, side), (220, 30, 30)).save(folder / "red.png")
    Image.new("RGB", (side, side), (30, 30, 220)).save(folder / "blue.png")
    tsv = folder / "captions.tsv"
    tsv.write_text("".join(f"{n}\t{c}\n" for n, c in CAPTIONS.items()) * 2)
    return tsv


def test_captions_tsv_is_an_image_corpus_split_by_image(tmp_path: Path) -> None:
    from engine.shapes import write_shapes

    tsv = write_shapes(tmp_path, n=12, seed=5)
    assert image_corpus_kind(str(tsv)) == "tsv"
    cfg = Config.from_dict({"data": {"train": str(tsv), "dev_size": 2}}).data
    corpus = load_corpus(cfg)
    assert corpus.images and corpus.dev
    assert not {r for r, _ in corpus.train} & {r for r, _ in corpus.dev}
    assert all(Path(r).is_file() for r, _ in corpus.train)


def test_every_caption_file_the_readers_take_is_an_image_corpus(tmp_path: Path) -> None:
    _write_two_images(tmp_path)
    rows = [(n, c) for n, c in CAPTIONS.items()] * 3
    files = {
        "header.tsv": "image\tcaption\n" + "".join(f"{n}\t{c}\n" for n, c in rows),
        "captions.txt": "image,caption\n" + "".join(f"{n},{c}\n" for n, c in rows),
        "Flickr8k.lemma.txt": "".join(
            f"{n}#{i}\t{c}\n" for i, (n, c) in enumerate(rows)
        ),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
        kind = "tsv" if name.endswith(".tsv") else "flickr8k"
        assert image_corpus_kind(str(tmp_path / name)) == kind, name
        cfg = Config.from_dict(
            {"data": {"train": str(tmp_path / name), "dev_size": 1}}
        ).data
        corpus = load_corpus(cfg)
        assert corpus.images, name
        captions = {c for _, c in corpus.train + corpus.dev}
        assert captions == set(CAPTIONS.values()), name
    (tmp_path / "text.tsv").write_text("Hello.\tBonjour.\nThanks.\tMerci.\n")
    assert image_corpus_kind(str(tmp_path / "text.tsv")) is None


def test_builtin_shapes_dev_is_another_seed() -> None:
    cfg = Config.from_dict(
        {"data": {"train": "builtin:images/shapes", "task_size": 10, "dev_size": 3}}
    ).data
    corpus = load_corpus(cfg)
    train_refs = {r for r, _ in corpus.train}
    dev_refs = {r for r, _ in corpus.dev}
    assert len(train_refs) == 10 and len(dev_refs) == 3 and not train_refs & dev_refs


# ------------------------------------------------------------------ BLEU
def test_multi_reference_bleu_equals_sacrebleu_with_grouped_references() -> None:
    sources = ["i1", "i1", "i2", "i2", "i2", "i3"]
    refs = ["a red circle", "there is a red circle", "a blue square left of a circle",
            "a circle right of a blue square", "there is a blue square", "a cat"]  # fmt: skip
    distinct, grouped = group_references(sources, refs)
    assert distinct == ["i1", "i2", "i3"] and [len(g) for g in grouped] == [2, 3, 1]
    hyps = ["there is a red circle", "a circle right of a blue square", "a dog"]
    streams = [[g[i] if i < len(g) else None for g in grouped] for i in range(3)]
    expected = BLEU().corpus_score(hyps, streams).score
    assert corpus_bleu(hyps, grouped) == pytest.approx(expected, abs=0)
    single = corpus_bleu(hyps, [g[0] for g in grouped])
    assert corpus_bleu(hyps, grouped) > single  # more references, more matches
    assert single == BLEU().corpus_score(hyps, [[g[0] for g in grouped]]).score


class _Fixed:
    """A stand-in translator: a fixed output per source, log-prob -1 per token."""

    images = False

    def __init__(self, outputs: dict[str, str]) -> None:
        self.outputs, self.calls = outputs, []

    def translate(self, texts, cfg):
        self.calls.append(list(texts))
        empty = np.zeros(0, np.float32)
        return [
            Translation(t, (), (TranslatedHypothesis(self.outputs[t], (), -1, -1, empty, None),), ())
            for t in texts
        ]  # fmt: skip

    def score(self, sources, targets):
        return [np.full(len(t.split()) + 1, -1.0, np.float32) for t in targets]


def test_evaluate_groups_repeated_sources_and_keeps_unique_ones() -> None:
    out = {"s1": "a red circle", "s2": "the blue square"}
    pairs = [("s1", "a red circle"), ("s1", "there is a red circle"),
             ("s2", "a blue square")]  # fmt: skip
    fixed = _Fixed(out)
    report = run_evaluation(fixed, pairs, DecodeConfig(beam=1))
    assert fixed.calls == [["s1", "s2"]]  # each source decoded once
    grouped = [["a red circle", "there is a red circle"], ["a blue square"]]
    assert report.sentences == 2
    assert report.bleu == corpus_bleu(list(out.values()), grouped)
    assert "nrefs:2" in report.signature
    unique = [("s1", "a red circle"), ("s2", "a blue square")]
    report = run_evaluation(_Fixed(out), unique, DecodeConfig(beam=1))
    want = BLEU().corpus_score(list(out.values()), [["a red circle", "a blue square"]])
    assert report.bleu == want.score and "nrefs:1" in report.signature


def test_evaluate_on_images_buckets_by_caption_length_without_rarity() -> None:
    out = {"i1": "a red circle", "i2": "there is a small blue square"}
    fixed = _Fixed(out)
    fixed.images = True
    pairs = [("i1", "a red circle"), ("i2", "a small blue square"),
             ("i2", "there is a small blue square")]  # fmt: skip
    report = run_evaluation(fixed, pairs, DecodeConfig(beam=1), train_sources=["i1"])
    assert report.by_rarity == ()  # image references have no words to rank
    assert report.lengths.tolist() == [3.0, 5.0]  # mean words of each image's captions
    assert [b.count for b in report.by_length] == [1, 1]


def test_fixed_max_len_ignores_the_source_length() -> None:
    lens = torch.tensor([16, 64])
    assert max_lengths(lens, DecodeConfig(max_len=7)).tolist() == [7, 7]
    assert max_lengths(lens, DecodeConfig()).tolist() == [42, 138]


# ------------------------------------------------------------------ config
def test_config_refuses_text_options_for_the_cnn_encoder() -> None:
    with pytest.raises(ConfigError) as err:
        ModelConfig(encoder="cnn", bidirectional=True)
    assert err.value.key == "model.bidirectional"
    with pytest.raises(ConfigError) as err:
        ModelConfig(encoder="cnn", reverse_source=True)
    assert err.value.key == "model.reverse_source"
    with pytest.raises(ConfigError):
        ModelConfig(encoder="transformer")
    with pytest.raises(ConfigError):
        ModelConfig(encoder="cnn", cnn_layers=0)


def test_corpus_and_encoder_must_agree() -> None:
    text = Config.from_dict({"model": {"encoder": "cnn"}})
    with pytest.raises(ConfigError, match="is text"):
        check_encoder(text, images=False)
    images = Config.from_dict({"data": {"train": "builtin:images/shapes"}})
    with pytest.raises(ConfigError, match="model.encoder = cnn"):
        check_encoder(images, images=True)
    check_encoder(text, images=True)  # agreeing: no error


# ------------------------------------------------------------------ a tiny captioner
@pytest.fixture(scope="module")
def caption_run(tmp_path_factory) -> tuple[Path, Path]:
    """A captioner trained on two images with two captions (a few seconds)."""
    from engine.training import Trainer

    folder = tmp_path_factory.mktemp("two")
    tsv = _write_two_images(folder)
    config = Config.from_dict(
        {
            "data": {"train": str(tsv), "dev": str(tsv), "vocab_size": 16,
                     "model_type": "word", "image_size": 32},
            "model": {"encoder": "cnn", "cnn_channels": 4, "cnn_layers": 2,
                      "cell": "gru", "layers": 1, "emb": 8, "hidden": 16,
                      "dropout": 0.0, "attention": "dot"},
            "train": {"batch_size": 4, "max_steps": 60, "eval_every": 60, "lr": 0.02,
                      "label_smoothing": 0.0, "lr_schedule": "none", "device": "cpu",
                      "bleu_sentences": 4, "bf16": False},
            "decode": {"max_len": 8},
        }
    )  # fmt: skip
    run = folder / "run"
    for _ in Trainer(config, run).steps():
        pass
    return run, folder


def test_shapes_captions_option_keeps_the_first_references() -> None:
    from engine.config import DataConfig
    from engine.image_corpus import read_image_pairs
    from engine.readers import DataError

    cfg = DataConfig(train="builtin:images/shapes", task_size=10)
    every = read_image_pairs("builtin:images/shapes", cfg)
    two = read_image_pairs("builtin:images/shapes?captions=2", cfg)
    by_image: dict[str, list[str]] = {}
    for ref, caption in every:
        by_image.setdefault(ref, []).append(caption)
    assert two == [(ref, c) for ref, caps in by_image.items() for c in caps[:2]]
    assert len(every) > len(two)
    with pytest.raises(DataError, match="captions=K"):
        read_image_pairs("builtin:images/shapes?captions=0", cfg)


def test_caption_batches_are_not_length_bucketed(tmp_path) -> None:
    """Batch norm trains on batch statistics and tests on running ones: batches sorted
    by caption length would hold one kind of image each, unlike any test batch."""
    from engine.training import Trainer

    config = Config.from_dict(
        {
            "data": {"train": "builtin:images/shapes", "task_size": 40, "dev_size": 4,
                     "model_type": "word", "vocab_size": 32, "image_size": 16},
            "model": {"encoder": "cnn", "cnn_channels": 4, "cnn_layers": 1,
                      "cell": "gru", "layers": 1, "emb": 8, "hidden": 8,
                      "attention": "dot"},
            "train": {"batch_size": 8, "max_steps": 1, "device": "cpu", "bf16": False},
        }
    )  # fmt: skip
    trainer = Trainer(config, tmp_path / "run")
    for _ in trainer.steps():
        pass
    assert trainer.sampler.bucket is False
    text = Config.from_dict({"data": {"task_size": 40, "dev_size": 4},
                             "train": {"max_steps": 1, "device": "cpu"}})  # fmt: skip
    text_trainer = Trainer(text, tmp_path / "text")
    for _ in text_trainer.steps():
        pass
    assert text_trainer.sampler.bucket is True


def test_tiny_captioner_learns_two_captions(caption_run) -> None:
    from engine.translate import Translator

    run, folder = caption_run
    tr = Translator.from_run_dirs([run], "cpu")
    assert tr.images and tr.grid == (8, 8)  # 32 px, two stride-2 blocks
    refs = [str(folder / n) for n in CAPTIONS]
    out = tr.translate(refs, DecodeConfig(beam=3, nbest=2), history=True)
    assert [t.hypotheses[0].text for t in out] == list(CAPTIONS.values())
    best = out[1].hypotheses[0]
    assert (
        out[1].source_pieces[:2] == ("r0c0", "r0c1") and len(out[1].source_pieces) == 64
    )
    assert best.attention.shape == (len(best.pieces), 64)
    assert out[1].steps  # the beam tree, as for text


def test_states_of_images_are_pooled_encodings(caption_run) -> None:
    from engine.analysis import encoder_states
    from engine.sessions import StatesSession
    from engine.translate import Translator

    run, folder = caption_run
    tr = Translator.from_run_dirs([run], "cpu")
    session = StatesSession.for_translator(tr, run)
    refs = [str(folder / n) for n in CAPTIONS]
    result = session.project([(r, "") for r in refs])
    assert result.points.shape == (2, 2)
    assert len(result.pieces[0]) == 64 and result.trajectories[0].shape == (64, 2)
    final, cells, _ = encoder_states(tr.models[0], tr.src_tok, refs)
    assert final.shape == (2, 8) and cells[0].shape == (64, 8)
    # the pooled encoding is the cells' mean: two float32 sums of the same 64 numbers
    # in different orders differ by at most 64 roundings of the largest
    bound = 64 * 2**-24 * np.abs(cells[0]).max()
    assert np.abs(final[0] - cells[0].astype(np.float64).mean(0)).max() <= bound


def test_s2s_caption_text_json_and_a_bad_image(caption_run, capsys) -> None:
    run, folder = caption_run
    bad = folder / "broken.png"
    bad.write_bytes(b"not a png at all")
    red, blue = str(folder / "red.png"), str(folder / "blue.png")
    assert main(["caption", str(run), red, str(bad), blue, "--device", "cpu"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "a red thing\n\nthe blue one here\n"
    assert "broken.png" in captured.err
    assert (
        main(["caption", str(run), blue, "--json", "--nbest", "2", "--beam", "2"]) == 0
    )
    obj = json.loads(capsys.readouterr().out)
    assert obj["image"] == blue and obj["grid"] == [8, 8]
    first = obj["hypotheses"][0]
    assert first["text"] == "the blue one here" and len(obj["hypotheses"]) == 2
    assert len(first["attention"]) == len(first["text"].split()) + 1  # words + EOS
    assert all(len(row) == 64 for row in first["attention"])
    assert {"score", "logprob"} <= set(first)


def test_s2s_eval_on_a_captions_tsv(caption_run, capsys) -> None:
    run, folder = caption_run
    tsv = str(folder / "captions.tsv")
    assert main(["eval", str(run), "--test", tsv, "--beam", "2", "--json"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert set(obj) >= {"bleu", "chrf", "signature", "ppl", "sentences",
                        "sentences_per_s", "by_length", "by_rarity"}  # fmt: skip
    assert obj["sentences"] == 2 and obj["bleu"] == pytest.approx(100.0)
    assert obj["by_rarity"] == [] and obj["by_length"]


def test_image_source_is_found_again_in_the_run(caption_run) -> None:
    from engine.tokenizer import load_tokenizers

    run, _ = caption_run
    src, tgt = load_tokenizers(run)
    assert isinstance(src, ImageSource) and src.grid == (8, 8) and tgt.vocab_size > 4
    assert not (run / "src.model").exists()


def test_caption_bench_measures_ours_and_the_reference() -> None:
    from engine.bench.caption import caption_bench, format_caption_table

    config = Config.from_dict(
        {
            "data": {"train": "builtin:images/shapes", "image_size": 16},
            "model": {"encoder": "cnn", "cnn_channels": 2, "cnn_layers": 2,
                      "cell": "lstm", "layers": 1, "emb": 4, "hidden": 8},
            "train": {"batch_size": 2, "device": "cpu", "bf16": False},
        }
    )  # fmt: skip
    out = caption_bench(config, "cpu", seconds=0.05)
    rates = out["train_images_per_s"]
    assert rates["ours"] > 0 and rates["reference"] > 0
    assert rates["ratio"] == round(rates["ours"] / rates["reference"], 3)
    assert out["grid"] == [4, 4] and "images/s" in format_caption_table(out)


def test_attention_starts_the_decoder_from_a_learned_state_not_the_image() -> None:
    model = build_model(_cnn_cfg(), 0, 10).eval()
    a = model.encode(torch.randn(1, 3, 16, 16), torch.full((1,), 16)).init_state.rnn
    b = model.encode(torch.randn(1, 3, 16, 16), torch.full((1,), 16)).init_state.rnn
    assert torch.equal(a[0], b[0])  # only the attention sees the image


def test_cnn_keys_apply_only_to_the_cnn_encoder() -> None:
    from dataclasses import asdict

    from engine.config import inactive_reason

    text = asdict(Config())
    images = asdict(
        Config.from_dict(
            {"data": {"train": "builtin:images/shapes"}, "model": {"encoder": "cnn"}}
        )
    )
    for key in ("model.cnn_channels", "model.cnn_layers", "data.image_size"):
        assert "cnn encoder" in inactive_reason(key, text, {})
        assert inactive_reason(key, images, {}) is None
    assert inactive_reason("data.task_size", images, {}) is None  # images generated
