"""Alignment on hand-made vectors: the algorithm alone, no model."""

from __future__ import annotations

import numpy as np
import pytest

from fidelity.align import _longest_increasing, align, align_rereport, align_translation
from fidelity.calibration import QUANTILES, Calibration

CALIBRATION = Calibration(
    encoder="test",
    source="hand-made",
    faithful={q: 0.6 + 0.003 * q for q in QUANTILES},
    unrelated={q: -0.1 + 0.003 * q for q in QUANTILES},
)


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _document(n: int, seed: int = 0) -> np.ndarray:
    return _unit(np.random.default_rng(seed).normal(size=(n, 64)))


def _noisy(vectors: np.ndarray, seed: int = 1) -> np.ndarray:
    return _unit(vectors + 0.3 * np.random.default_rng(seed).normal(size=vectors.shape) / 8)


def _beads(beads) -> list[list[list[int]]]:
    return [b.to_list() for b in beads]


def test_translation_one_to_one() -> None:
    original = _document(12)
    version = _noisy(original)
    beads = align_translation(original, version, [50] * 12, [50] * 12, CALIBRATION)
    assert _beads(beads) == [[[i], [i]] for i in range(12)]


def test_translation_finds_a_merge_and_an_omission() -> None:
    original = _document(10)
    rows = [original[0], original[1] + original[2], *original[3:6], *original[7:]]
    version = _noisy(np.array(rows))
    lengths_v = [50, 100] + [50] * 6
    beads = _beads(align_translation(original, version, [50] * 10, lengths_v, CALIBRATION))
    assert [[1, 2], [1]] in beads
    assert [[6], []] in beads
    assert [[9], [7]] in beads


def test_translation_is_monotonic_and_covers_everything_on_long_documents() -> None:
    original = _document(400)
    version = _noisy(np.delete(original, [50, 51, 200], axis=0))
    beads = align_translation(original, version, [50] * 400, [50] * 397, CALIBRATION)
    o_ids = [i for b in beads for i in b.original_ids]
    v_ids = [j for b in beads for j in b.version_ids]
    assert o_ids == list(range(400)) and v_ids == list(range(397))
    assert {(50,), (51,), (200,)} <= {b.original_ids for b in beads if not b.version_ids}


def test_rereport_matches_out_of_order_and_reports_leftovers() -> None:
    original = _document(6)
    extra = _document(1, seed=9)
    version = _noisy(np.vstack([original[4], original[0], extra, original[2]]))
    beads = _beads(align_rereport(original, version, CALIBRATION))
    assert [[4], [0]] in beads and [[0], [1]] in beads and [[2], [3]] in beads
    assert [[], [2]] in beads
    assert {(1,), (3,), (5,)} == {tuple(b[0]) for b in beads if not b[1]}


@pytest.mark.parametrize(("shuffle", "expected"), [(False, "translation"), (True, "rereport")])
def test_auto_mode_follows_the_order_of_confident_matches(shuffle: bool, expected: str) -> None:
    original = _document(10)
    order = np.random.default_rng(3).permutation(10) if shuffle else np.arange(10)
    version = _noisy(original[order])
    _, choice = align(original, version, [50] * 10, [50] * 10, CALIBRATION, "auto")
    assert choice.mode == expected
    assert "in order" in choice.reason


def test_longest_increasing_subsequence() -> None:
    values = [3, 1, 4, 1, 5, 9, 2, 6]
    indices = _longest_increasing(values)
    chosen = [values[i] for i in indices]
    assert chosen == sorted(set(chosen)) and len(chosen) == 4


def test_an_unrelated_sentence_merged_into_a_bead_is_split_off_unless_a_fragment() -> None:
    from fidelity.align import _split_unrendered
    from fidelity.model import Alignment

    original = _document(1)
    version = np.vstack([_noisy(original), _document(1, seed=5)])
    bead = Alignment((0,), (0, 1), 0.5)
    pieces = _split_unrendered(bead, original, version, [60], [60, 60])
    assert [p.to_list() for p in pieces] == [[[0], [0]], [[], [1]]]
    kept = _split_unrendered(bead, original, version, [60], [60, 5])
    assert kept == [bead]


def test_banded_dp_matches_a_cell_by_cell_reference() -> None:
    """The whole-row DP (insertions as a running maximum) finds the same best scores as the
    plain recurrence over every cell and bead shape."""
    from fidelity.align import BEADS, SKIP_SCORE, _band, _bead_gains, _forward, _Grid, _span_vectors

    original = _document(40)
    rows = [original[0] + original[1], *original[2:20], _document(1, seed=7)[0], *original[23:]]
    version = _noisy(np.array(rows))
    lengths_o, lengths_v = [30 + 7 * (i % 5) for i in range(40)], [40] * len(version)
    lows, highs = _band(original, version, CALIBRATION)
    assert max(h - low for low, h in zip(lows, highs, strict=True)) < len(version) // 2
    grid = _Grid(np.array(lows), np.array(highs))
    gains = _bead_gains(
        grid,
        _span_vectors(original, lengths_o),
        _span_vectors(version, lengths_v),
        lengths_o,
        lengths_v,
        CALIBRATION,
    )
    score, _ = _forward(grid, gains)

    expected: dict[tuple[int, int], float] = {(0, 0): 0.0}
    for i in range(len(original) + 1):
        for j in range(lows[i], highs[i] + 1):
            for b, (k, length) in enumerate(BEADS):
                pi, pj = i - k, j - length
                if pi < 0 or (pi, pj) not in expected or not lows[pi] <= pj <= highs[pi]:
                    continue
                gain = SKIP_SCORE if k == 0 else gains[b, i, j - lows[i]]
                best = expected.get((i, j), -np.inf)
                expected[(i, j)] = max(best, expected[(pi, pj)] + gain)
    for (i, j), value in expected.items():
        assert score[i, j - lows[i]] == pytest.approx(value, abs=1e-9)
    assert np.isinf(score[~grid.inside]).all()


def test_a_stray_fragment_joins_the_bead_of_its_long_neighbour() -> None:
    """Merged beads are scored by the length-weighted sum of their sentence vectors, as the
    encoder would embed the joined text: a 5-character fragment barely changes what a
    120-character sentence says, so it joins that sentence's bead instead of being left
    over as an omission."""
    original = _document(6)
    fragment = _unit(original[2:3] + 1.5 * _document(1, seed=11))
    original = np.vstack([original[:3], fragment, original[3:]])
    version = _noisy(np.delete(original, 3, axis=0))
    lengths_o = [120, 120, 120, 5, 120, 120, 120]
    lengths_v = [120, 120, 125, 120, 120, 120]
    beads = _beads(align_translation(original, version, lengths_o, lengths_v, CALIBRATION))
    assert [[2, 3], [2]] in beads
