"""Per-encoder similarity calibration, so one threshold means the same under every model.

USE puts unrelated sentences near 0.1 and translations near 0.75; e5 puts them at 0.75 and
0.9. Each bundled encoder ships the quantiles of both distributions, measured by
`python bench/calibrate.py` on the calibration half of DEMETR (sources whose hash is even);
the other half is kept for reporting. Any other model is calibrated the same way on first use
from the small sample shipped here, and the result is cached.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from fidelity.embed.base import Encoder
from fidelity.embed.cache import default_cache_dir

QUANTILES = (1, 2, 5, 10, 25, 50, 75, 90, 95, 98, 99)


@dataclass(frozen=True)
class Calibration:
    encoder: str
    source: str
    faithful: dict[int, float]
    unrelated: dict[int, float]

    @property
    def label(self) -> str:
        return f"{self.encoder}@{self.source}"

    @property
    def match_threshold(self) -> float:
        """Above this, two sentences are taken to render each other: almost no unrelated pair
        reaches it, and almost every faithful pair does."""
        return max(self.unrelated[99], (self.unrelated[99] + self.faithful[2]) / 2)

    @property
    def rereport_threshold(self) -> float:
        """A re-report sentence renders an original one only if their similarity reaches what
        99% of faithful translations reach: sentences of one story share topic and names, so
        the bar that separates unrelated text is far too low among them."""
        return max(self.match_threshold, self.faithful[1])

    def faithfulness(self, similarity: float | np.ndarray) -> float | np.ndarray:
        """Similarity mapped into 0..1 on the encoder's own scale: about 0.05 for a typical
        unrelated pair, 0.5 halfway, 0.95 for a typical translation. Strictly increasing
        (a logistic, not a clip), so two versions never tie just for being both good."""
        low, high = self.unrelated[50], self.faithful[50]
        calibrated = (np.asarray(similarity, dtype=np.float64) - low) / (high - low)
        return 1.0 / (1.0 + np.exp(-6.0 * (calibrated - 0.5)))

    def faithful_percentile(self, similarity: float) -> float:
        """Where a similarity falls among faithful translations (0-100)."""
        qs = sorted(self.faithful)
        return float(np.interp(similarity, [self.faithful[q] for q in qs], qs, left=0, right=100))

    def faithful_at(self, percentile: float) -> float:
        """The similarity that this percentile of faithful translations reaches, interpolated
        between the stored percentiles (exact at a stored one)."""
        qs = sorted(self.faithful)
        return float(np.interp(percentile, qs, [self.faithful[q] for q in qs]))

    def to_dict(self) -> dict[str, object]:
        return {
            "encoder": self.encoder,
            "source": self.source,
            "faithful": {str(k): v for k, v in self.faithful.items()},
            "unrelated": {str(k): v for k, v in self.unrelated.items()},
        }

    @classmethod
    def from_dict(cls, data: dict) -> Calibration:  # type: ignore[type-arg]
        return cls(
            encoder=data["encoder"],
            source=data["source"],
            faithful={int(k): float(v) for k, v in data["faithful"].items()},
            unrelated={int(k): float(v) for k, v in data["unrelated"].items()},
        )


def calibrate(
    encoder: Encoder, sources: list[str], translations: list[str], source_label: str
) -> Calibration:
    """Quantiles of faithful (source, translation) similarities and of mismatched pairs."""
    src = encoder.encode(sources)
    tgt = encoder.encode(translations)
    faithful = np.sum(src * tgt, axis=1)
    rng = np.random.default_rng(0)
    shift = rng.integers(1, len(sources), size=len(sources))
    unrelated = np.sum(src * tgt[(np.arange(len(sources)) + shift) % len(sources)], axis=1)
    return Calibration(
        encoder=encoder.name,
        source=source_label,
        faithful={q: round(float(np.percentile(faithful, q)), 4) for q in QUANTILES},
        unrelated={q: round(float(np.percentile(unrelated, q)), 4) for q in QUANTILES},
    )


def _file_name(encoder_name: str) -> str:
    safe = "".join(ch if ch.isalnum() else "_" for ch in encoder_name)[-80:]
    return f"{safe}.json"


def load_calibration(encoder: Encoder) -> Calibration:
    """The shipped calibration of a bundled encoder, else a cached or fresh one from the sample."""
    if encoder.name not in _LOADED:
        _LOADED[encoder.name] = _find_calibration(encoder)
    return _LOADED[encoder.name]


_LOADED: dict[str, Calibration] = {}


def _find_calibration(encoder: Encoder) -> Calibration:
    shipped = resources.files(__package__).joinpath(_file_name(encoder.name))
    if shipped.is_file():
        return Calibration.from_dict(json.loads(shipped.read_text(encoding="utf-8")))
    cached = default_cache_dir() / "calibration" / _file_name(encoder.name)
    if cached.is_file():
        return Calibration.from_dict(json.loads(cached.read_text(encoding="utf-8")))
    sample = resources.files(__package__).joinpath("sample.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in sample.splitlines() if line.strip()]
    result = calibrate(
        encoder,
        [r["src"] for r in rows],
        [r["mt"] for r in rows],
        "fidelity-sample",
    )
    from fidelity.errors import FidelityInputError
    from fidelity.io.atomic import write_text_atomic

    # A cache that cannot be written (read-only, not a file) only costs a recalibration.
    with contextlib.suppress(OSError, FidelityInputError):
        write_text_atomic(Path(cached), json.dumps(result.to_dict(), indent=1))
    return result
