"""Attribution: a claim moved from one speaker to another, on pairs written for the purpose."""

from __future__ import annotations

import fidelity
from fidelity.checks.attribution import find_attributions
from fidelity.model import Finding
from fidelity.readers.names import initial_names, name_index


def _findings(original: str, version: str, lang_o: str, lang_v: str) -> list[Finding]:
    report = fidelity.check(original, [version], lang_original=lang_o, lang_version=lang_v,
                            checks=["attribution"], mode="translation")
    return list(report.versions[0].findings)


def test_speakers_before_after_and_beside_an_apposition() -> None:
    text = ("Peskov said the talks would go on. The risk is high, according to Interfax. "
            "Sergei Naryshkin, the director of Russia’s intelligence service, said so too. "
            "“It is over,” said Maria Zakharova.")
    initials = initial_names(text, "en")
    speakers = [a.speaker.text for a in find_attributions(text, "en", None, initials)]
    assert speakers == ["Peskov", "Interfax", "Sergei Naryshkin", "Maria Zakharova"]


def test_a_pronoun_or_a_common_word_is_no_speaker() -> None:
    text = "He said the talks would go on. Officials said so."
    assert initial_names(text, "en", name_index(text, "en")) == frozenset()
    assert find_attributions(text, "en", None, initial_names(text, "en", name_index(text, "en"))) == []


def test_a_claim_moved_to_a_person_the_original_names() -> None:
    findings = _findings(
        "Песков заявил, что предупреждение Нарышкина преувеличено. "
        "Переговоры продолжатся в Москве на следующей неделе.",
        "Naryshkin said the warning by Peskov was exaggerated. "
        "The talks will continue in Moscow next week.",
        "ru", "en",
    )
    assert [f.message for f in findings] == [
        "claim attributed to Naryshkin in the version, to Песков in the original"
    ]
    assert findings[0].original_span is not None
    assert findings[0].original_span.text == "Песков"
    assert findings[0].version_span is not None
    assert findings[0].version_span.text == "Naryshkin"


def test_the_same_speaker_in_another_script_is_not_a_finding() -> None:
    findings = _findings(
        "Песков заявил, что предупреждение Нарышкина преувеличено.",
        "Peskov said Naryshkin's warning was exaggerated.",
        "ru", "en",
    )
    assert findings == []


def test_a_speaker_with_an_apposition_in_a_french_original() -> None:
    findings = _findings(
        "Marie Dupont, la porte-parole du ministère, a déclaré que Paul Martin avait tort.",
        "Paul Martin, the ministry spokesman, said that Marie Dupont was wrong.",
        "fr", "en",
    )
    assert [f.message for f in findings] == [
        "claim attributed to Paul Martin in the version, to Marie Dupont in the original"
    ]


def test_an_agency_speaks_by_its_acronym_in_any_script() -> None:
    assert [a.speaker.text for a in find_attributions("The risk is high, the SVR said.", "en")] == [
        "SVR"
    ]
    findings = _findings(
        "СВР сообщила, что Песков ошибся.",
        "Peskov said that the SVR was wrong.",
        "ru", "en",
    )
    assert [f.message for f in findings] == [
        "claim attributed to Peskov in the version, to СВР in the original"
    ]
