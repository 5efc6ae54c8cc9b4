"""Findings as CSV and XLSX (one row per finding), and `fidelity align` for reading."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from lxml import html as lxml_html
from typer.testing import CliRunner

import fidelity
from fidelity.cli import app
from fidelity.model import (
    Alignment,
    Document,
    Finding,
    Report,
    Segment,
    Severity,
    Signature,
    Span,
    VersionReport,
)
from fidelity.report.table import COLUMNS, render_csv, render_xlsx

CASE = Path(__file__).resolve().parent.parent / "corpora" / "04_fr_wildfire"
runner = CliRunner()

XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file source-language="fr" target-language="en" datatype="plaintext" original="x"><body>
  <trans-unit id="intro-1"><source>Le préfet a déclaré que l'incendie pourrait reprendre dans la nuit.</source><target>The prefect said the fire will flare up again overnight.</target></trans-unit>
  <trans-unit id="intro-2"><source>Trois cents pompiers sont mobilisés.</source><target>Three hundred firefighters have been deployed.</target></trans-unit>
  <trans-unit id="intro-3"><source>La route départementale est fermée jusqu'à nouvel ordre.</source></trans-unit>
 </body></file>
</xliff>
"""


def _case_args() -> list[str]:
    return [str(CASE / "original.fr.txt"), str(CASE / "version.en.txt"),
            str(CASE / "version.es.txt")]


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_one_row_per_finding_with_both_sentences_marked(tmp_path: Path) -> None:
    out = tmp_path / "findings.csv"
    result = runner.invoke(app, ["check", *_case_args(), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 1, result.output
    report = fidelity.Report.from_json(
        runner.invoke(app, ["check", *_case_args(), "--format", "json"]).stdout
    )
    rows = _rows(out.read_text(encoding="utf-8"))
    findings = [(v, f) for v in report.versions for f in v.findings]
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) == len(findings)
    assert {row["version"] for row in rows} == {v.document.name for v in report.versions}
    number = next(r for r in rows if r["check"] == "number" and "version.en" in r["version"])
    assert "⟦4 200⟧ hectares" in number["original_text"]
    assert "⟦2,400⟧ hectares" in number["version_text"]
    assert number["original_segments"] == number["version_segments"] == "s2"  # from 1
    assert number["severity"] == "critical"
    original = report.original.text
    assert original[int(number["original_start"]) : int(number["original_end"])] == "4 200"
    omission = next(r for r in rows if r["check"] == "omission")
    assert omission["version_text"] == omission["version_start"] == omission["version_segments"] == ""


def test_bilingual_rows_carry_unit_ids(tmp_path: Path) -> None:
    job = tmp_path / "job.xlf"
    job.write_text(XLIFF, encoding="utf-8")
    result = runner.invoke(app, ["check", str(job), "--format", "csv"])
    rows = _rows(result.stdout)
    assert {(r["check"], r["original_segments"]) for r in rows} >= {
        ("modality", "intro-1"), ("omission", "intro-3")
    }
    modality = next(r for r in rows if r["check"] == "modality")
    assert modality["version_segments"] == "intro-1"
    markdown = runner.invoke(app, ["check", str(job), "--format", "md"]).stdout
    assert "intro-1 ↔ intro-1" in markdown
    page = runner.invoke(app, ["check", str(job), "--format", "html"]).stdout
    assert "intro-3</span> ↔" in page  # an omitted unit: its id, and nothing opposite
    assert '<span class="ids" title="unit">intro-1</span>' in page  # one id for a paired unit


def _one_finding_report(message: str, original: str, version: str) -> Report:
    o_doc = Document(original, "en", (Segment(0, original, 0, len(original)),), "o.txt")
    v_doc = Document(version, "en", (Segment(0, version, 0, len(version)),), "=cmd.txt")
    finding = Finding("semantic", "mistranslation", Severity.MAJOR, message,
                      Span(0, len(original), original), Span(0, len(version), version))
    version_report = VersionReport(v_doc, "translation", "test", (Alignment((0,), (0,), 0.5),),
                                   (finding,), 0.5, "test")
    return Report(o_doc, (version_report,), Severity.MAJOR, Signature((("fidelity", "0"),)))


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_csv_cells_cannot_run_as_formulas(start: str) -> None:
    report = _one_finding_report(f"{start}1+1", f"{start}HYPERLINK(\"http://x\")", "fine")
    row = _rows(render_csv(report))[0]
    assert row["message"] == f"'{start}1+1"
    assert row["version"] == "'=cmd.txt"
    assert row["original_text"].startswith("⟦")  # the mark comes first: nothing to escape
    assert row["version_text"] == "⟦fine⟧"


def test_xlsx_workbook_has_header_frozen_pane_filter_and_strings(tmp_path: Path) -> None:
    out = tmp_path / "findings.xlsx"
    result = runner.invoke(app, ["check", *_case_args(), "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 1, result.output
    book = openpyxl.load_workbook(out)
    sheet = book["findings"]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{chr(ord('A') + len(COLUMNS) - 1)}{sheet.max_row}"
    assert sheet.column_dimensions["J"].width >= 40  # the sentences get room
    csv_rows = _rows(runner.invoke(app, ["check", *_case_args(), "--format", "csv"]).stdout)
    assert sheet.max_row - 1 == len(csv_rows)
    second = [c.value for c in sheet[2]]
    assert second[COLUMNS.index("check")] == csv_rows[0]["check"]
    assert "⟦" in second[COLUMNS.index("original_text")]
    summary = book["summary"]
    assert summary["A2"].value.endswith("version.en.txt")
    assert any(str(c.value).startswith("fidelity:") for row in summary.iter_rows() for c in row)


def test_xlsx_text_is_never_a_formula() -> None:
    report = _one_finding_report("=1+1", "=SUM(A1:A2)", "ok")
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    sheet = book["findings"]
    assert sheet.cell(2, COLUMNS.index("message") + 1).data_type == "s"
    assert sheet.cell(2, COLUMNS.index("message") + 1).value == "=1+1"


def test_xlsx_needs_a_file_or_a_pipe() -> None:
    # CliRunner's stdout is not a terminal: the workbook goes down the pipe.
    piped = runner.invoke(app, ["check", *_case_args()[:2], "--format", "xlsx"])
    assert piped.stdout_bytes[:2] == b"PK"
    # A terminal gets one line and exit 2, before any work.
    main, terminal = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "fidelity.cli", "check", *_case_args()[:2], "-f", "xlsx"],
            stdout=terminal, stderr=subprocess.PIPE, timeout=60, check=False,
        )
    finally:
        os.close(main)
        os.close(terminal)
    assert done.returncode == 2
    assert b"give -o FILE.xlsx" in done.stderr and len(done.stderr.splitlines()) == 1


def test_align_shows_each_bead_with_its_sentences(tmp_path: Path) -> None:
    args = ["align", str(CASE / "original.fr.txt"), str(CASE / "version.en.txt")]
    text = runner.invoke(app, args).stdout
    assert "s1 ↔ s1  0." in text
    assert "  original  BORDEAUX, 12 août" in text
    assert "  version   BORDEAUX, Aug 12" in text
    assert "(omitted: no rendering in the version)" in text
    markdown = runner.invoke(app, [*args, "--format", "md"]).stdout
    assert markdown.startswith("# Sentence alignment")
    assert "| s1 | s1 | 0." in markdown and "BORDEAUX, Aug 12" in markdown
    out = tmp_path / "align.html"
    assert runner.invoke(app, [*args, "--format", "html", "-o", str(out)]).exit_code == 0
    page = lxml_html.fromstring(out.read_text(encoding="utf-8"))
    rows = page.xpath('//div[contains(@class, "row") and not(contains(@class, "head"))]')
    beads = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    assert len(rows) == len(beads)
    assert "BORDEAUX, Aug 12" in rows[0].text_content()
    assert page.xpath('//div[contains(@class, "omitted")]')


def test_a_huge_span_is_cut_to_fit_a_cell() -> None:
    long = "word " * 12_000  # 60,000 characters: over a spreadsheet cell's 32,767
    report = _one_finding_report("omitted", long.strip(), "short")
    row = _rows(render_csv(report))[0]
    assert len(row["original_text"]) < 32_767 and row["original_text"].endswith("…⟧")
    assert row["original_end"] == str(len(long.strip()))  # the offsets keep the whole span
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))["findings"]
    assert len(sheet.cell(2, COLUMNS.index("original_text") + 1).value) < 32_767


TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="fr" datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="x" creationtoolversion="1"/>
<body>
 <tu tuid="fire-1"><tuv xml:lang="fr"><seg>Le préfet a déclaré que l'incendie pourrait reprendre dans la nuit.</seg></tuv><tuv xml:lang="en"><seg>The prefect said the fire will flare up again overnight.</seg></tuv></tu>
 <tu tuid="fire-2"><tuv xml:lang="fr"><seg>Trois cents pompiers sont mobilisés.</seg></tuv><tuv xml:lang="en"><seg>Three hundred firefighters have been deployed.</seg></tuv></tu>
</body></tmx>
"""
PO = """msgid ""
msgstr ""
"Language: en\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgctxt "lead"
msgid "Le préfet a déclaré que l'incendie pourrait reprendre dans la nuit."
msgstr "The prefect said the fire will flare up again overnight."

msgid "Trois cents pompiers sont mobilisés."
msgstr "Three hundred firefighters have been deployed."
"""


@pytest.mark.parametrize(("name", "content", "unit"), [("job.tmx", TMX, "fire-1"),
                                                        ("job.po", PO, "lead|")])
def test_tmx_and_po_rows_carry_unit_ids(tmp_path: Path, name: str, content: str,
                                        unit: str) -> None:
    job = tmp_path / name
    job.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["check", str(job), "--lang-original", "fr", "--format", "csv"])
    rows = _rows(result.stdout)
    modality = next(r for r in rows if r["check"] == "modality")
    assert modality["original_segments"].startswith(unit)
    assert modality["version_segments"] == modality["original_segments"]
