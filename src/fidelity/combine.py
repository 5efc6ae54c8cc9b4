"""Fitting the score's weights (`fidelity.score`) on development data, with numpy alone.

A logistic regression separates good translations (label 1) from perturbed ones (label 0),
one row per version that aligned as a single bead:

    logit = intercept + similarity_exponent * log faithfulness(similarity)
            - sum over the findings of penalty[check][severity]

which is the bead score's own form, so the fitted coefficients are its weights (the
intercept only reflects the mix of the training rows and is dropped). Constraints keep the
score's promises: the exponent and every penalty are >= 0, and a check's penalty does not
fall with severity (it is fitted as increments: minor, then + major, then + critical, each
>= 0).

The data cannot price every (check, severity) alone: a check that almost never fires on a
good translation separates perfectly, so its maximum-likelihood penalty is infinite, and
some checks rarely fire at all. So each check's increments are pulled (L2, `strength`)
towards one shared increment per severity, itself pulled towards 0; a check without data
gets the shared penalty, which is also the default for checks the fit never saw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from fidelity.model import Finding, Severity
from fidelity.score import ScoreWeights

LEVELS = tuple(Severity)  # minor, major, critical: the order of the increments


@dataclass(frozen=True)
class Example:
    """One version reduced to what the score sees: its log faithfulness, its findings."""

    log_faithfulness: float
    findings: tuple[Finding, ...]
    good: bool
    weight: float = 1.0


def log_score(example: Example, weights: ScoreWeights) -> float:
    """The log score of a one-bead version under `weights`."""
    return weights.log_score(example.log_faithfulness, example.findings)


def design(examples: Sequence[Example], checks: Sequence[str]) -> np.ndarray:
    """Columns: intercept, log faithfulness, then per check minus the number of its
    findings at minor or worse, at major or worse, at critical (so that each increment
    multiplies a count of findings it applies to), then three empty columns for the shared
    increments, which only the penalty ties to the data."""
    column = {name: 2 + 3 * k for k, name in enumerate(checks)}
    x = np.zeros((len(examples), 2 + 3 * len(checks) + 3))
    x[:, 0] = 1.0
    for row, example in enumerate(examples):
        x[row, 1] = example.log_faithfulness
        for finding in example.findings:
            for level in range(int(finding.severity)):
                x[row, column[finding.check] + level] -= 1.0
    return x


def shrinkage(n_checks: int, strength: float) -> np.ndarray:
    """The quadratic penalty: strength * (sum of squared shared increments + sum of squared
    differences between each check's increments and the shared ones)."""
    size = 2 + 3 * n_checks + 3
    shared = 2 + 3 * n_checks
    matrix = np.zeros((size, size))
    for level in range(3):
        matrix[shared + level, shared + level] += strength
        for k in range(n_checks):
            own = 2 + 3 * k + level
            matrix[own, own] += strength
            matrix[shared + level, shared + level] += strength
            matrix[own, shared + level] -= strength
            matrix[shared + level, own] -= strength
    return matrix


def fit_logistic(
    x: np.ndarray,
    y: np.ndarray,
    sample_weight: np.ndarray,
    ridge: np.ndarray,
    iterations: int = 20000,
    tolerance: float = 1e-9,
) -> np.ndarray:
    """Coefficients minimising the weighted mean log loss + theta' ridge theta / 2 with
    every coefficient but the first (the intercept) >= 0: accelerated projected gradient
    (FISTA with restarts), which a convex problem with box constraints needs nothing more
    than. Stops when no coefficient moves by more than `tolerance`."""
    w = sample_weight / sample_weight.sum()
    step = 1.0 / (0.25 * np.linalg.norm(x * np.sqrt(w)[:, None], 2) ** 2 + np.linalg.norm(ridge, 2))
    theta = np.zeros(x.shape[1])
    ahead = theta.copy()
    momentum = 1.0
    for _ in range(iterations):
        probability = 0.5 * (1.0 + np.tanh(0.5 * (x @ ahead)))
        gradient = x.T @ (w * (probability - y)) + ridge @ ahead
        new = ahead - step * gradient
        new[1:] = np.maximum(new[1:], 0.0)
        if np.max(np.abs(new - theta)) < tolerance:
            return new
        if (new - theta) @ (ahead - new) > 0:  # the momentum points uphill: restart it
            theta, ahead, momentum = new, new.copy(), 1.0
            continue
        following = (1.0 + np.sqrt(1.0 + 4.0 * momentum**2)) / 2.0
        ahead = new + (momentum - 1.0) / following * (new - theta)
        theta, momentum = new, following
    return theta


def fit_score_weights(
    examples: Sequence[Example], checks: Sequence[str], strength: float, source: str
) -> ScoreWeights:
    """The score's weights fitted on `examples`; `checks` are all that get a penalty of
    their own (a check that never fires in the data gets the shared one)."""
    theta = fit_logistic(
        design(examples, checks),
        np.array([e.good for e in examples], dtype=float),
        np.array([e.weight for e in examples], dtype=float),
        shrinkage(len(checks), strength),
    )
    shared = np.cumsum(theta[2 + 3 * len(checks) :])
    penalties = {
        name: dict(zip(LEVELS, np.cumsum(theta[2 + 3 * k : 5 + 3 * k]), strict=True))
        for k, name in enumerate(checks)
    }
    return ScoreWeights(
        similarity_exponent=float(theta[1]),
        penalties={n: {s: float(v) for s, v in t.items()} for n, t in penalties.items()},
        default={s: float(v) for s, v in zip(LEVELS, shared, strict=True)},
        source=source,
    )
