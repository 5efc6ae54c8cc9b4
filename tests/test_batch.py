"""`fidelity.batch.score_pairs`: tables of pairs in, one result row per pair out, resumable."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

import fidelity.api
from fidelity.batch import score_pairs
from fidelity.errors import FidelityInputError

PAIRS = [
    {
        "id": "en-fr",
        "source": "The government announced new support measures for farmers on Monday.",
        "version": "Le gouvernement a annoncé lundi de nouvelles mesures de soutien aux "
        "agriculteurs.",
    },
    {
        "id": "ru-en",
        "source": "Центральный банк сохранил ключевую ставку на уровне шестнадцати процентов.",
        "version": "The central bank kept its key rate at sixteen percent.",
        "source_lang": "ru",
        "version_lang": "en",
    },
    {
        "id": "fr-en",
        "source": "Les pompiers ont maîtrisé l'incendie après trois jours de lutte.",
        "version": "Firefighters brought the fire under control after three days.",
    },
    {
        # Nothing in common: the sentence is omitted and another one added.
        "id": "unrelated",
        "source": "The minister resigned after the vote.",
        "version": "Министерство опубликовало прогноз погоды на выходные.",
        "version_lang": "ru",
    },
]


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("FIDELITY_CACHE_DIR", str(directory))
    return directory


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    return path


def with_bad_rows(tmp_path: Path) -> list[dict]:
    return [
        *PAIRS,
        {"id": "empty", "source": "A sentence with no rendering at all.", "version": ""},
        {
            "id": "missing-file",
            "source": "The court adjourned until Friday.",
            "version_path": str(tmp_path / "no-such-file.txt"),
        },
    ]


def count_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = fidelity.api.check

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(fidelity.api, "check", counting)
    return calls


def test_jsonl_rows_are_scored_and_bad_rows_reported(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "pairs.jsonl", with_bad_rows(tmp_path))
    output = tmp_path / "out.jsonl"

    summary = score_pairs(source, output, progress=False)

    table = pl.read_ndjson(output)
    assert table.columns == [
        "id", "score", "flagged", "severity", "findings", "error", "signature", "input_hash"
    ]
    assert table["id"].to_list() == [r["id"] for r in with_bad_rows(tmp_path)]
    rows = {r["id"]: r for r in table.iter_rows(named=True)}
    for key in ("en-fr", "ru-en", "fr-en"):
        assert rows[key]["error"] is None
        assert 0.5 < rows[key]["score"] <= 1.0
        assert rows[key]["flagged"] is False
    bad = rows["unrelated"]
    assert bad["flagged"] is True and bad["severity"] == "major"
    assert bad["score"] < 0.5
    findings = json.loads(bad["findings"])
    assert findings and {"check", "severity", "message"} <= set(findings[0])
    assert max(f["severity"] == "major" for f in findings)
    # An empty version is a complete omission, not an error.
    empty = rows["empty"]
    assert empty["error"] is None and empty["score"] == 0.0 and empty["severity"] == "critical"
    (omission,) = json.loads(empty["findings"])
    assert omission["check"] == "omission" and omission["severity"] == "critical"
    assert "no such file" in rows["missing-file"]["error"]
    assert rows["missing-file"]["score"] is None

    assert (summary.rows, summary.checked, summary.skipped) == (6, 6, 0)
    assert (summary.errors, summary.flagged) == (1, 2)
    assert summary.by_severity["major"] == 1
    total = sum(len(json.loads(r["findings"])) for r in rows.values() if r["findings"])
    assert sum(summary.by_check.values()) == total
    frame = summary.table()
    assert frame.columns == ["severity", "check", "findings", "pairs"]
    assert frame["findings"].sum() == total
    assert frame.filter(pl.col("severity") == "major")["pairs"].max() == 1


def test_csv_without_ids_with_paths_numbers_rows(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "fr.txt").write_text(
        "Les pompiers ont maîtrisé l'incendie après trois jours de lutte.\n", encoding="utf-8"
    )
    pl.DataFrame(
        {
            "source": [PAIRS[0]["source"], "Firefighters controlled the fire after three days."],
            "version": [PAIRS[0]["version"], ""],
            "version_path": ["", "docs/fr.txt"],  # relative to the input's folder
        }
    ).write_csv(tmp_path / "pairs.csv")
    output = tmp_path / "out.csv"

    summary = score_pairs(tmp_path / "pairs.csv", output, progress=False)

    table = pl.read_csv(output)
    assert table["id"].to_list() == [1, 2]
    assert table["error"].null_count() == 2
    assert all(0.5 < s <= 1.0 for s in table["score"])
    assert summary.errors == 0


def test_second_run_skips_done_rows_and_retries_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = with_bad_rows(tmp_path)
    source = write_jsonl(tmp_path / "pairs.jsonl", rows)
    output = tmp_path / "out.parquet"
    score_pairs(source, output, progress=False)
    first = pl.read_parquet(output)

    calls = count_checks(monkeypatch)
    new_pair = {"id": "new", "source": PAIRS[2]["source"], "version": PAIRS[2]["version"]}
    write_jsonl(source, [*rows, new_pair])
    summary = score_pairs(source, output, progress=False, fail_on="critical")

    # The missing file still fails (it never reaches `check`), the new row is checked.
    assert len(calls) == 1
    assert (summary.rows, summary.skipped, summary.checked) == (7, 5, 2)
    second = pl.read_parquet(output)
    assert second["id"].to_list() == [*first["id"].to_list(), "new"]
    done = pl.col("error").is_null()
    assert second.filter(done)["score"].to_list()[:5] == first.filter(done)["score"].to_list()
    # Kept rows are re-judged against the new --fail-on.
    assert second.filter(pl.col("id") == "unrelated")["flagged"].to_list() == [False]
    assert summary.flagged == 1  # the empty version: a critical omission


def test_interrupted_run_keeps_what_was_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_jsonl(tmp_path / "pairs.jsonl", PAIRS)
    output = tmp_path / "out.jsonl"
    real = fidelity.api.check
    calls: list[int] = []

    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(fidelity.api, "check", interrupted)
    with pytest.raises(KeyboardInterrupt):
        score_pairs(source, output, progress=False)
    assert pl.read_ndjson(output)["id"].to_list() == ["en-fr", "ru-en"]

    monkeypatch.setattr(fidelity.api, "check", real)
    summary = score_pairs(source, output, progress=False)
    assert (summary.skipped, summary.checked) == (2, 2)
    assert pl.read_ndjson(output)["id"].to_list() == [p["id"] for p in PAIRS]


def test_refuses_what_it_cannot_use(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "pairs.jsonl", PAIRS[:1])
    with pytest.raises(FidelityInputError, match="table format"):
        score_pairs(source, tmp_path / "out.txt", progress=False)
    with pytest.raises(FidelityInputError, match="no such file"):
        score_pairs(tmp_path / "absent.jsonl", tmp_path / "out.jsonl", progress=False)
    (tmp_path / "empty.csv").write_text("source,version\n", encoding="utf-8")
    with pytest.raises(FidelityInputError, match="no rows"):
        score_pairs(tmp_path / "empty.csv", tmp_path / "out.jsonl", progress=False)
    no_version = write_jsonl(tmp_path / "bad.jsonl", [{"source": "Text."}])
    with pytest.raises(FidelityInputError, match="'version'"):
        score_pairs(no_version, tmp_path / "out.jsonl", progress=False)
    foreign = write_jsonl(tmp_path / "foreign.jsonl", [{"id": "en-fr", "note": "mine"}])
    with pytest.raises(FidelityInputError, match="not a fidelity batch output"):
        score_pairs(source, foreign, progress=False)
    assert json.loads(foreign.read_text(encoding="utf-8")) == {"id": "en-fr", "note": "mine"}
