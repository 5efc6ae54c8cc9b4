"""The benchmark's metrics on hand-worked examples: a wrong metric would make every figure in
BENCHMARKS.md wrong without any other test noticing."""

from __future__ import annotations

import math

import pytest

from fidelity.evaluation import (
    MAJOR,
    MINOR,
    best_mcc_threshold,
    char_labels,
    mcc,
    merge_raters,
    span_f1,
    threshold_at_false_rate,
)


def test_char_labels_mark_spans_omission_slots_and_clip_past_the_end() -> None:
    # "abcd": slots 0-3 are characters, slot 4 is "after the end".
    assert char_labels(4, [(1, 3, "major")]) == [0, MAJOR, MAJOR, 0, 0]
    assert char_labels(4, [(4, 4, "minor")]) == [0, 0, 0, 0, MINOR]
    assert char_labels(4, [(2, 2, "critical")]) == [0, 0, MAJOR, 0, 0]
    assert char_labels(4, [(3, 9, "minor")]) == [0, 0, 0, MINOR, 0]
    assert char_labels(4, [(-1, -1, "minor")]) == [0, 0, 0, 0, 0]
    assert char_labels(3, [(0, 2, "minor"), (1, 3, "major")]) == [
        MINOR,
        MINOR | MAJOR,
        MAJOR,
        0,
    ]


def test_merge_keeps_what_most_raters_mark_with_the_severity_most_of_them_gave() -> None:
    ratings = [[MAJOR, MAJOR, 0], [MAJOR, 0, 0], [MINOR, 0, MINOR]]
    # slot 0: all three mark it, two say major; slots 1 and 2: one rater of three.
    assert merge_raters(ratings) == [MAJOR, 0, 0]
    assert merge_raters([[MAJOR], [0]]) == [0]  # one of two is not most
    assert merge_raters([[MAJOR], [MINOR]]) == [MINOR | MAJOR]  # a tie keeps both
    assert merge_raters([[MAJOR], [MINOR], [MINOR]]) == [MINOR]
    assert merge_raters([[MINOR | MAJOR, 0]]) == [MINOR | MAJOR, 0]


def test_span_f1_gives_half_credit_for_the_wrong_severity() -> None:
    gold = [MAJOR, MAJOR, 0, 0]
    system = [MAJOR, MINOR, MINOR, 0]
    score = span_f1([(gold, system)])
    # credit 1 + 0.5 over 3 system slots and 2 gold slots
    assert score.precision == pytest.approx(0.5)
    assert score.recall == pytest.approx(0.75)
    assert score.f1 == pytest.approx(0.6)
    # a gold slot of both severities earns full credit for either mark
    assert span_f1([([MINOR | MAJOR], [MINOR])]).f1 == pytest.approx(1.0)


def test_span_f1_is_micro_averaged_and_survives_an_empty_system() -> None:
    score = span_f1([([MINOR, 0], [MINOR, 0]), ([MAJOR, MAJOR], [0, 0])])
    assert (score.precision, score.recall) == (pytest.approx(1.0), pytest.approx(1 / 3))
    assert span_f1([([MAJOR], [0])]).f1 == 0.0
    with pytest.raises(ValueError):
        span_f1([([MAJOR], [MAJOR, 0])])


def test_mcc_on_known_tables() -> None:
    gold = [True, True, True, False, False, False]
    assert mcc(gold, gold) == pytest.approx(1.0)
    assert mcc([not g for g in gold], gold) == pytest.approx(-1.0)
    # tp 2, fn 1, fp 1, tn 2: (4 - 1) / 3^2
    assert mcc([True, True, False, True, False, False], gold) == pytest.approx(1 / 3)
    assert mcc([True] * 6, gold) == 0.0


def test_best_threshold_separates_when_it_can() -> None:
    threshold = best_mcc_threshold([0.1, 0.4, 0.6, 0.9], [False, False, True, True])
    assert 0.4 <= threshold < 0.6
    # one positive scored low: flagging everything is worse than missing it
    threshold = best_mcc_threshold([0.1, 0.2, 0.3, 0.8, 0.9], [True, False, False, True, True])
    assert 0.3 <= threshold < 0.8


def test_threshold_at_false_rate_flags_at_most_that_share_of_negatives() -> None:
    negatives = [k / 20 for k in range(20)]
    threshold = threshold_at_false_rate(negatives, 0.05)
    assert sum(s > threshold for s in negatives) == 1
    assert sum(s > threshold_at_false_rate(negatives, 0.0) for s in negatives) == 0
    assert threshold_at_false_rate(negatives, 1.0) == -math.inf
