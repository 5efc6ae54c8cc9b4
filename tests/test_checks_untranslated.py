"""Untranslated and code-mixed text, on pairs written for the purpose."""

from __future__ import annotations

import fidelity


def _messages(original: str, version: str, lang_o: str, lang_v: str) -> list[str]:
    report = fidelity.check(original, [version], lang_original=lang_o, lang_version=lang_v,
                            checks=["untranslated"], mode="translation")
    return [f.message for f in report.versions[0].findings]


def test_characters_of_the_original_script_left_in_the_version() -> None:
    messages = _messages("最新数据显示，比利时共有64847人感染冠状病毒。",
                         "The latest data shows 64,847 people in Belgium caught the corona 病毒.",
                         "zh", "en")
    assert messages == ["untranslated: “病毒” left in Chinese characters"]


def test_cyrillic_left_in_a_french_version() -> None:
    messages = _messages("Министр заявил, что переговоры продолжатся в Женеве.",
                         "Le ministre a déclaré que les переговоры se poursuivront à Genève.",
                         "ru", "fr")
    assert messages == ["untranslated: “переговоры” left in Cyrillic"]


def test_a_source_word_left_between_latin_script_languages() -> None:
    messages = _messages(
        "Afirmó que la espuma había caído «después del momento de nuestra preocupación».",
        'He stated that the foam had fallen "after the momento of our concern."', "es", "en")
    assert messages == ["untranslated: “momento” left in Spanish"]


def test_cognates_names_and_same_language_versions_are_not_flagged() -> None:
    assert _messages("Il controllo, la pianificazione e lo yoga sono esempi a Milano.",
                     "Control, planning and yoga are examples in Milano.", "it", "en") == []
    assert _messages("The talks resume in Geneva.", "Talks resume in Geneva, officials say.",
                     "en", "en") == []


def test_latin_names_and_acronyms_in_a_chinese_version_are_not_untranslated() -> None:
    assert _messages("APEC summit in Lima was attended by Apple and the iPhone team.",
                     "在利马举行的APEC峰会上，Apple公司和iPhone团队出席了会议。", "en", "zh") == []
    messages = _messages("The summit discussed food security.",
                         "峰会讨论了food security问题。", "en", "zh")
    assert messages == ["untranslated: “food security” left in Latin"]
