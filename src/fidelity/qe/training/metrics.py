"""Dev figures that choose epochs and thresholds (numpy; the benchmark proper is bench/qe.py)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def char_labels(length: int, spans: Sequence[tuple[int, int, str]]) -> np.ndarray:
    labels = np.zeros(max(length, 1), dtype=np.int8)
    for start, end, severity in spans:
        code = 2 if severity == "major" else 1
        end = max(end, start + 1)
        labels[start:end] = np.maximum(labels[start:end], code)
    return labels


def severity_char_f1(gold: Sequence[np.ndarray], predicted: Sequence[np.ndarray]) -> float:
    """WMT23 task-2 style: a character flagged on both sides counts 1 when the severities
    agree and 0.5 when they differ; precision and recall over all characters of the set."""
    matched = gold_total = predicted_total = 0.0
    for g, p in zip(gold, predicted, strict=True):
        both = (g > 0) & (p > 0)
        matched += float(np.where(g[both] == p[both], 1.0, 0.5).sum())
        gold_total += float((g > 0).sum())
        predicted_total += float((p > 0).sum())
    if matched == 0:
        return 0.0
    precision, recall = matched / predicted_total, matched / gold_total
    return 2 * precision * recall / (precision + recall)


def mcc(gold: Sequence[bool], predicted: Sequence[bool]) -> float:
    g = np.asarray(gold, dtype=bool)
    p = np.asarray(predicted, dtype=bool)
    tp = float((g & p).sum())
    tn = float((~g & ~p).sum())
    fp = float((~g & p).sum())
    fn = float((g & ~p).sum())
    denominator = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return (tp * tn - fp * fn) / denominator if denominator else 0.0


def best_mcc_threshold(gold: Sequence[bool], scores: Sequence[float]) -> tuple[float, float]:
    """(threshold, MCC) maximising MCC over a grid of probabilities."""
    scores = np.asarray(scores)
    best = (0.5, mcc(gold, scores >= 0.5))
    for threshold in np.arange(0.05, 0.96, 0.025):
        value = mcc(gold, scores >= threshold)
        if value > best[1]:
            best = (float(round(threshold, 3)), value)
    return best


def auc(gold: Sequence[bool], scores: Sequence[float]) -> float:
    g = np.asarray(gold, dtype=bool)
    s = np.asarray(scores, dtype=np.float64)
    if g.all() or not g.any():
        return float("nan")
    ranks = s.argsort().argsort() + 1.0
    n_pos = g.sum()
    return float((ranks[g].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * (len(g) - n_pos)))
