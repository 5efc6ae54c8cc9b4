"""How fidelity's findings are measured against human annotations, the way the shared tasks
measure theirs, so that our figures can stand beside published ones.

Character labels follow the WMT 2023 quality-estimation task 2 scorer
(github.com/WMT-QE-Task/qe-eval-scripts, wmt23/task2_evaluate.py): a translation of n
characters has n + 1 slots, the last one standing for "after the end", where annotators mark
omissions; a span whose start equals its end marks the one slot at its start. Each slot holds
two flags, minor and major, because spans of both severities may cover the same character.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MINOR = 1
MAJOR = 2
SEVERITY_FLAGS = {"minor": MINOR, "major": MAJOR, "critical": MAJOR}


def char_labels(length: int, spans: Iterable[tuple[int, int, str]]) -> list[int]:
    """Flags (0, MINOR, MAJOR or both) for each of the `length + 1` slots of a translation.

    Spans are (start, end, severity) with severity minor, major or critical (critical counts
    as major: the task knows two severities). Offsets past the end are clipped to the final
    slot, as the task's scorer does, so an annotation never raises an error here."""
    labels = [0] * (length + 1)
    for start, end, severity in spans:
        if start < 0 or end < 0:
            continue
        flag = SEVERITY_FLAGS[severity]
        start, end = min(start, length), min(end, length)
        for k in range(start, max(end, start + 1)):
            labels[k] |= flag
    return labels


def merge_raters(ratings: Sequence[Sequence[int]]) -> list[int]:
    """One label sequence from several raters' labels of the same translation.

    A slot is an error when more than half of the raters mark it; it keeps each severity
    that at least half of those who marked it gave. One rater's labels come back unchanged."""
    if not ratings:
        raise ValueError("no ratings to merge")
    merged = []
    for slot in zip(*ratings, strict=True):
        markers = [flags for flags in slot if flags]
        if 2 * len(markers) <= len(ratings):
            merged.append(0)
            continue
        flags = 0
        for flag in (MINOR, MAJOR):
            if 2 * sum(1 for m in markers if m & flag) >= len(markers):
                flags |= flag
        merged.append(flags)
    return merged


@dataclass(frozen=True)
class SpanScore:
    """Character-level precision, recall and F1 over a whole set of translations (micro)."""

    precision: float
    recall: float
    f1: float
    gold_chars: int
    system_chars: int


def span_f1(pairs: Iterable[tuple[Sequence[int], Sequence[int]]]) -> SpanScore:
    """Severity-aware character F1 of (gold, system) label sequences, as WMT23 task 2 scored it.

    A gold error slot earns 1 when the system marks it with a severity the gold has, 0.5 when
    only with the other severity; a slot the gold marks with both severities earns 1 for any
    mark. Precision divides the credit by the slots the system marks, recall by the slots the
    gold marks, both summed over every translation before dividing. A system that marks
    nothing has precision 0 (the task's script would divide by zero)."""
    credit = 0.0
    gold_total = system_total = 0
    for gold, system in pairs:
        if len(gold) != len(system):
            raise ValueError(f"label lengths differ: {len(gold)} and {len(system)}")
        for g, s in zip(gold, system, strict=True):
            gold_total += bool(g)
            system_total += bool(s)
            if not g or not s:
                continue
            if g == MINOR | MAJOR or g & s:
                credit += 1.0
            else:
                credit += 0.5
    precision = credit / system_total if system_total else 0.0
    recall = credit / gold_total if gold_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return SpanScore(precision, recall, f1, gold_total, system_total)


def mcc(predicted: Sequence[bool], gold: Sequence[bool]) -> float:
    """Matthews correlation; 0 when a row or column of the confusion table is empty."""
    tp = sum(p and g for p, g in zip(predicted, gold, strict=True))
    fp = sum(p and not g for p, g in zip(predicted, gold, strict=True))
    positives = sum(gold)
    return _mcc_counts(tp, fp, positives, len(gold) - positives)


def best_mcc_threshold(scores: Sequence[float], gold: Sequence[bool]) -> float:
    """The threshold t for which `score > t` agrees best (MCC) with gold: chosen on dev data
    and then applied, unchanged, to what is reported. Ties go to the highest threshold, which
    flags least."""
    positives = sum(gold)
    negatives = len(gold) - positives
    # Sweep from "flag everything" upwards: raising t to a score unflags the rows at it.
    tp, fp = positives, negatives
    best, best_value = -math.inf, _mcc_counts(tp, fp, positives, negatives)
    ranked = sorted(zip(scores, gold, strict=True))
    k = 0
    while k < len(ranked):
        threshold = ranked[k][0]
        while k < len(ranked) and ranked[k][0] == threshold:
            tp -= ranked[k][1]
            fp -= not ranked[k][1]
            k += 1
        value = _mcc_counts(tp, fp, positives, negatives)
        if value >= best_value:
            best, best_value = threshold, value
    return best


def _mcc_counts(tp: int, fp: int, positives: int, negatives: int) -> float:
    fn, tn = positives - tp, negatives - fp
    denominator = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return (tp * tn - fp * fn) / denominator if denominator else 0.0


def threshold_at_false_rate(negative_scores: Sequence[float], rate: float) -> float:
    """The lowest threshold t such that at most `rate` of the negatives have `score > t`: the
    most a checker can flag while staying within that share of false flags."""
    if not negative_scores:
        raise ValueError("no negative scores to set a threshold on")
    ordered = sorted(negative_scores, reverse=True)
    allowed = math.floor(rate * len(ordered) + 1e-9)
    if allowed >= len(ordered):
        return -math.inf
    return ordered[allowed]
