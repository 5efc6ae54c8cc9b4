"""A changed currency is critical even where the amount is right; the same currency written
as a symbol, a code or a name in another language is no change: in six languages."""

from __future__ import annotations

import pytest

import fidelity

ORIGINAL = "The deficit reached €2.1 million."
RENDERINGS = {  # language: (the same currency, another currency)
    "fr": ("Le déficit a atteint 2,1 millions d'euros.", "Le déficit a atteint 2,1 millions de dollars."),
    "ru": ("Дефицит достиг 2,1 млн евро.", "Дефицит достиг 2,1 млн долларов."),
    "pt": ("O déficit atingiu 2,1 milhões de euros.", "O déficit atingiu 2,1 milhões de dólares."),
    "zh": ("赤字达到210万欧元。", "赤字达到210万美元。"),
    "ja": ("赤字は210万ユーロに達した。", "赤字は210万ドルに達した。"),
    "de": ("Das Defizit erreichte 2,1 Millionen Euro.", "Das Defizit erreichte 2,1 Millionen Dollar."),
}


@pytest.mark.parametrize("lang", sorted(RENDERINGS))
def test_a_changed_currency_is_critical_and_the_same_one_is_clean(lang: str) -> None:
    same, other = RENDERINGS[lang]
    report = fidelity.check(ORIGINAL, [same, other], lang_original="en", lang_version=lang,
                            checks=["number"], mode="translation")
    clean, changed = report.versions
    assert clean.findings == ()
    [finding] = changed.findings
    assert finding.severity.label == "critical"
    assert finding.evidence["original_currency"] != finding.evidence["version_currency"]

