"""The built-in checks on small pairs written for the purpose, through the library API."""

from __future__ import annotations

import fidelity
from fidelity.checks.quotes import find_quotes


def _findings(original: str, version: str, lang_o: str = "en", lang_v: str = "en",
              checks: list[str] | None = None, mode: str = "translation"):
    report = fidelity.check(original, [version], lang_original=lang_o, lang_version=lang_v,
                            checks=checks, mode=mode)
    return report.versions[0].findings


def test_hedge_turned_into_certainty_is_major_and_points_at_both_words() -> None:
    original = "Officials said the militants may infiltrate neighbouring states."
    version = "Officials said the militants will infiltrate neighbouring states."
    [finding] = _findings(original, version, checks=["modality"])
    assert finding.severity.label == "major"
    assert finding.original_span.text == "may"
    assert finding.version_span.text == "will"
    assert original[finding.original_span.start : finding.original_span.end] == "may"


def test_russian_hedge_against_english_certainty() -> None:
    original = "По словам министра, цены могут вырасти в следующем году."
    version = "According to the minister, prices will rise next year."
    [finding] = _findings(original, version, "ru", "en", checks=["modality"])
    assert finding.original_span.text == "могут" and finding.version_span.text == "will"


def test_a_kept_hedge_is_not_flagged() -> None:
    original = "Les prix pourraient augmenter l'an prochain, selon le ministre."
    version = "Prices could rise next year, according to the minister."
    assert _findings(original, version, "fr", "en", checks=["modality"]) == ()


def test_may_the_month_is_not_a_hedge() -> None:
    assert _findings("The vote is set for May 5.", "The vote will be on May 5.",
                     checks=["modality"]) == ()


def test_quotes_are_found_with_their_marks_and_left_open_at_the_end() -> None:
    text = 'He said: «Мы не отступим от этого решения». Then: "the parties will sit at the table'
    quotes = [q.text for q in find_quotes(text)]
    assert quotes == ["Мы не отступим от этого решения", "the parties will sit at the table"]


def test_shortened_quote_is_reported_with_the_missing_words() -> None:
    original = ('“We have no doubt that, with the assistance of the international community, '
                'the parties will eventually stop using force and come to the negotiating '
                'table,” he said.')
    version = ('He said: “We are confident that the parties will return to the negotiating '
               'table later.”')
    findings = _findings(original, version, checks=["quote"])
    assert any("international community" in f.message for f in findings)


def test_faithful_partial_quote_is_not_flagged() -> None:
    original = ('“We have no doubt that, with the assistance of the international community, '
                'the parties will eventually stop using force and come to the negotiating '
                'table,” he said.')
    version = ('He expressed confidence that “the parties, with the support of the '
               'international community, will eventually stop using force, and sit at the '
               'negotiating table.”')
    assert _findings(original, version, checks=["quote"]) == ()


def test_quote_invented_from_indirect_speech() -> None:
    original = "The minister said that the talks would continue next week in Geneva."
    version = 'The minister said: "The talks will continue next week in Geneva."'
    findings = _findings(original, version, checks=["quote"])
    assert [f.check for f in findings] == ["quote"]
    assert "does not quote" in findings[0].message


def test_omitted_and_added_sentences_in_a_translation() -> None:
    original = ("The ministry announced new sanctions on Monday. The list includes twelve "
                "banks. Officials expect a response from Brussels. The measures start in May. "
                "They will be reviewed after six months.")
    version = ("Le ministère a annoncé lundi de nouvelles sanctions. Le président est en "
               "vacances au Brésil. La liste comprend douze banques. Les mesures entrent en "
               "vigueur en mai. Elles seront réexaminées après six mois.")
    findings = _findings(original, version, "en", "fr", checks=["omission", "addition"])
    kinds = {(f.check, (f.original_span or f.version_span).text[:20]) for f in findings}
    assert ("omission", "Officials expect a r") in kinds
    assert ("addition", "Le président est en ") in kinds


def test_an_omission_next_to_an_addition_is_still_flagged() -> None:
    """Two skips cost more than one weak merge, so a sentence replaced by an unrelated one
    may come out as one 2-2 pair; it must still be flagged, as drifted meaning."""
    original = ("The ministry announced new sanctions on Monday. The list includes twelve "
                "banks. Officials expect a response from Brussels. The measures start in May.")
    version = ("Le ministère a annoncé lundi de nouvelles sanctions. La liste comprend douze "
               "banques. Les mesures entrent en vigueur en mai. Le président est en vacances "
               "au Brésil.")
    findings = _findings(original, version, "en", "fr")
    assert any(f.severity.label in ("major", "critical") and f.check in
               ("omission", "addition", "semantic") for f in findings)
