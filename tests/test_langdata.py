"""Language data: every file reads, every pattern compiles, the report names the lists."""

from __future__ import annotations

import re

import pytest

import fidelity
from fidelity import langdata

# Kinds whose entries are regular expressions (the others are literal words or tables).
PATTERN_KINDS = ("negators", "negator_affixes", "concord", "negative_verbs", "negation_masks",
                 "lexical_negation", "up", "down", "months", "weekdays", "hedge_patterns",
                 "certainty_patterns")


@pytest.mark.parametrize("lang", [*langdata.languages(), langdata.MULTILINGUAL])
def test_every_file_of_a_language_reads(lang: str) -> None:
    folder = langdata._root().joinpath(lang)
    for entry in folder.iterdir():
        kind, _, suffix = entry.name.rpartition(".")
        if suffix == "toml":
            assert langdata.table(lang, kind), entry.name
        elif suffix == "txt":
            entries = langdata.words(lang, kind)
            assert entries, entry.name
            if kind in PATTERN_KINDS:
                for pattern in entries:
                    re.compile(pattern)
        else:
            pytest.fail(f"unexpected file {lang}/{entry.name}")


def test_calendars_have_twelve_months_and_seven_days() -> None:
    for lang in langdata.languages_with("months"):
        assert len(langdata.words(lang, "months")) == 12, lang
    for lang in langdata.languages_with("weekdays"):
        assert len(langdata.words(lang, "weekdays")) == 7, lang


def test_a_missing_list_is_empty_not_an_error() -> None:
    assert langdata.words("qq", "hedges") == ()
    assert langdata.table("qq", "scales") == {}
    assert langdata.prop("qq", "decimal_comma") is False


def test_the_signature_names_the_word_lists() -> None:
    report = fidelity.check("Il pourrait pleuvoir.", ["It may rain."], lang_original="fr",
                            lang_version="en", mode="translation")
    assert f"langdata:{langdata.VERSION}" in str(report.signature)
