"""The learned model: the training command end to end on a handful of pairs (seconds, not
the real training), the numpy inference agreeing with the torch model it was trained as, and
the spans it returns being whole words of the strings given."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from fidelity.qe import QEModel, QEPrediction, load_model, model_available
from fidelity.qe.spans import WORD

PAIRS = [
    ("The minister will not resign.", "Der Minister wird zurücktreten."),
    ("Prices rose by 5% in March.", "Die Preise stiegen im März um 50 %."),
    ("政府不会与工会讨论改革。", "The government will discuss the reform with the unions."),
    ("Ils sont prêts à discuter de la réforme avec les syndicats.", "They are ready to discuss the reform with the unions."),
]


def _row(i: int, src: str, tgt: str, **extra) -> dict:
    row = {
        "id": f"mqm:train_2021_en-de:{i}", "origin": "mqm", "src": src, "tgt": tgt,
        "src_lang": "en", "tgt_lang": "de", "tgt_spans": [], "src_spans": [],
        "has_major": False, "score": None, "group": f"g{i}", "spans_complete": True,
    }
    row.update(extra)
    return row


def _tiny_data(folder: Path) -> Path:
    rows = []
    for i, (src, tgt) in enumerate(PAIRS * 3):
        rows.append(_row(i, src, tgt, tgt_spans=[[0, 3, "major", "mistranslation"]], has_major=True))
        rows.append(_row(100 + i, src, src, origin="synth-negation", src_spans=[[0, 3, "omission"]]))
        rows.append(_row(200 + i, src, tgt, origin="ced", spans_complete=False, has_major=i % 2 == 0))
    dev = [_row(300 + i, s, t, id=f"mqm:dev_2022_en-de_dev:{i}", tgt_spans=[[0, 3, "minor", "mistranslation"]])
           for i, (s, t) in enumerate(PAIRS)]
    dev += [_row(400 + i, s, t, has_major=i % 2 == 0) for i, (s, t) in enumerate(PAIRS)]
    folder.mkdir(parents=True, exist_ok=True)
    for name, items in (("train.jsonl", rows), ("dev.jsonl", dev)):
        (folder / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in items))
    return folder


@pytest.fixture(scope="module")
def smoke_trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("torch")
    from fidelity.qe.training.train import main

    root = tmp_path_factory.mktemp("qe")
    out = root / "weights"
    main(["--data", str(_tiny_data(root / "data")), "--out", str(out), "--epochs", "1",
          "--frozen-layers", "11", "--batch-size", "4", "--log-every", "1000"])
    return out


def test_training_writes_weights_and_a_card_naming_their_hash(smoke_trained: Path) -> None:
    report = json.loads((smoke_trained / "training.json").read_text())
    card = (smoke_trained / "MODEL_CARD.md").read_text()
    assert report["sha256"] in card
    assert QEModel(smoke_trained / "qe.npz").sha256 == report["sha256"]
    assert set(report["thresholds"]) >= {"token_flag", "token_major", "segment_major"}


def test_numpy_inference_matches_the_torch_model(smoke_trained: Path) -> None:
    import torch

    from fidelity.qe.base import load_e5_file
    from fidelity.qe.training.torchmodel import FrozenBase, TrainedTop
    from fidelity.qe.weights_io import load_weights

    model = QEModel(smoke_trained / "qe.npz")
    layers, heads, meta, _ = load_weights(smoke_trained / "qe.npz")
    weights = load_e5_file()
    frozen = FrozenBase(weights, meta["frozen_layers"])
    top = TrainedTop(weights, meta["frozen_layers"], 0.0, 0.0).eval()
    for layer, params in zip(top.layers, layers, strict=True):
        layer.load_numpy(params)
    top.heads.load_numpy(heads)
    outputs = model.outputs(PAIRS)
    for pair, out in zip(PAIRS, outputs, strict=True):
        ids = np.array([out.pair.ids])
        lengths = np.array([len(out.pair)])
        with torch.no_grad():
            logits = top(frozen(ids, lengths), torch.from_numpy(lengths))
        t0 = out.pair.tgt_offset
        tgt = torch.softmax(logits["tgt"][0, t0 : t0 + len(out.pair.tgt)], -1).numpy()
        np.testing.assert_allclose(out.tgt_probs, tgt, atol=2e-3, err_msg=pair[1])
        assert abs(out.score - float(torch.sigmoid(logits["seg"][0]))) < 2e-3


def test_spans_are_whole_words_of_the_strings_given(smoke_trained: Path) -> None:
    model = QEModel(smoke_trained / "qe.npz")
    model.thresholds.update(token_flag=0.0, omission_flag=0.0)  # flag everything
    for (src, tgt), prediction in zip(PAIRS, model.predict(PAIRS), strict=True):
        assert 0.0 <= prediction.score <= 1.0
        assert prediction.version_spans and prediction.original_spans
        for text, spans in ((tgt, prediction.version_spans), (src, prediction.original_spans)):
            words = {m.span() for m in WORD.finditer(text)}
            starts = {a for a, _ in words}
            ends = {b for _, b in words}
            for span in spans:
                assert span.severity in ("minor", "major")
                assert span.start in starts or text[span.start - 1 : span.start].strip() == "" or "\u4e00" <= text[span.start] <= "\u9fff"
                assert span.end in ends or "\u4e00" <= text[span.end - 1] <= "\u9fff"
        assert all(s.category == "omission" for s in prediction.original_spans)


def test_the_shipped_model_loads_and_predicts() -> None:
    if not model_available():
        pytest.skip("no shipped weights in this checkout")
    model = load_model()
    assert model.name and len(model.sha256) == 64
    [prediction] = model.predict([PAIRS[0]])
    assert 0.0 <= prediction.score <= 1.0


def test_primed_predictions_equal_fresh_ones_and_are_handed_out_once(
    smoke_trained: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = QEModel(smoke_trained / "qe.npz").predict(PAIRS)
    model = QEModel(smoke_trained / "qe.npz")
    model.prime(PAIRS[:3])
    asked: list[list] = []
    compute = model._predict
    monkeypatch.setattr(model, "_predict", lambda pairs: asked.append(list(pairs)) or compute(pairs))
    _same_predictions(model.predict(PAIRS), fresh)
    assert asked == [[PAIRS[3]]]  # only the pair nobody primed was computed
    _same_predictions(model.predict(PAIRS[:1]), fresh[:1])
    assert asked[-1] == [PAIRS[0]]  # a primed prediction serves one call, then is computed again


def _same_predictions(got: list, expected: list) -> None:
    """Equal up to the last bits that another batch's padding changes in the products."""
    assert [p.version_spans for p in got] == [p.version_spans for p in expected]
    assert [p.original_spans for p in got] == [p.original_spans for p in expected]
    assert [p.score for p in got] == pytest.approx([p.score for p in expected], abs=1e-6)


def test_batch_primes_the_learned_model_with_the_rows_sentence_pairs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fidelity.qe as qe
    from fidelity.batch import score_pairs

    primed: list[list] = []

    class Recorder:
        def __init__(self) -> None:
            self.thresholds = {"pair_flag": 0.5}

        def prime(self, pairs):
            primed.append(list(pairs))

        def predict(self, pairs, src_lang=None, tgt_lang=None):
            return [QEPrediction(0.0) for _ in pairs]

    monkeypatch.setattr(qe, "load_model", lambda *a, **k: Recorder())
    monkeypatch.setattr(qe, "model_available", lambda *a, **k: True)
    table = tmp_path / "pairs.jsonl"
    rows = [{"id": str(k), "source": s, "version": t} for k, (s, t) in enumerate(PAIRS[:2])]
    table.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    score_pairs(table, tmp_path / "out.jsonl", progress=False, mode="translation",
                checks=["number"])
    assert primed == []  # not asked for: never loaded
    summary = score_pairs(table, tmp_path / "out2.jsonl", progress=False, mode="translation",
                          checks=["number", "learned"])
    assert primed == [list(PAIRS[:2])]
    assert summary.errors == 0


def test_worker_threads_follow_the_setting_and_refuse_nonsense(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from fidelity.errors import FidelityInputError
    from fidelity.qe.model import worker_count

    monkeypatch.setenv("FIDELITY_QE_THREADS", "3")
    assert worker_count() == 3
    monkeypatch.delenv("FIDELITY_QE_THREADS")
    assert 1 <= worker_count() <= 4
    monkeypatch.setenv("FIDELITY_QE_THREADS", "many")
    with pytest.raises(FidelityInputError, match="FIDELITY_QE_THREADS must be a positive"):
        worker_count()
