from __future__ import annotations

import pytest

from fidelity import lang
from fidelity.errors import FidelityInputError

SAMPLES = {
    "ru": "Директор Службы внешней разведки заявил, что боевики могут проникнуть в Россию.",
    "ar": "قال مدير جهاز المخابرات الخارجية إن المسلحين قد يتسللون إلى روسيا.",
    "zh": "国家统计局新闻发言人在当天举行的新闻发布会上表示，经济持续恢复。",
    "fr": "Le préfet a déclaré que l'incendie pourrait reprendre dans la nuit.",
    "es": "El gobierno anunció que las elecciones se celebrarán en octubre.",
    "en": "The ministry said exports may fall by a third next year.",
}


@pytest.mark.parametrize(("code", "text"), SAMPLES.items())
def test_news_sentences_are_identified(code: str, text: str) -> None:
    assert lang.detect_language(text) == code


def test_uncompressed_model_copy_behaves_like_the_library(tmp_path, monkeypatch) -> None:
    from py3langid.langid import _load_identifier

    monkeypatch.setenv("FIDELITY_CACHE_DIR", str(tmp_path))
    lang._identifier.cache_clear()
    try:
        ours = lang._identifier()
        assert list(tmp_path.glob("py3langid-*-model.npz"))
        reference = _load_identifier(norm_probs=True)
        for text in SAMPLES.values():
            assert ours.classify(text) == reference.classify(text)
    finally:
        lang._identifier.cache_clear()


def test_codes_are_normalised_and_nonsense_refused() -> None:
    assert lang.normalise_code("ru-RU") == "ru"
    assert lang.normalise_code("zh_Hans") == "zh"
    with pytest.raises(FidelityInputError):
        lang.normalise_code("russian!")
    with pytest.raises(FidelityInputError, match="no words"):
        lang.detect_language("12345 67890")
