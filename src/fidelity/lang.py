"""Language identification and the language names users see in messages.

py3langid covers 97+ languages, so a text in a language no encoder supports is recognised
as such (and refused with its name) instead of being mistaken for a supported one.
"""

from __future__ import annotations

import os
import re
import warnings
import zipfile
from functools import lru_cache
from pathlib import Path

from fidelity.errors import FidelityInputError, FidelityWarning

# What reading a damaged .npz raises: a truncated or overwritten zip, a bad CRC, an array
# whose header or length is wrong, a member missing.
_DAMAGED_COPY: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    EOFError,
    ValueError,
    KeyError,
    OSError,
)

LANGUAGE_NAMES: dict[str, str] = {
    "af": "Afrikaans",
    "am": "Amharic",
    "ar": "Arabic",
    "az": "Azerbaijani",
    "be": "Belarusian",
    "bg": "Bulgarian",
    "bn": "Bengali",
    "bs": "Bosnian",
    "ca": "Catalan",
    "cs": "Czech",
    "cy": "Welsh",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "eo": "Esperanto",
    "es": "Spanish",
    "et": "Estonian",
    "eu": "Basque",
    "fa": "Persian",
    "fi": "Finnish",
    "fr": "French",
    "ga": "Irish",
    "gl": "Galician",
    "gu": "Gujarati",
    "ha": "Hausa",
    "he": "Hebrew",
    "hi": "Hindi",
    "hr": "Croatian",
    "ht": "Haitian Creole",
    "hu": "Hungarian",
    "hy": "Armenian",
    "id": "Indonesian",
    "ig": "Igbo",
    "is": "Icelandic",
    "it": "Italian",
    "ja": "Japanese",
    "ka": "Georgian",
    "kk": "Kazakh",
    "km": "Khmer",
    "kn": "Kannada",
    "ko": "Korean",
    "ku": "Kurdish",
    "ky": "Kyrgyz",
    "la": "Latin",
    "lg": "Ganda",
    "ln": "Lingala",
    "lo": "Lao",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "mg": "Malagasy",
    "mk": "Macedonian",
    "ml": "Malayalam",
    "mn": "Mongolian",
    "mr": "Marathi",
    "ms": "Malay",
    "mt": "Maltese",
    "my": "Burmese",
    "ne": "Nepali",
    "nl": "Dutch",
    "no": "Norwegian",
    "pa": "Punjabi",
    "pl": "Polish",
    "ps": "Pashto",
    "pt": "Portuguese",
    "qu": "Quechua",
    "ro": "Romanian",
    "ru": "Russian",
    "rw": "Kinyarwanda",
    "si": "Sinhala",
    "sk": "Slovak",
    "sl": "Slovenian",
    "sn": "Shona",
    "so": "Somali",
    "sq": "Albanian",
    "sr": "Serbian",
    "st": "Sesotho",
    "sv": "Swedish",
    "sw": "Swahili",
    "ta": "Tamil",
    "te": "Telugu",
    "th": "Thai",
    "tl": "Tagalog",
    "tr": "Turkish",
    "ug": "Uyghur",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "uz": "Uzbek",
    "vi": "Vietnamese",
    "xh": "Xhosa",
    "yo": "Yoruba",
    "zh": "Chinese",
    "zu": "Zulu",
}

# Labels py3langid emits for varieties that the encoders treat as their parent language.
_FOLD = {"wuu": "zh", "yue": "zh", "arz": "ar", "ary": "ar", "uzs": "uz", "nn": "no"}
_CODE = re.compile(r"^[a-z]{2,3}$")


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def normalise_code(code: str) -> str:
    """Accept `ru`, `RU`, `ru-RU`, `zh_Hans`: users type all of these."""
    base = code.strip().lower().replace("_", "-").split("-")[0]
    if not _CODE.match(base):
        raise FidelityInputError(f"{code!r} is not a language code (expected e.g. en, ru, zh)")
    return _FOLD.get(base, base)


@lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    """py3langid's model, from an uncompressed copy in the cache when possible: its shipped
    file is LZMA-compressed, and decompressing it was a third of a cold `fidelity check`.

    The copy is derived data: a copy that cannot be read whole (truncated by a full disk, a
    bad CRC in one of its arrays) is rebuilt from the package with a one-line warning, and
    when the cache cannot be written py3langid's own loader is used."""
    from importlib.metadata import version

    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier, _load_identifier

    from fidelity.embed.cache import default_cache_dir

    copy = default_cache_dir() / f"py3langid-{version('py3langid')}-model.npz"
    try:
        if not copy.is_file():
            _decompress(MODEL_DIR / MODEL_FILE, copy)
        try:
            return _identifier_from(copy, LanguageIdentifier)
        except _DAMAGED_COPY as error:
            warnings.warn(
                f"{copy}: the cached language model was damaged ({type(error).__name__}: "
                f"{error}); rebuilt from the installed py3langid",
                FidelityWarning,
                stacklevel=2,
            )
            _decompress(MODEL_DIR / MODEL_FILE, copy)
            return _identifier_from(copy, LanguageIdentifier)
    except (OSError, *_DAMAGED_COPY):
        return _load_identifier(norm_probs=True)


def _decompress(source: Path, target: Path) -> None:
    import lzma
    import shutil

    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    with lzma.open(source) as compressed, open(partial, "wb") as plain:
        shutil.copyfileobj(compressed, plain, length=1 << 20)
    os.replace(partial, target)


def _identifier_from(path: Path, identifier_class):  # type: ignore[no-untyped-def]
    """The same arrays py3langid's own loader builds, read from the uncompressed copy."""
    import numpy as np
    from py3langid.modelio import _to_array

    with np.load(path, allow_pickle=False) as data:
        return identifier_class(
            np.asarray(data["ptc"]),
            np.asarray(data["pc"]),
            data["classes"].tolist(),
            _to_array(data["nextmove"]),
            data["out_feat"].tolist(),
            norm_probs=True,
            tk_row=_to_array(data["nextmove_row"]),
        )


def detect_language(text: str, name: str = "<text>") -> str:
    """Identify the main language of a document from its first few thousand characters."""
    sample = text[:4000]
    if not any(ch.isalpha() for ch in sample):
        raise FidelityInputError("contains no words to identify a language from", name)
    code, _probability = _identifier().classify(sample)
    if code == "zxx":
        raise FidelityInputError("no natural language recognised in the text", name)
    return _FOLD.get(code, code)
