"""The severity policy (README "Severity policy"): faithful newsroom conventions raise nothing
above minor, and the drifts they resemble are found at the policy's severity."""

from __future__ import annotations

import pytest

import fidelity
from fidelity.api import load_document
from fidelity.model import Finding, Severity


def _findings(original: str, o_lang: str, version: str, v_lang: str) -> list[Finding]:
    report = fidelity.check(
        load_document(original, lang=o_lang), [load_document(version, lang=v_lang)],
        mode="translation",
    )
    return list(report.versions[0].findings)


def _worst(findings: list[Finding]) -> Severity | None:
    return max((f.severity for f in findings), default=None)


FAITHFUL = [
    pytest.param("Le gouvernement a débloqué 5 millions d'euros pour les sinistrés.", "fr",
                 "The government released €5m for the victims.", "en", id="euro-m"),
    pytest.param("Le gouvernement a débloqué 5 millions de dollars pour les sinistrés.", "fr",
                 "The government released $5 million for the victims.", "en", id="dollar"),
    pytest.param("Temperatures reached 106 °F in Phoenix on Tuesday.", "en",
                 "Les températures ont atteint 106 °F (41 °C) à Phoenix mardi.", "fr",
                 id="conversion-in-brackets"),
    pytest.param("La compagnie a supprimé 40 lignes de bus en raison d'un manque de "
                 "conducteurs.", "fr",
                 "The company has cut 40 bus routes because it cannot find enough drivers.",
                 "en", id="lack-of-as-cannot-find"),
    pytest.param("O governo vai investir 2,1 milhões de euros no projeto.", "pt",
                 "The government will invest 2.1 million euros in the project.", "en",
                 id="pt-milhoes"),
    pytest.param("Les cours ont été suspendus dans 19 écoles du département.", "fr",
                 "Classes were suspended in about 20 schools in the department.", "en",
                 id="rounding-marked-approximate"),
    pytest.param("Die Stadt zählt 2 432 000 Einwohner.", "de",
                 "La ville compte 2,4 millions d'habitants.", "fr", id="rounding-scale-word"),
    pytest.param("Bakanlık 300 milyon lira ayırdı.", "tr",
                 "The ministry set aside 300 million lira.", "en", id="tr-lira"),
]


@pytest.mark.parametrize(("original", "o_lang", "version", "v_lang"), FAITHFUL)
def test_newsroom_conventions_raise_nothing_above_minor(
    original: str, o_lang: str, version: str, v_lang: str
) -> None:
    findings = _findings(original, o_lang, version, v_lang)
    assert all(f.severity <= Severity.MINOR for f in findings), findings


DRIFTS = [
    pytest.param("Le gouvernement a débloqué 5 millions d'euros pour les sinistrés.", "fr",
                 "The government released $5 million for the victims.", "en",
                 Severity.CRITICAL, id="currency-changed"),
    pytest.param("Le gouvernement a débloqué 5 millions d'euros pour les sinistrés.", "fr",
                 "The government released £5m for the victims.", "en",
                 Severity.CRITICAL, id="currency-changed-symbol"),
    pytest.param("Les cours ont été suspendus dans 19 écoles du département.", "fr",
                 "Classes were suspended in 20 schools in the department.", "en",
                 Severity.CRITICAL, id="unmarked-rounding-is-a-change"),
    pytest.param("Temperatures reached 106 °F in Phoenix on Tuesday.", "en",
                 "Les températures ont atteint 108 °F (42 °C) à Phoenix mardi.", "fr",
                 Severity.CRITICAL, id="changed-figure-beside-a-conversion"),
    pytest.param("Пік епідемії може настати в середині лютого, заявив міністр.", "uk",
                 "The peak of the epidemic will come in mid-February, the minister said.", "en",
                 Severity.MAJOR, id="uk-hedge-to-certainty"),
]


@pytest.mark.parametrize(("original", "o_lang", "version", "v_lang", "severity"), DRIFTS)
def test_drifts_like_the_conventions_are_found_at_the_policys_severity(
    original: str, o_lang: str, version: str, v_lang: str, severity: Severity
) -> None:
    assert _worst(_findings(original, o_lang, version, v_lang)) == severity


STORY_FR = """LYON, 3 mars (AFP) - La compagnie de transport a supprimé 40 lignes de bus en raison \
d'un manque de conducteurs, a annoncé lundi sa direction.

La mesure entrera en vigueur le 10 mars et durera au moins trois mois.

« Nous n'avons pas d'autre choix », a déclaré le directeur, Paul Martin. Il a ajouté que des \
recrutements étaient en cours."""

STORY_EN = """Lyon bus operator cuts 40 routes over driver shortage

LYON, March 3 (AFP) - The transport company has cut 40 bus routes because it cannot find \
enough drivers, its management said on Monday.

The measure will take effect on March 10 and last at least three months.

"We have no other choice," said the director, Paul Martin, adding that recruitment was under \
way."""


def test_a_headline_and_a_merged_sentence_raise_nothing_above_minor() -> None:
    findings = _findings(STORY_FR, "fr", STORY_EN, "en")
    assert all(f.severity <= Severity.MINOR for f in findings), findings


def test_a_headline_alone_is_a_minor_addition_and_a_claim_is_not() -> None:
    headline = "Lyon bus operator cuts 40 routes over driver shortage\n\n"
    story = STORY_EN.split("\n\n", 1)[1]
    added_claim = story + "\n\nThe mayor has promised free tickets for all pensioners next year."
    findings = _findings(STORY_FR, "fr", headline + added_claim, "en")
    by_start = {f.version_span.text[:20]: f.severity for f in findings if f.version_span}
    assert by_start.get("The mayor has promis") == Severity.MAJOR
    assert all(s <= Severity.MINOR for text, s in by_start.items() if text.startswith("Lyon"))


# --- readers behind the conventions ---------------------------------------------------------


def test_a_japanese_issue_number_is_no_day_and_a_turkish_month_is_read_in_small_letters() -> None:
    from fidelity.readers.dates import find_dates

    assert find_dates("台風14号が接近している。", "ja") == []
    assert [d.month for d in find_dates("mayıs ayında enflasyon geriledi.", "tr")] == [5]
    assert find_dates("Tarlada ekim yapıldı.", "tr") == []  # "ekim": sowing, not October


@pytest.mark.parametrize(
    ("text", "lang", "currency", "approximate"),
    [
        ("5 millions d'euros", "fr", "EUR", False),
        ("€5m", "en", "EUR", False),
        ("about $5 million", "en", "dollar", True),
        ("2,5 milyar lira", "tr", "TRY", False),
        ("約500億円", "ja", "yen-yuan", True),
        ("45 мільйонів гривень", "uk", "UAH", False),
    ],
)
def test_figures_carry_their_currency_and_approximation(
    text: str, lang: str, currency: str, approximate: bool
) -> None:
    from fidelity.readers.figures import find_figures

    [figure] = find_figures(text, lang)
    assert (figure.currency, figure.approximate) == (currency, approximate)


def test_a_duration_as_a_time_and_as_hours_and_minutes_is_one_figure() -> None:
    findings = _findings("Aufstieg zur Hütte in 1 Std. 30 Min. über den Grat.", "de",
                         "Montée au refuge en 1 h 30 par l'arête.", "fr")
    assert not [f for f in findings if f.check == "number"], findings


def test_a_quote_cut_to_half_its_length_is_found() -> None:
    # The quote's length is read against the whole document's: the story around it counts.
    findings = _findings(
        "Le feu a parcouru 4 200 hectares depuis samedi. Plus de 900 pompiers sont mobilisés. "
        "« La situation reste très préoccupante et le vent pourrait encore attiser les "
        "flammes dans la nuit », a déclaré le préfet. Les habitants ont été évacués.", "fr",
        "The fire has burned 4,200 hectares since Saturday. More than 900 firefighters are "
        "deployed. \"The situation remains very worrying,\" the prefect said. Residents have "
        "been evacuated.", "en",
    )
    assert any(f.check == "quote" and f.severity == Severity.MAJOR for f in findings), findings
