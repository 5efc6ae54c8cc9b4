"""`fidelity batch` keeps everything: earlier results are never silently dropped, a second
run cannot interleave, a bad line or row is one error row, paths stay inside their folder,
and a spreadsheet never runs a cell."""

from __future__ import annotations

import csv
import fcntl
import json
import os
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import fidelity.api
from fidelity.batch import findings_path, lock_path, meta_path, score_pairs
from fidelity.cli import app
from fidelity.errors import FidelityInputError

runner = CliRunner()
FAITHFUL = {
    "source": "The government announced new support measures for farmers on Monday.",
    "version": "Le gouvernement a annoncé lundi de nouvelles mesures de soutien aux "
    "agriculteurs.",
}
DRIFTED = {
    "source": "The minister said prices may rise next year.",
    "version": "Le ministre a dit que les prix vont augmenter l'an prochain.",
}


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("FIDELITY_CACHE_DIR", str(directory))
    return directory


def jsonl(path: Path, rows: list[dict], bom: bool = False) -> Path:
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def test_another_input_onto_an_existing_output_is_refused_unless_merged(tmp_path: Path) -> None:
    first = jsonl(tmp_path / "first.jsonl", [{"id": "a", **FAITHFUL}, {"id": "b", **DRIFTED}])
    other = jsonl(tmp_path / "other.jsonl", [{"id": "c", **FAITHFUL}])
    output = tmp_path / "out.jsonl"
    score_pairs(first, output, progress=False)
    before = output.read_bytes()

    with pytest.raises(FidelityInputError, match="written from another input"):
        score_pairs(other, output, progress=False)
    assert output.read_bytes() == before  # nothing lost

    summary = score_pairs(other, output, progress=False, merge=True)
    assert summary.kept_from_before == 2
    assert sorted(pl.read_ndjson(output)["id"].to_list()) == ["a", "b", "c"]

    score_pairs(other, output, progress=False, overwrite=True)
    assert pl.read_ndjson(output)["id"].to_list() == ["c"]


def test_a_resume_that_would_drop_rows_is_refused(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "pairs.jsonl", [{"id": "a", **FAITHFUL}, {"id": "b", **DRIFTED}])
    output = tmp_path / "out.csv"
    score_pairs(source, output, progress=False)
    jsonl(source, [{"id": "a", **FAITHFUL}])
    with pytest.raises(FidelityInputError, match=r"ids this input does not have \(e\.g\. 'b'\)"):
        score_pairs(source, output, progress=False)


def test_a_resume_under_another_signature_is_refused_naming_what_differs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = jsonl(tmp_path / "pairs.jsonl", [{"id": "a", **FAITHFUL}])
    output = tmp_path / "out.parquet"
    score_pairs(source, output, progress=False)
    signature = pl.read_parquet(output)["signature"][0]
    assert "|mode:auto|" in signature  # batch defaults to --mode auto, as check does
    meta = json.loads(meta_path(output).read_text(encoding="utf-8"))
    assert meta["signature"] == signature
    assert meta["input"]["path"] == str(source.resolve())

    with pytest.raises(FidelityInputError, match=r"another signature.*split: sentences -> lines"):
        score_pairs(source, output, progress=False, split="lines")
    calls: list[int] = []
    real = fidelity.api.check
    monkeypatch.setattr(fidelity.api, "check", lambda *a, **k: calls.append(1) or real(*a, **k))
    score_pairs(source, output, progress=False, split="lines", merge=True)
    assert calls == [1]  # scored again under the new signature
    assert "|split:lines|" in pl.read_parquet(output)["signature"][0]


def test_a_changed_row_with_the_same_id_is_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = jsonl(tmp_path / "pairs.jsonl", [{"id": "a", **FAITHFUL}, {"id": "b", **DRIFTED}])
    output = tmp_path / "out.jsonl"
    score_pairs(source, output, progress=False)
    jsonl(source, [{"id": "a", **FAITHFUL}, {"id": "b", **FAITHFUL}])
    calls: list[int] = []
    real = fidelity.api.check
    monkeypatch.setattr(fidelity.api, "check", lambda *a, **k: calls.append(1) or real(*a, **k))
    summary = score_pairs(source, output, progress=False)
    assert (summary.skipped, summary.checked, calls) == (1, 1, [1])


def test_a_second_run_on_the_same_output_is_stopped_by_the_lock(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "pairs.jsonl", [{"id": "a", **FAITHFUL}])
    output = tmp_path / "out.jsonl"
    with open(lock_path(output), "a+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(FidelityInputError, match="another fidelity batch is writing"):
            score_pairs(source, output, progress=False)
        result = runner.invoke(app, ["batch", str(source), "-o", str(output)])
        assert result.exit_code == 2
        assert len(result.stderr.strip().splitlines()) == 1
    assert not output.exists()
    score_pairs(source, output, progress=False)  # released: the next run goes ahead
    assert output.exists()


def test_a_malformed_jsonl_line_is_an_error_row_with_its_line_number(tmp_path: Path) -> None:
    source = tmp_path / "pairs.jsonl"
    source.write_text(
        json.dumps({"id": "a", **FAITHFUL}) + "\n"
        + '{"id": "b", "source": "unterminated\n'
        + "[1, 2]\n"
        + json.dumps({"id": "d", **DRIFTED}) + "\n",
        encoding="utf-8",
    )
    output = tmp_path / "out.jsonl"
    summary = score_pairs(source, output, progress=False)
    rows = pl.read_ndjson(output).to_dicts()
    assert [r["error"] is None for r in rows] == [True, False, False, True]
    assert rows[1]["error"].startswith("line 2: not valid JSON")
    assert rows[2]["error"].startswith("line 3: not a JSON object")
    assert summary.errors == 2

    not_jsonl = tmp_path / "notes.jsonl"
    not_jsonl.write_text("source,version\nA,B\n", encoding="utf-8")
    with pytest.raises(FidelityInputError, match="is not JSONL: line 1: not valid JSON"):
        score_pairs(not_jsonl, tmp_path / "out2.jsonl", progress=False)


def test_a_quote_left_open_in_csv_is_named_with_its_line(tmp_path: Path) -> None:
    source = tmp_path / "pairs.csv"
    source.write_text('id,source,version\n1,"Ten died,x\n2,a,b\n', encoding="utf-8")
    with pytest.raises(FidelityInputError, match=r"line 2: .*takes in line 3: is a quote left open"):
        score_pairs(source, tmp_path / "out.jsonl", progress=False)
    source.write_text('id,source,version\n1,"Ten died,x\n', encoding="utf-8")
    with pytest.raises(FidelityInputError, match=r"line 2: .*a quote opened here is never closed"):
        score_pairs(source, tmp_path / "out.jsonl", progress=False)


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "pairs.jsonl", [{"id": "a", **FAITHFUL}], bom=True)
    summary = score_pairs(source, tmp_path / "out.jsonl", progress=False)
    assert summary.errors == 0
    table = tmp_path / "pairs.csv"
    with open(table, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "source", "version"])
        writer.writerow(["a", FAITHFUL["source"], FAITHFUL["version"]])
    summary = score_pairs(table, tmp_path / "out.csv", progress=False)
    assert summary.errors == 0


def test_paths_stay_inside_the_base_folder_and_a_device_is_one_error_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = tmp_path / "desk"
    desk.mkdir()
    (desk / "fr.txt").write_text(FAITHFUL["version"], encoding="utf-8")
    (tmp_path / "secret.txt").write_text("The secret plan.", encoding="utf-8")
    (desk / "link.txt").symlink_to(tmp_path / "secret.txt")
    rows = [
        {"id": "inside", "source": FAITHFUL["source"], "version_path": "fr.txt"},
        {"id": "up", "source": FAITHFUL["source"], "version_path": "../secret.txt"},
        {"id": "absolute", "source": FAITHFUL["source"], "version_path": "/etc/hostname"},
        {"id": "link", "source": FAITHFUL["source"], "version_path": "link.txt"},
        {"id": "zero", "source_path": "/dev/zero", "version": FAITHFUL["version"]},
    ]
    source = jsonl(desk / "pairs.jsonl", rows)
    output = desk / "out.jsonl"
    score_pairs(source, output, progress=False)
    errors = {r["id"]: r["error"] for r in pl.read_ndjson(output).to_dicts()}
    assert errors["inside"] is None
    for key in ("up", "absolute", "link", "zero"):
        assert "outside the folder pairs are read from" in errors[key], key

    # With the whole disk allowed, /dev/zero meets the bounded read: one error row, no run lost.
    monkeypatch.setenv("FIDELITY_MAX_BYTES", str(1 << 20))
    score_pairs(source, tmp_path / "all.jsonl", progress=False, paths_from=Path("/"))
    errors = {r["id"]: r["error"] for r in pl.read_ndjson(tmp_path / "all.jsonl").to_dicts()}
    assert errors["zero"] is not None and "outside" not in errors["zero"]
    assert "limit" in errors["zero"]
    assert "outside" not in (errors["absolute"] or "")  # inside "/": it was read


def test_csv_cells_a_spreadsheet_would_run_are_escaped_and_read_back(tmp_path: Path) -> None:
    ids = ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "'quoted", "plain"]
    source = jsonl(tmp_path / "pairs.jsonl", [{"id": i, **FAITHFUL} for i in ids])
    output = tmp_path / "out.csv"
    score_pairs(source, output, progress=False)
    with open(output, encoding="utf-8", newline="") as handle:
        written = [row["id"] for row in csv.DictReader(handle)]
    assert written == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "''quoted", "plain"]
    with open(findings_path(output), encoding="utf-8", newline="") as handle:
        assert all(not row["id"].startswith(("=", "+", "-", "@")) for row in csv.DictReader(handle))
    summary = score_pairs(source, output, progress=False)  # read back: every row is done
    assert (summary.skipped, summary.checked) == (6, 0)


def test_a_findings_table_is_written_beside_the_pairs(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "pairs.jsonl", [{"id": "a", **FAITHFUL}, {"id": "b", **DRIFTED}])
    output = tmp_path / "scores.parquet"
    score_pairs(source, output, progress=False)
    findings = pl.read_parquet(tmp_path / "scores.findings.parquet")
    pairs = pl.read_parquet(output)
    expected = sum(len(json.loads(cell)) for cell in pairs["findings"] if cell)
    assert findings.height == expected > 0
    assert {"id", "check", "category", "severity", "message", "original_text",
            "version_start", "version_end", "version_text"} <= set(findings.columns)
    modality = findings.filter(pl.col("check") == "modality")
    assert modality["id"].to_list() == ["b"]
    version = DRIFTED["version"]
    row = modality.row(0, named=True)
    assert version[row["version_start"] : row["version_end"]] == row["version_text"]


def test_one_row_that_breaks_a_check_never_stops_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = jsonl(tmp_path / "pairs.jsonl", [{"id": "a", **FAITHFUL}, {"id": "b", **DRIFTED}])
    real = fidelity.api.check

    def fragile(original, versions, **kwargs):  # type: ignore[no-untyped-def]
        if "minister" in original.text:
            raise RecursionError("deep trouble")
        return real(original, versions, **kwargs)

    monkeypatch.setattr(fidelity.api, "check", fragile)
    summary = score_pairs(source, tmp_path / "out.jsonl", progress=False)
    rows = {r["id"]: r for r in pl.read_ndjson(tmp_path / "out.jsonl").to_dicts()}
    assert rows["a"]["error"] is None and "RecursionError" in rows["b"]["error"]
    assert summary.errors == 1


def test_an_empty_version_file_is_a_complete_omission(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("\n  \n", encoding="utf-8")
    source = jsonl(
        tmp_path / "pairs.jsonl",
        [{"id": "a", "source": FAITHFUL["source"], "version_path": "empty.txt"}],
    )
    score_pairs(source, tmp_path / "out.jsonl", progress=False)
    (row,) = pl.read_ndjson(tmp_path / "out.jsonl").to_dicts()
    assert (row["error"], row["score"], row["severity"], row["flagged"]) == (
        None, 0.0, "critical", True
    )


def test_a_damaged_cache_does_not_fail_the_rows(tmp_path: Path, cache_dir: Path) -> None:
    cache_dir.mkdir()
    (cache_dir / "embeddings.sqlite3").write_bytes(os.urandom(4096))
    source = jsonl(tmp_path / "pairs.jsonl", [{"id": "a", **FAITHFUL}, {"id": "b", **DRIFTED}])
    with pytest.warns(UserWarning, match="embedding cache was damaged"):
        summary = score_pairs(source, tmp_path / "out.jsonl", progress=False)
    assert summary.errors == 0
    assert list(cache_dir.glob("embeddings.sqlite3.corrupt-*"))


def test_the_batch_command_prints_a_table_not_a_dataframe(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "pairs.jsonl", [{"id": "a", **FAITHFUL}, {"id": "b", **DRIFTED}])
    result = runner.invoke(app, ["batch", str(source), "-o", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 0, result.output
    assert "shape:" not in result.stderr and "┌" not in result.stderr
    assert "severity" in result.stderr and "modality" in result.stderr
    assert "out.findings.jsonl" in result.stderr
    again = runner.invoke(
        app, ["batch", str(source), "-o", str(tmp_path / "out.jsonl"), "--split", "lines"]
    )
    assert again.exit_code == 2 and "--merge" in again.stderr


def test_odd_json_values_are_one_error_row_each(tmp_path: Path) -> None:
    source = tmp_path / "pairs.jsonl"
    source.write_text(
        '{"id": [1, 2], "source": "The minister resigned.", "version": ""}\n'
        '{"id": "s", "source": "\\ud800 is half a character.", "version": "x"}\n'
        + json.dumps({"id": "ok", **FAITHFUL}) + "\n",
        encoding="utf-8",
    )
    score_pairs(source, tmp_path / "out.jsonl", progress=False)
    rows = {r["id"]: r for r in pl.read_ndjson(tmp_path / "out.jsonl").to_dicts()}
    assert rows["[1, 2]"]["severity"] == "critical"  # a list id is still the row's name
    assert rows["s"]["error"] == "line 2: text that is not valid Unicode (a lone surrogate escape)"
    assert rows["ok"]["error"] is None


def test_a_line_that_is_not_utf8_is_an_error_row(tmp_path: Path) -> None:
    source = tmp_path / "pairs.jsonl"
    source.write_bytes(
        json.dumps({"id": "a", **FAITHFUL}).encode() + b"\n"
        + b'{"id": "b", "source": "caf\xe9"}\n'
        + json.dumps({"id": "c", **FAITHFUL}).encode() + b"\n"
    )
    score_pairs(source, tmp_path / "out.jsonl", progress=False)
    errors = [r["error"] for r in pl.read_ndjson(tmp_path / "out.jsonl").to_dicts()]
    assert errors == [None, "line 2: not UTF-8 text", None]


def test_the_batch_command_follows_the_settings_file_and_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    source = jsonl(tmp_path / "pairs.jsonl", [{"id": "b", **DRIFTED}])
    Path("fidelity.toml").write_text('skip-checks = ["modality"]\n')
    result = runner.invoke(app, ["batch", "pairs.jsonl", "-o", "out.jsonl"])
    assert result.exit_code == 0, result.output
    (row,) = pl.read_ndjson(tmp_path / "out.jsonl").to_dicts()
    assert "|settings-file:fidelity.toml|" in row["signature"]
    assert "modality" not in row["signature"].split("|checks:")[1].split("|")[0]
    assert all(f["check"] != "modality" for f in json.loads(row["findings"]))
    assert source.exists()


def test_ctrl_c_in_the_batch_command_keeps_what_was_scored_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = jsonl(tmp_path / "pairs.jsonl", [{"id": "a", **FAITHFUL}, {"id": "b", **DRIFTED}])
    real = fidelity.api.check
    calls: list[int] = []

    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(fidelity.api, "check", interrupted)
    output = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", str(source), "-o", str(output)])
    assert result.exit_code == 130
    assert "saved in" in result.stderr and "resume" in result.stderr
    assert pl.read_ndjson(output)["id"].to_list() == ["a"]
