"""Names used consistently within a version, on texts written for the purpose."""

from __future__ import annotations

import fidelity
from fidelity.model import Finding, Severity

ORIGINAL_RU = (
    "Сергей Нарышкин заявил, что риск высок. Переговоры продолжатся, сказал Дмитрий Песков. "
    "Сергей Нарышкин добавил, что Москва готова."
)


def _findings(original: str, version: str, lang_o: str) -> list[Finding]:
    report = fidelity.check(original, [version], lang_original=lang_o, lang_version="en",
                            checks=["consistency"], mode="translation")
    return list(report.versions[0].findings)


def test_a_person_called_by_another_given_name() -> None:
    findings = _findings(
        ORIGINAL_RU,
        "Sergei Naryshkin said the risk was high. The talks will go on, Dmitry Peskov said. "
        "Dmitry Naryshkin added that Moscow is ready.",
        "ru",
    )
    assert len(findings) == 1
    assert findings[0].severity == Severity.MAJOR
    assert findings[0].version_span is not None
    assert findings[0].version_span.text == "Dmitry Naryshkin"
    assert "Сергей Нарышкин in the original" in findings[0].message


def test_two_transliterations_of_one_given_name_are_one_name() -> None:
    findings = _findings(
        ORIGINAL_RU,
        "Sergei Naryshkin said the risk was high. The talks will go on, Dmitry Peskov said. "
        "Sergey Naryshkin added that Moscow is ready.",
        "ru",
    )
    assert findings == []


def test_a_surname_spelled_two_ways() -> None:
    findings = _findings(
        ORIGINAL_RU,
        "Sergei Naryshkin said the risk was high. The talks will go on, Dmitry Peskov said. "
        "Sergei Narishkin added that Moscow is ready.",
        "ru",
    )
    assert [f.evidence["kind"] for f in findings] == ["spelling"]
    assert findings[0].severity == Severity.MINOR


def test_two_people_of_one_family_in_the_original_too() -> None:
    findings = _findings(
        "Raúl Castro habló primero. Luego habló Fidel Castro.",
        "Raúl Castro spoke first. Then Fidel Castro spoke.",
        "es",
    )
    assert findings == []


def test_names_are_judged_only_against_names_the_original_gives() -> None:
    """Chinese has no capitals to read names by: nothing to judge (and no failure)."""
    report = fidelity.check(
        "国家统计局局长王明说，经济增长了5%。王明还说，就业稳定。",
        ["Wang Ming, head of the statistics bureau, said the economy grew by 5%. "
         "Li Ming also said employment was stable."],
        lang_original="zh", lang_version="en", mode="translation", checks=["consistency"],
    )
    assert report.versions[0].findings == ()


def test_a_given_name_the_original_never_uses_even_if_used_throughout() -> None:
    findings = _findings(
        ORIGINAL_RU,
        "Igor Naryshkin said the risk was high. The talks will go on, Dmitry Peskov said. "
        "Igor Naryshkin added that Moscow is ready.",
        "ru",
    )
    assert [f.version_span.text for f in findings if f.version_span] == [
        "Igor Naryshkin", "Igor Naryshkin"
    ]


def test_names_of_things_ending_in_a_common_word_are_not_people() -> None:
    findings = _findings(
        "Фунт Фолклендских островов привязан к британскому фунту. Позднее Средневековье "
        "последовало за Высоким Средневековьем.",
        "The Falklands Pound is pegged to the British Pound. The Late Middle Ages "
        "followed the High Middle Ages.",
        "ru",
    )
    assert findings == []


def test_a_title_or_a_middle_name_before_the_given_name() -> None:
    findings = _findings(
        "Newt Gingrich, Rick Perry et la sénatrice Michele Bachmann ont terminé derniers. "
        "John Kennedy a parlé.",
        "Newt Gingrich, Rick Perry and Congresswoman Michele Bachmann finished last. "
        "John F. Kennedy spoke.",
        "fr",
    )
    assert findings == []


def test_a_given_name_in_another_case_and_spelling_is_the_same() -> None:
    findings = _findings(
        "Психолог Вероника Степанова рассказала о бойце Александре Емельяненко.",
        "Psychologist Veronika Stepanova spoke about fighter Alexander Emelianenko.",
        "ru",
    )
    assert findings == []
