"""How an (original, version) pair becomes one cross-encoder input, shared by training and
inference so both see exactly the same token layout: `<s> src </s></s> tgt </s>`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from fidelity.qe.tokenizer import Tokens, UnigramTokenizer


@dataclass(frozen=True)
class PairInput:
    """Token ids of one pair, and where each side's content tokens sit in them."""

    ids: tuple[int, ...]
    src: Tokens  # kept (possibly truncated) content tokens of the original
    tgt: Tokens
    src_offset: int  # index of the first src token in `ids`
    tgt_offset: int

    def __len__(self) -> int:
        return len(self.ids)


def encode_pair(tokenizer: UnigramTokenizer, src: str, tgt: str, max_side_tokens: int) -> PairInput:
    """Tokenise both sides, cut each to `max_side_tokens` (words beyond get no prediction)."""
    src_tokens = _truncate(tokenizer.encode(src), max_side_tokens)
    tgt_tokens = _truncate(tokenizer.encode(tgt), max_side_tokens)
    bos, eos = tokenizer.bos, tokenizer.eos
    ids = (bos, *src_tokens.ids, eos, eos, *tgt_tokens.ids, eos)
    return PairInput(ids, src_tokens, tgt_tokens, 1, len(src_tokens) + 3)


def _truncate(tokens: Tokens, limit: int) -> Tokens:
    if len(tokens) <= limit:
        return tokens
    return Tokens(tokens.ids[:limit], tokens.starts[:limit], tokens.ends[:limit])


def pad_batch(pairs: Sequence[PairInput], pad_id: int) -> tuple[np.ndarray, np.ndarray]:
    """ids [B, Lmax] padded with `pad_id`, and the true lengths [B]."""
    lengths = np.array([len(pair) for pair in pairs], dtype=np.int64)
    ids = np.full((len(pairs), int(lengths.max())), pad_id, dtype=np.int64)
    for row, pair in enumerate(pairs):
        ids[row, : len(pair)] = pair.ids
    return ids, lengths


def length_batches(lengths: Sequence[int], max_tokens: int, max_batch: int) -> list[list[int]]:
    """Indices grouped by similar length so padding stays small and work per batch bounded."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:
        width = lengths[index]
        if (current and (len(current) + 1) * width > max_tokens) or len(current) >= max_batch:
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches
