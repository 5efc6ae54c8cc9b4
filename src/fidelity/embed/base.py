"""The one interface every encoder backend offers the pipeline."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Encoder(Protocol):
    """Maps sentences to L2-normalised float32 vectors, so cosine is a dot product.

    `languages` is None when the backend cannot say (any sentence-transformers model): the
    user who picked it is trusted to know what it covers.
    """

    name: str
    languages: frozenset[str] | None

    def encode(self, texts: list[str]) -> np.ndarray: ...


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)
