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
    assert "Sergei Naryshkin earlier" in findings[0].message


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


def test_versions_of_an_uncased_original_are_read_too() -> None:
    """Chinese has no capitals to find names by: the original's names are not read (and
    reading them must not fail), the version's still are."""
    original = "国家统计局局长王明说，经济增长了5%。王明还说，就业稳定。"

    def consistency(version: str) -> list[str]:
        report = fidelity.check(original, [version], lang_original="zh", lang_version="en",
                                mode="translation", checks=["consistency"])
        return [f.version_span.text for f in report.versions[0].findings if f.version_span]

    assert consistency("Wang Ming, head of the statistics bureau, said the economy grew by "
                       "5%. Wang Ming also said employment was stable.") == []
    assert consistency("Wang Ming, head of the statistics bureau, said the economy grew by "
                       "5%. Li Ming also said employment was stable.") == ["Li Ming"]
