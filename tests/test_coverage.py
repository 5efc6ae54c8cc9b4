"""Declared coverage: a check that cannot judge a pair of languages is reported as skipped,
in every format, and left out of the signature."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

import fidelity
from fidelity.checks import DEFAULT_CHECKS, coverage_matrix
from fidelity.checks.base import COVERAGE, Languages, skipped_checks
from fidelity.report import render_html, render_json, render_markdown, render_text

ORIGINAL = "Il a dit que la ville pourrait tomber."
VERSION = "He said the city will fall."


@pytest.fixture
def unjudged(monkeypatch: pytest.MonkeyPatch) -> str:
    """Modality declared for English only, so that French → English is not judged."""
    monkeypatch.setitem(COVERAGE, "modality", Languages(lambda: ["en"], "no hedge list"))
    return "modality"


def test_a_pair_outside_a_checks_languages_is_skipped_with_its_reason(unjudged: str) -> None:
    [skipped] = [s for s in skipped_checks(DEFAULT_CHECKS, "fr", "en") if s.check == unjudged]
    assert skipped.reason == "not checked for fr→en (no hedge list for fr)"
    assert not [s for s in skipped_checks(DEFAULT_CHECKS, "en", "en") if s.check == unjudged]


def test_a_version_side_check_asks_only_about_the_version() -> None:
    languages = Languages(lambda: ["en"], "no script", "version")
    assert languages.reason("xx", "en") is None
    assert languages.reason("en", "xx") == "not checked for en→xx (no script for xx)"


def test_the_report_records_the_skip_and_the_signature_omits_the_check(unjudged: str) -> None:
    report = fidelity.check(ORIGINAL, [VERSION], lang_original="fr", lang_version="en",
                            mode="translation")
    version = report.versions[0]
    assert [s.check for s in version.skipped_checks] == [unjudged]
    assert not [f for f in version.findings if f.check == unjudged]
    assert unjudged not in report.signature["checks"].split(",")
    buffer = io.StringIO()
    render_text(report, Console(file=buffer, width=120, color_system=None))
    for output in (buffer.getvalue(), render_markdown(report), render_html(report)):
        assert unjudged in output and "fr→en" in output
    data = json.loads(render_json(report))
    assert data["versions"][0]["skipped_checks"] == [
        {"check": unjudged, "reason": "not checked for fr→en (no hedge list for fr)"}
    ]


def test_a_judged_pair_runs_the_check() -> None:
    report = fidelity.check(ORIGINAL, [VERSION], lang_original="fr", lang_version="en",
                            mode="translation")
    assert "modality" in report.signature["checks"].split(",")
    assert any(f.check == "modality" for f in report.versions[0].findings)


def test_the_coverage_table_follows_the_declarations(unjudged: str) -> None:
    matrix = dict(coverage_matrix(["en", "fr"]))
    assert matrix[unjudged] == {"en": True, "fr": False}
    assert matrix["semantic"] == {"en": True, "fr": True}
