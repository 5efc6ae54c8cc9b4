"""From findings to a fidelity score.

The score summarises a version in one number for tables of many pairs; it orders versions,
while the verdict (a finding at `fail_on` or worse), not the score, decides whether a story
may go out. It is a document score: the weighted mean, over the alignment's beads, of

    bead score = faithfulness(similarity) ** similarity_exponent
                 * exp(-sum of the penalties of the bead's findings)

where omitted and added sentences score 0 (nothing of theirs is rendered), each bead
counts by the share of the two texts it covers (`bead_weights`), and a finding that belongs
to no bead lowers the whole score. So the score is the share of the text that
is faithfully rendered, discounted where a check found something: 1 is a perfect rendering,
more or worse findings never raise it, and a long article is not sunk by one bad sentence
that a one-line row would be.

The exponent and one penalty per check and severity are not set by hand: they are a
logistic regression of good translations against perturbed ones, fitted on the calibration
half of DEMETR by `python bench/calibrate.py --fit-score` (`fidelity.combine`) and shipped
in `calibration/score.json` with what they were fitted on.
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from fidelity.calibration import Calibration
from fidelity.checks.base import AlignedPair
from fidelity.errors import FidelityInputError
from fidelity.model import Finding, Segment, Severity

WEIGHTS_FILE = "score.json"


@dataclass(frozen=True)
class ScoreWeights:
    """The fitted combination: how sharply similarity counts, and what each finding costs.

    Penalties are in log units (a finding multiplies its bead's score by exp(-penalty)),
    never negative and never smaller for a worse severity of the same check, so that no
    finding can raise a score. `default` prices checks the fit never saw (a custom check)."""

    similarity_exponent: float
    penalties: Mapping[str, Mapping[Severity, float]]
    default: Mapping[Severity, float]
    source: str

    def __post_init__(self) -> None:
        if not (self.similarity_exponent >= 0 and math.isfinite(self.similarity_exponent)):
            raise ValueError(f"similarity exponent must be >= 0, not {self.similarity_exponent}")
        for name, table in [*self.penalties.items(), ("default", self.default)]:
            values = [table[s] for s in Severity]
            if any(not math.isfinite(v) or v < 0 for v in values) or values != sorted(values):
                raise ValueError(
                    f"penalties of {name!r} must be finite, >= 0 and not fall with severity: "
                    f"{dict(zip([s.label for s in Severity], values, strict=True))}"
                )

    def penalty(self, check: str, severity: Severity) -> float:
        return self.penalties.get(check, self.default)[severity]

    def log_score(self, log_faithfulness: float, findings: Iterable[Finding]) -> float:
        """The logarithm of a bead's score."""
        penalties = sum(self.penalty(f.check, f.severity) for f in findings)
        return self.similarity_exponent * log_faithfulness - penalties

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "similarity_exponent": self.similarity_exponent,
            "penalties": {name: _by_label(table) for name, table in self.penalties.items()},
            "default": _by_label(self.default),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScoreWeights:
        return cls(
            similarity_exponent=float(data["similarity_exponent"]),
            penalties={name: _by_severity(table) for name, table in data["penalties"].items()},
            default=_by_severity(data["default"]),
            source=str(data["source"]),
        )


def _by_label(table: Mapping[Severity, float]) -> dict[str, float]:
    return {s.label: round(float(table[s]), 4) for s in Severity}


def _by_severity(table: Mapping[str, float]) -> dict[Severity, float]:
    return {s: float(table[s.label]) for s in Severity}


@cache
def load_score_weights() -> ScoreWeights:
    """The weights shipped with the package (read once per process)."""
    text = resources.files("fidelity.calibration").joinpath(WEIGHTS_FILE).read_text("utf-8")
    return ScoreWeights.from_dict(json.loads(text))


def severity_overrides(table: object) -> dict[str, Severity]:
    """The settings' `[severity]` table (`check` or `check.category` -> critical, major or
    minor) as severities; a wrong value is the user's, so it is a one-line input error."""
    if not table:
        return {}
    if not isinstance(table, Mapping):
        raise FidelityInputError("the [severity] setting must be a table of check = severity")
    overrides = {}
    for key, value in table.items():
        try:
            overrides[str(key)] = value if isinstance(value, Severity) else Severity.parse(value)
        except (ValueError, AttributeError):
            choices = ", ".join(s.label for s in Severity)
            raise FidelityInputError(
                f"[severity] {key} = {value!r}: choose one of {choices}"
            ) from None
    return overrides


def apply_severity_overrides(
    findings: Iterable[Finding], overrides: Mapping[str, Severity]
) -> list[Finding]:
    """A desk's own grading of what each check finds, applied before the score and the
    verdict: `check.category` wins over `check`, findings nothing names keep theirs."""
    graded = []
    for finding in findings:
        severity = overrides.get(f"{finding.check}.{finding.category}") or overrides.get(
            finding.check
        )
        graded.append(
            finding if severity in (None, finding.severity) else replace(finding, severity=severity)
        )
    return graded


def log_faithfulness(calibration: Calibration, similarity: float) -> float:
    """log of the calibrated faithfulness: 0 for a perfect match, about -0.05 for a typical
    translation, -0.7 halfway to an unrelated sentence; the fitted exponent scales it."""
    faithfulness = float(calibration.faithfulness(similarity))
    return math.log(max(faithfulness, 1e-300))


def findings_by_bead(
    pairs: Sequence[AlignedPair], findings: Sequence[Finding]
) -> tuple[list[list[Finding]], list[Finding]]:
    """Each finding with the bead it was raised on (found by where its span starts, on the
    version side, else on the original side), and those that fall in no bead."""
    sides = (
        _segment_index(pairs, lambda p: p.version_segments),
        _segment_index(pairs, lambda p: p.original_segments),
    )
    by_bead: list[list[Finding]] = [[] for _ in pairs]
    unplaced: list[Finding] = []
    for finding in findings:
        bead = None
        for span, index in zip((finding.version_span, finding.original_span), sides, strict=True):
            if span is not None and bead is None:
                bead = _find(index, span.start)
        if bead is None:
            unplaced.append(finding)
        else:
            by_bead[bead].append(finding)
    return by_bead, unplaced


_SegmentIndex = tuple[list[int], list[int], list[int]]


def _segment_index(
    pairs: Sequence[AlignedPair], side: Callable[[AlignedPair], tuple[Segment, ...]]
) -> _SegmentIndex:
    """Starts, ends and bead of every segment on one side, sorted by start."""
    rows = sorted(
        (segment.start, segment.end, k) for k, pair in enumerate(pairs) for segment in side(pair)
    )
    return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]


def _find(index: _SegmentIndex, offset: int) -> int | None:
    starts, ends, beads = index
    k = bisect.bisect_right(starts, offset) - 1
    return beads[k] if k >= 0 and offset <= ends[k] else None


def bead_weights(pairs: Sequence[AlignedPair]) -> np.ndarray:
    """How much each bead counts: the share of the original's text it covers plus the share
    of the version's (shares, not characters, so that a language that needs fewer characters
    does not count less). An omitted or added sentence is content on one side only, so it
    counts twice its share, as much as it would have counted had it been rendered."""
    original = np.array([len(p.original_text) for p in pairs], dtype=float)
    version = np.array([len(p.version_text) for p in pairs], dtype=float)
    shares = original / max(original.sum(), 1.0) + version / max(version.sum(), 1.0)
    one_sided = (original == 0) | (version == 0)
    return np.where(one_sided, 2 * shares, shares)


def fidelity_score(
    pairs: Sequence[AlignedPair],
    findings: Sequence[Finding],
    calibration: Calibration,
    weights: ScoreWeights | None = None,
) -> float:
    """The version's score in [0, 1] (see the module docstring); an empty comparison is 1."""
    weights = weights or load_score_weights()
    by_bead, unplaced = findings_by_bead(pairs, findings)
    lengths = bead_weights(pairs)
    scores = np.zeros(len(pairs))
    for k, pair in enumerate(pairs):
        if pair.original_segments and pair.version_segments and pair.similarity is not None:
            log_f = log_faithfulness(calibration, pair.similarity)
            scores[k] = math.exp(weights.log_score(log_f, by_bead[k]))
    score = float(scores @ lengths / lengths.sum()) if lengths.sum() > 0 else 1.0
    score *= math.exp(weights.log_score(0.0, unplaced))
    return round(min(1.0, max(0.0, score)), 6)
