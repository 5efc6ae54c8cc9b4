"""Any sentence-transformers model by hub name or local path (LaBSE, multilingual-e5 ...).

torch is imported only here, only when a user names a model: the default path stays fast.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fidelity.embed.base import normalise_rows
from fidelity.errors import FidelityInputError


class SentenceTransformerEncoder:
    languages: frozenset[str] | None = None
    batch_size = 64

    def __init__(self, model: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise FidelityInputError(
                f"model {model!r} needs sentence-transformers: "
                "pip install torch==2.13.0 'fidelity[st]'"
            ) from None
        path = Path(model).expanduser()
        self.name = str(path.resolve()) if path.exists() else model
        try:
            self._model = SentenceTransformer(self.name, device="cpu")
        except Exception as exc:  # the hub client raises many kinds; all mean "cannot load"
            first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise FidelityInputError(
                f"cannot load sentence-transformers model {model!r} ({first_line}); "
                "offline, give a local model folder or set HF_HUB_OFFLINE=1"
            ) from None

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            dim = self._model.get_sentence_embedding_dimension() or 0
            return np.zeros((0, dim), dtype=np.float32)
        vectors = self._model.encode(
            texts, batch_size=self.batch_size, convert_to_numpy=True, show_progress_bar=False
        )
        return normalise_rows(vectors)
