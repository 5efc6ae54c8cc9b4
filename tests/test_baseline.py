"""Accepted findings (the baseline file) and per-check severity overrides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import fidelity
from fidelity.baseline import (
    BASELINE_NAME,
    Baseline,
    fingerprint,
    load_baseline,
    normalise_words,
    update_baseline,
)
from fidelity.cli import app
from fidelity.errors import FidelityInputError
from fidelity.model import Finding, Severity, Span
from fidelity.score import apply_severity_overrides, severity_overrides

ORIGINAL = "The minister said the talks could resume next week. Prices rose sharply in May."
VERSION = "The minister said the talks will resume next week. Prices rose sharply in May."
EDITED = (
    "Officials met in Geneva on Monday. The minister said the talks will resume next week. "
    "Prices rose sharply in May."
)


def _finding(original: str | None, version: str | None, check: str = "modality",
             start: int = 0) -> Finding:
    return Finding(
        check,
        "mistranslation",
        Severity.MAJOR,
        "hedge became certainty",
        Span(start, start + len(original), original) if original is not None else None,
        Span(start, start + len(version), version) if version is not None else None,
    )


def test_fingerprint_ignores_offsets_case_punctuation_and_spacing() -> None:
    base = fingerprint(_finding("“could”", "will"))
    assert fingerprint(_finding("“could”", "will", start=500)) == base
    assert fingerprint(_finding('"Could"', "  WILL ")) == base
    assert normalise_words("Talks  “could” resume…\n") == "talks could resume"


def test_fingerprint_changes_with_the_words_or_the_check() -> None:
    base = fingerprint(_finding("could", "will"))
    assert fingerprint(_finding("could", "shall")) != base
    assert fingerprint(_finding("could", "will", check="negation")) != base
    assert fingerprint(_finding(None, "will")) != base


def test_missing_baseline_is_empty_unless_required(tmp_path: Path) -> None:
    assert load_baseline(tmp_path / "none.jsonl").fingerprints == frozenset()
    with pytest.raises(FidelityInputError, match="no such file"):
        load_baseline(tmp_path / "none.jsonl", missing_ok=False)


def test_bad_line_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / BASELINE_NAME
    path.write_text('# comment\n\n{"fingerprint": "ab"}\n{"check": "x"}\n', encoding="utf-8")
    with pytest.raises(FidelityInputError, match="line 4 has no \"fingerprint\"") as error:
        load_baseline(path)
    assert str(path) in str(error.value)
    path.write_text('{"fingerprint": "ab"},\n', encoding="utf-8")
    with pytest.raises(FidelityInputError, match="line 1 is not a baseline entry"):
        load_baseline(path)


def test_update_merges_keeps_entries_and_notes(tmp_path: Path) -> None:
    path = tmp_path / BASELINE_NAME
    path.write_text('{"fingerprint": "kept-by-hand", "note": "mine"}\n', encoding="utf-8")
    report = fidelity.check(ORIGINAL, [VERSION], mode="translation", checks=["modality"])
    assert report.versions[0].findings
    added, total = update_baseline(path, report)
    assert (added, total) == (len(report.versions[0].findings), added + 1)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert lines[0] == {"fingerprint": "kept-by-hand", "note": "mine"}
    entry = lines[1]
    assert entry["check"] == "modality" and entry["original"] == "could"
    assert entry["version"] == "will" and "could" in entry["note"]
    # Again: nothing new, nothing doubled.
    assert update_baseline(path, report) == (0, total)


def test_baseline_suppresses_across_edits_elsewhere(tmp_path: Path) -> None:
    path = tmp_path / BASELINE_NAME
    first = fidelity.check(ORIGINAL, [VERSION], mode="translation", checks=["modality"])
    assert first.failed
    update_baseline(path, first)
    again = fidelity.check(ORIGINAL, [EDITED], mode="translation",
                           checks=["modality"], baseline=path)
    version = again.versions[0]
    assert not version.findings and len(version.suppressed) == 1
    assert not again.failed
    assert again.signature["baseline"] == Baseline(load_baseline(path).fingerprints).digest
    assert first.signature["baseline"] == "none"


def test_severity_overrides_check_category_wins() -> None:
    findings = [_finding("could", "will"), _finding("not", "", check="negation")]
    graded = apply_severity_overrides(
        findings,
        severity_overrides({"modality": "minor", "modality.mistranslation": "critical",
                            "negation": "minor"}),
    )
    assert [f.severity for f in graded] == [Severity.CRITICAL, Severity.MINOR]
    assert apply_severity_overrides(findings, {}) == findings


def test_severity_override_decides_the_verdict() -> None:
    report = fidelity.check(ORIGINAL, [VERSION], mode="translation", checks=["modality"],
                            settings={"severity": {"modality": "minor"}})
    assert {f.severity for f in report.versions[0].findings} == {Severity.MINOR}
    assert not report.failed
    with pytest.raises(FidelityInputError, match="choose one of"):
        severity_overrides({"modality": "fatal"})


def test_cli_update_then_suppress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "o.txt").write_text(ORIGINAL, encoding="utf-8")
    (tmp_path / "v.txt").write_text(VERSION, encoding="utf-8")
    args = ["check", "o.txt", "v.txt", "--mode", "translation", "--checks", "modality"]
    runner = CliRunner()
    assert runner.invoke(app, args).exit_code == 1
    result = runner.invoke(app, [*args, "--update-baseline"])
    assert result.exit_code == 0, result.output
    assert "accepted 1 new finding (1 major), 1 in all" in " ".join(result.output.split())
    assert (tmp_path / BASELINE_NAME).is_file()
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "1 finding accepted in the baseline, not shown" in result.output
    report = json.loads(runner.invoke(app, [*args, "--format", "json"]).output)
    assert report["versions"][0]["findings"] == []
    assert len(report["versions"][0]["suppressed"]) == 1


def test_cli_missing_explicit_baseline_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "o.txt").write_text(ORIGINAL, encoding="utf-8")
    (tmp_path / "v.txt").write_text(VERSION, encoding="utf-8")
    missing = tmp_path / "nope.jsonl"
    result = CliRunner().invoke(
        app, ["check", str(tmp_path / "o.txt"), str(tmp_path / "v.txt"), "--baseline",
              str(missing)]
    )
    assert result.exit_code == 2
    assert "no such file" in result.output and str(missing) in result.output


def test_cli_severity_table_in_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "o.txt").write_text(ORIGINAL, encoding="utf-8")
    (tmp_path / "v.txt").write_text(VERSION, encoding="utf-8")
    (tmp_path / "fidelity.toml").write_text('[severity]\nmodality = "minor"\n', encoding="utf-8")
    args = ["check", "o.txt", "v.txt", "--mode", "translation", "--checks", "modality"]
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)["versions"][0]["findings"]
    assert findings and {f["severity"] for f in findings} == {"minor"}
