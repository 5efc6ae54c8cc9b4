"""The fidelity score: the shipped fitted weights, its promises as a document score, the fit."""

from __future__ import annotations

import json
import math
import random
from importlib import resources

import numpy as np
import pytest

import fidelity
from fidelity.calibration import Calibration
from fidelity.checks import REGISTRY
from fidelity.checks.base import AlignedPair
from fidelity.combine import Example, design, fit_logistic, fit_score_weights, shrinkage
from fidelity.model import Alignment, Finding, Segment, Severity, Span
from fidelity.score import (
    WEIGHTS_FILE,
    ScoreWeights,
    bead_weights,
    fidelity_score,
    load_score_weights,
)

CALIBRATION = Calibration(
    encoder="test",
    source="test",
    faithful={1: 0.5, 2: 0.55, 5: 0.6, 50: 0.75, 95: 0.85, 99: 0.9},
    unrelated={1: -0.05, 50: 0.1, 99: 0.3},
)
TYPICAL = 0.75  # a typical faithful translation under CALIBRATION
SENTENCE = "The ministry announced twelve new sanctions on Monday."


def document(sentences: list[str]) -> tuple[str, list[Segment]]:
    text = " ".join(sentences)
    segments, start = [], 0
    for k, sentence in enumerate(sentences):
        segments.append(Segment(k, sentence, start, start + len(sentence)))
        start += len(sentence) + 1
    return text, segments


def beads(
    original: list[str], version: list[str], links: list[tuple[list[int], list[int], float | None]]
) -> list[AlignedPair]:
    o_text, o_segments = document(original)
    v_text, v_segments = document(version)
    pairs = []
    for o_ids, v_ids, similarity in links:
        o = tuple(o_segments[i] for i in o_ids)
        v = tuple(v_segments[j] for j in v_ids)
        pairs.append(
            AlignedPair(
                Alignment(tuple(o_ids), tuple(v_ids), similarity),
                o,
                v,
                o_text[o[0].start : o[-1].end] if o else "",
                v_text[v[0].start : v[-1].end] if v else "",
            )
        )
    return pairs


def finding(check: str, severity: Severity, pair: AlignedPair | None = None) -> Finding:
    """A finding on the version side of `pair` (on no bead at all without one)."""
    span = None
    if pair is not None:
        segment = pair.version_segments[0]
        span = Span(segment.start, segment.end, segment.text)
    return Finding(check, "mistranslation", severity, "test", None, span)


def one_bead(similarity: float) -> list[AlignedPair]:
    return beads([SENTENCE], [SENTENCE], [([0], [0], similarity)])


def test_shipped_weights_load_price_every_check_and_name_development_data() -> None:
    weights = load_score_weights()
    assert set(REGISTRY) <= set(weights.penalties)
    assert "calibration-half" in weights.source
    shipped = json.loads(
        resources.files("fidelity.calibration").joinpath(WEIGHTS_FILE).read_text("utf-8")
    )
    assert "calibration half" in shipped["fitted_on"]["data"]
    assert "evaluation" not in shipped["fitted_on"]["data"]
    # Re-reading what was written gives the same weights.
    assert ScoreWeights.from_dict(weights.to_dict()) == weights


def test_identical_version_scores_high_and_above_one_with_a_critical_finding() -> None:
    clean = one_bead(1.0)
    assert fidelity_score(clean, [], CALIBRATION) > 0.9
    critical = fidelity_score(clean, [finding("number", Severity.CRITICAL, clean[0])], CALIBRATION)
    assert critical < fidelity_score(clean, [], CALIBRATION)
    assert critical < fidelity_score(one_bead(TYPICAL), [], CALIBRATION)


def test_more_or_worse_findings_never_raise_the_score() -> None:
    weights = load_score_weights()
    pairs = one_bead(TYPICAL)
    rng = random.Random(0)
    checks = [*sorted(weights.penalties), "a-check-the-fit-never-saw"]
    for _ in range(300):
        findings = [
            finding(rng.choice(checks), rng.choice(list(Severity)), pairs[0])
            for _ in range(rng.randrange(4))
        ]
        before = fidelity_score(pairs, findings, CALIBRATION)
        added = finding(rng.choice(checks), rng.choice(list(Severity)), pairs[0])
        assert fidelity_score(pairs, [*findings, added], CALIBRATION) <= before
        if findings and findings[0].severity < Severity.CRITICAL:
            worse = finding(findings[0].check, Severity(findings[0].severity + 1), pairs[0])
            assert fidelity_score(pairs, [worse, *findings[1:]], CALIBRATION) <= before


def test_score_is_in_range_and_rises_with_similarity() -> None:
    scores = [fidelity_score(one_bead(s), [], CALIBRATION) for s in np.linspace(-0.2, 1.0, 25)]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores)
    assert fidelity_score([], [], CALIBRATION) == 1.0


def test_a_finding_lowers_only_its_own_sentence_and_omissions_count_as_unrendered() -> None:
    weights = load_score_weights()
    original = [SENTENCE, "Officials expect a response from Brussels within a week."]
    version = [SENTENCE, "Officials expect a reply from Brussels within a week."]
    pairs = beads(original, version, [([0], [0], TYPICAL), ([1], [1], TYPICAL)])
    clean = fidelity_score(pairs, [], CALIBRATION)
    one = fidelity_score(pairs, [finding("number", Severity.MAJOR, pairs[1])], CALIBRATION)
    share = bead_weights(pairs)[1] / bead_weights(pairs).sum()
    expected = clean * (1 - share * (1 - math.exp(-weights.penalties["number"][Severity.MAJOR])))
    assert one == pytest.approx(expected, abs=1e-5)
    # The same finding nowhere in particular lowers the whole score by its full factor.
    unplaced = fidelity_score(pairs, [finding("number", Severity.MAJOR)], CALIBRATION)
    assert unplaced < one
    # The second sentence left out: it scores 0, and counts as much as it would rendered
    # (twice its share of the original), though the version is shorter.
    omitted = beads(original, version[:1], [([0], [0], TYPICAL), ([1], [], 0.2)])
    o_share = len(original[1]) / (len(original[0]) + len(original[1]))
    kept = (1 - o_share) + 1.0
    assert bead_weights(omitted) == pytest.approx([kept, 2 * o_share])
    assert fidelity_score(omitted, [], CALIBRATION) == pytest.approx(
        clean * kept / (kept + 2 * o_share), abs=1e-5
    )


def test_weights_under_which_a_finding_could_raise_a_score_are_refused() -> None:
    ordered = {Severity.MINOR: 0.1, Severity.MAJOR: 0.2, Severity.CRITICAL: 0.3}
    ScoreWeights(1.0, {"number": ordered}, ordered, "test")
    with pytest.raises(ValueError, match="not fall with severity"):
        ScoreWeights(1.0, {"number": {**ordered, Severity.CRITICAL: 0.15}}, ordered, "test")
    with pytest.raises(ValueError):
        ScoreWeights(1.0, {"number": {**ordered, Severity.MINOR: -0.1}}, ordered, "test")
    with pytest.raises(ValueError):
        ScoreWeights(-1.0, {}, ordered, "test")


def synthetic_examples(seed: int = 0) -> list[Example]:
    """Good versions are closer to their originals; 'reliable' fires on bad ones only,
    'noisy' on good and bad alike; 'silent' never fires."""
    rng = np.random.default_rng(seed)
    examples = []
    for good in [True] * 400 + [False] * 400:
        log_f = -abs(rng.normal(0.05 if good else 0.3, 0.1))
        findings = []
        if not good and rng.random() < 0.3:
            findings.append(finding("reliable", Severity.CRITICAL))
        if rng.random() < 0.2:
            findings.append(finding("noisy", Severity.MAJOR))
        examples.append(Example(log_f, tuple(findings), good))
    return examples


def test_fit_prices_a_reliable_check_above_a_noisy_one_within_the_constraints() -> None:
    checks = ["noisy", "reliable", "silent"]
    weights = fit_score_weights(synthetic_examples(), checks, 0.003, "synthetic")
    assert weights.similarity_exponent > 0
    reliable, noisy = weights.penalties["reliable"], weights.penalties["noisy"]
    assert reliable[Severity.CRITICAL] > 1.0
    assert noisy[Severity.MAJOR] < 0.3 * reliable[Severity.CRITICAL]
    # A check without data is priced like an unknown one: at the shared penalty.
    assert weights.penalties["silent"] == pytest.approx(weights.default, abs=1e-3)


def test_fit_reaches_the_constrained_optimum() -> None:
    """The optimality (KKT) conditions of the box-constrained problem hold at the answer:
    a zero gradient on the free coefficients, none pulling a clamped one below zero."""
    examples = synthetic_examples(1)
    checks = ["noisy", "reliable", "silent"]
    x = design(examples, checks)
    y = np.array([e.good for e in examples], dtype=float)
    w = np.ones(len(examples)) / len(examples)
    ridge = shrinkage(len(checks), 0.003)
    theta = fit_logistic(x, y, w, ridge, iterations=200000, tolerance=1e-12)
    gradient = x.T @ (w * (1 / (1 + np.exp(-(x @ theta))) - y)) + ridge @ theta
    free = np.ones(len(theta), dtype=bool)
    free[1:] = theta[1:] > 1e-8
    assert np.abs(gradient[free]).max() < 1e-6
    assert (gradient[~free] > -1e-6).all()


def test_a_changed_figure_scores_below_the_faithful_translation() -> None:
    original = "Le ministère a annoncé douze nouvelles sanctions lundi."
    faithful = "The ministry announced twelve new sanctions on Monday."
    changed = "The ministry announced twenty new sanctions on Monday."
    report = fidelity.check(original, [faithful, changed], lang_original="fr", lang_version="en")
    good, bad = report.versions
    assert good.score > 0.5
    assert bad.score < good.score
