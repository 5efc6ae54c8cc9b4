"""The learned model's training data: readers, synthetic errors, splits and the held-out guard,
on tiny fixtures written here (never the shared data)."""

from __future__ import annotations

import io
import json
import random
import tarfile
from pathlib import Path

import pytest

from fidelity.qe.training import build as build_module
from fidelity.qe.training.data import (
    HeldOutError,
    SourceFiles,
    char_diff_spans,
    demetr_half,
    load_ced,
    load_demetr,
    load_mlqe,
    load_mqm,
)
from fidelity.qe.training.synth import (
    FAITHFUL_KINDS,
    KINDS,
    Pair,
    Pools,
    both_directions,
    synthesise,
)

HEADER = "mt_system\tdoc_id\tseg_id\tannotator_id\tsource\ttarget\tstart_ids\tend_ids\terrors"


def _mqm_row(system: str, seg: str, rater: str, src: str, tgt: str, spans: str) -> str:
    if not spans:
        return f"{system}\tdoc\t{seg}\t{rater}\t{src}\t{tgt}\t-1\t-1\tno-error"
    starts, ends, sevs = zip(*(s.split(":") for s in spans.split()), strict=True)
    return f"{system}\tdoc\t{seg}\t{rater}\t{src}\t{tgt}\t{' '.join(starts)}\t{' '.join(ends)}\t{' '.join(sevs)}"


FAITHFUL = [
    ("The council approved 250 new homes in Berlin on Monday.",
     "Der Rat genehmigte am Montag 250 neue Wohnungen in Berlin."),
    ("Police said the road is open in both directions, officials added.",
     "Die Polizei sagte, die Straße ist in beide Richtungen offen, fügten Beamte hinzu."),
    ("Maria Schulz won the election with 54 percent of the vote.",
     "Maria Schulz gewann die Wahl mit 54 Prozent der Stimmen."),
    ("The company may cut 1,200 jobs by March, according to reports.",
     "Das Unternehmen könnte bis März 1.200 Stellen streichen, heißt es."),
    ("Prices rose by 3 percent in 2023, the bank said in Frankfurt.",
     "Die Preise stiegen 2023 um 3 Prozent, sagte die Bank in Frankfurt."),
    ("His father began the talks.", "Sein Vater begann die Gespräche."),
    ("He said: \"We will never give up this fight.\"",
     "Er sagte: \"Wir werden diesen Kampf nie aufgeben.\""),
]


def _write_tar(path: Path, members: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "w:gz") as archive:
        for name, text in members.items():
            data = text.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def _mlqe(root: Path, part: str, rows: list[tuple[str, str, str]]) -> None:
    """rows: (src, mt, pe) detokenised; tokens are the words split on spaces with the final
    full stop split off."""

    def tok(text: str) -> str:
        return text[:-1] + " ." if text.endswith(".") else text

    prefix = f"en-de-{part}/{part}"
    tags = []
    src_tags = []
    for _src, mt, pe in rows:
        words = tok(mt).split()
        word_tags = ["BAD" if w not in tok(pe).split() else "OK" for w in words]
        tags.append(" ".join(["OK"] + [x for t in word_tags for x in (t, "OK")]))
        src_tags.append(" ".join("OK" for _ in tok(_src).split()))
    _write_tar(
        root / f"training/mlqe-pe/post-editing/en-de-{part}.tar.gz",
        {
            f"{prefix}.src": "".join(tok(s) + "\n" for s, _, _ in rows),
            f"{prefix}.mt": "".join(tok(m) + "\n" for _, m, _ in rows),
            f"{prefix}.pe": "".join(tok(p) + "\n" for _, _, p in rows),
            f"{prefix}.tags": "".join(t + "\n" for t in tags),
            f"{prefix}.source_tags": "".join(t + "\n" for t in src_tags),
            f"{prefix}.hter": "".join(("0.5" if m != p else "0.0") + "\n" for _, m, p in rows),
        },
    )
    header = "index\toriginal\ttranslation\tscores\tmean\tz_scores\tz_mean\tmodel_scores\n"
    lines = "".join(
        f"{i}\t{s}\t{m}\t[1]\t1\t[1]\t{-1.0 if m != p else 0.5}\t0\n"
        for i, (s, m, p) in enumerate(rows)
    )
    _write_tar(
        root / f"training/mlqe-pe/da/en-de-{part}.tar.gz",
        {f"en-de-{part}/{part}.ende.df.short.tsv": header + lines},
    )


def _demetr_items() -> list[dict]:
    items = []
    sources = [f"Der Satz Nummer {i} handelt von Berlin." for i in range(12)]
    for i, source in enumerate(sources):
        good = f"Sentence number {i} is about Berlin."
        items.append({
            "id": 2 * i, "lang_tag": "german", "src_sent": source, "eng_sent": good,
            "mt_sent": good, "pert_sent": f"Sentence number {i} is not about Berlin.",
            "severity": "critical", "pert_id": 8, "pert_name": "critical_id8_negation",
        })
    return items


@pytest.fixture()
def shared(tmp_path: Path) -> Path:
    root = tmp_path / "shared"
    mqm = root / "training/mqm"
    mqm.mkdir(parents=True)
    src, tgt = "The mayor opened the new bridge.", "Der Bürgermeister eröffnete die neue Brücke."
    rows = [
        # three raters of one output: two mark "Bürgermeister" major, one marks "Brücke" minor
        _mqm_row("A", "1", "r1", src, tgt, "4:17:major"),
        _mqm_row("A", "1", "r2", src, tgt, "4:17:major"),
        _mqm_row("A", "1", "r3", src, tgt, "37:43:minor"),
        # another system with the same output: one more rater of it
        _mqm_row("E", "1", "r4", src, tgt, "4:17:minor"),
        # one rater, an end-of-sentence omission mark
        _mqm_row("B", "1", "r1", src, "Der Bürgermeister eröffnete die Brücke.",
                 "38:40:major"),
    ]
    rows += [_mqm_row("C", str(i + 2), "r1", s, t, "") for i, (s, t) in enumerate(FAITHFUL)]
    (mqm / "train_2021_en-de.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    dev_rows = [HEADER, _mqm_row("D", "9", "r1", "A dev sentence about 5 cats.",
                                 "Ein Dev-Satz über 5 Katzen.", "")]
    (mqm / "dev_2022_en-de_dev.tsv").write_text("\n".join(dev_rows) + "\n", encoding="utf-8")
    (mqm / "dev_2022_en-de_test.tsv").write_text(HEADER + "\n", encoding="utf-8")
    ced = root / "training/ced"
    ced.mkdir(parents=True)
    (ced / "ende_train.tsv").write_text(
        "1\tThe cat sleeps.\tDie Katze schläft.\t[0, 0, 0]\tNOT\n"
        "2\tThe cat sleeps.\tDer Hund bellt.\t[1, 1, 1]\tERR\n",
        encoding="utf-8",
    )
    _mlqe(root, "train", [
        ("The river is long.", "Der Fluss ist kurz.", "Der Fluss ist lang."),
        ("She visited Paris in 1990.", "Sie besuchte Paris 1990.", "Sie besuchte Paris 1990."),
    ])
    _mlqe(root, "dev", [("The sky is blue.", "Der Himmel ist blau.", "Der Himmel ist blau.")])
    demetr = root / "benchmarks/demetr"
    demetr.mkdir(parents=True)
    (demetr / "dev.jsonl").write_text(
        "".join(json.dumps(item) + "\n" for item in _demetr_items()), encoding="utf-8"
    )
    return root


def _manifest(seed: int = 7, **extra: object) -> dict:
    manifest = {
        "seed": seed,
        "split": {"dev_permille": 200},
        "mqm": {
            "train": [{"file": "training/mqm/train_2021_en-de.tsv", "pair": "en-de"}],
            "dev": [{"file": "training/mqm/dev_2022_en-de_dev.tsv", "pair": "en-de"}],
        },
        "ced": {"train": [{"file": "training/ced/ende_train.tsv", "pair": "en-de"}]},
        "mlqe": {"pairs": ["en-de"]},
        "demetr": {"file": "benchmarks/demetr/dev.jsonl"},
        "synthetic": {"per_kind": {kind: 3 for kind in KINDS}},
    }
    manifest.update(extra)
    return manifest


def _assert_valid(example) -> None:
    for start, end, severity, category in example.tgt_spans:
        assert 0 <= start < end <= len(example.tgt), example
        assert example.tgt[start:end].strip(), example
        assert severity in ("minor", "major")
        assert category in ("mistranslation", "addition", "omission", "fluency")
    for start, end, label in example.src_spans:
        assert 0 <= start < end <= len(example.src), example
        assert example.src[start:end].strip() and label == "omission"


def test_mqm_merges_raters_by_majority_and_reads_omission_marks(shared: Path) -> None:
    examples = {e.id.split(":")[-3]: e for e in load_mqm(SourceFiles(shared),
                                                          "training/mqm/train_2021_en-de.tsv",
                                                          "en-de")}
    merged = examples["A"]
    assert "E" not in examples  # the same output from another system: merged
    # three of four raters mark it; two of those three say major
    assert [(merged.tgt[s:e], sev) for s, e, sev, _ in merged.tgt_spans] == [
        ("Bürgermeister", "major")
    ]
    assert merged.has_major
    omitted = examples["B"]
    assert omitted.tgt_spans == () and omitted.omission == "major" and omitted.has_major


def test_ced_gives_segment_labels_only(shared: Path) -> None:
    examples = load_ced(SourceFiles(shared), "training/ced/ende_train.tsv", "en-de")
    assert [e.has_major for e in examples] == [False, True]
    assert not any(e.spans_complete for e in examples)


def test_mlqe_tags_point_at_the_edited_words_and_post_edits_are_faithful(shared: Path) -> None:
    examples = load_mlqe(SourceFiles(shared), "en-de", "train")
    mt = next(e for e in examples if e.origin == "mlqe-mt")
    assert mt.tgt == "Der Fluss ist kurz."  # the untokenised DA text, not the tokens
    assert [mt.tgt[s:e] for s, e, _, _ in mt.tgt_spans] == ["kurz"]
    assert mt.tgt_spans[0][2] == "major" and mt.score == -1.0
    post_edit = next(e for e in examples if e.origin == "mlqe-pe")
    assert post_edit.tgt == "Der Fluss ist lang." and not post_edit.tgt_spans
    assert not post_edit.has_major


def test_demetr_reads_only_the_calibration_half_and_locates_the_change(shared: Path) -> None:
    examples = load_demetr(SourceFiles(shared))
    items = _demetr_items()
    calibration = {i["src_sent"] for i in items if demetr_half(i["src_sent"]) == "calibration"}
    assert calibration and len(calibration) < len(items)
    assert {e.src for e in examples} == calibration
    for example in examples:
        _assert_valid(example)
        if example.origin == "demetr-pert":
            assert [example.tgt[s:e] for s, e, _, _ in example.tgt_spans] == ["not"]


def test_demetr_half_is_the_benchmark_rule() -> None:
    common = pytest.importorskip("bench.common")
    for text in ("a", "b", "Das ist ein Satz.", "通过红外光谱"):
        assert demetr_half(text) == common.demetr_half(text)


def test_char_diff_widens_to_words_and_reports_deletions() -> None:
    spans, deleted = char_diff_spans("He won 5 games.", "He lost 5 games.")
    assert [("He lost 5 games."[s:e]) for s, e in spans] == ["lost"] and not deleted
    spans, deleted = char_diff_spans("The big red car.", "The car.")
    assert spans == [] and deleted


@pytest.mark.parametrize(
    "relative",
    [
        "training/mqm/dev_2022_en-de_test.tsv",
        "training/mqm/dev_2022_zh-en_test.tsv",
        "benchmarks/ced/ende_dev.tsv",
        "training/ced/ende_test.tsv",
        "training/wmt23/test_data_2023/en-de.tsv",
        "benchmarks/textberg/de/001",
        "corpora/01/original.txt",
        "benchmarks/demetr/test.jsonl",
    ],
)
def test_held_out_and_reported_files_are_refused(shared: Path, relative: str) -> None:
    with pytest.raises(HeldOutError):
        SourceFiles(shared).read_bytes(relative)


def test_a_manifest_naming_a_reported_file_fails_before_reading_it(shared: Path) -> None:
    manifest = _manifest(
        mqm={"train": [{"file": "training/mqm/dev_2022_en-de_test.tsv", "pair": "en-de"}]}
    )
    with pytest.raises(HeldOutError):
        build_module.build(manifest, shared)


def _pair(src: str, tgt: str, src_lang: str = "en", tgt_lang: str = "de") -> Pair:
    return Pair(src, tgt, src_lang, tgt_lang, "g", "test")


def _changed_region(before: str, after: str) -> tuple[int, int]:
    """[first, last) characters of `after` that differ from `before`."""
    first = 0
    while first < min(len(before), len(after)) and before[first] == after[first]:
        first += 1
    tail = 0
    while (tail < min(len(before), len(after)) - first
           and before[len(before) - 1 - tail] == after[len(after) - 1 - tail]):
        tail += 1
    return first, len(after) - tail


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_perturbation_changes_the_text_where_its_span_says(kind: str) -> None:
    pairs = both_directions_from(FAITHFUL)
    pools = Pools.from_pairs(pairs)
    made = 0
    for seed in range(30):
        rng = random.Random(seed)
        for pair in pairs:
            edit = KINDS[kind](pair, rng, pools)
            if edit is None:
                continue
            made += 1
            assert (edit.src, edit.tgt) != (pair.src, pair.tgt)
            if kind in FAITHFUL_KINDS:
                assert not edit.tgt_spans and not edit.src_spans and edit.omission is None
                continue
            if edit.tgt != pair.tgt and not edit.tgt_spans:  # left out of the version
                (start, end, _), = edit.src_spans
                omitted = edit.src[start:end]
                assert edit.tgt.count(omitted) < pair.tgt.count(omitted), (kind, edit)
                continue
            side_before, side_after, spans = (
                (pair.tgt, edit.tgt, [s[:2] for s in edit.tgt_spans])
                if edit.tgt != pair.tgt
                else (pair.src, edit.src, [s[:2] for s in edit.src_spans])
            )
            assert spans, (kind, edit)
            first, last = _changed_region(side_before, side_after)
            start, end = min(s for s, _ in spans), max(e for _, e in spans)
            # the span covers the changed characters, or (a deletion) touches the point
            assert start <= max(first, last) and end >= min(first, last), (kind, edit)
            assert 0 <= start < end <= len(side_after)
    assert made, f"{kind}: the fixture pairs give no example"


def both_directions_from(texts: list[tuple[str, str]]) -> list[Pair]:
    pairs = [_pair(s, t) for s, t in texts]
    return pairs + [_pair(t, s, "de", "en") for s, t in texts]


def test_synthesis_makes_both_directions_and_marks_every_example() -> None:
    from fidelity.qe.training.data import make_example

    base = [
        make_example(id=str(i), origin="mlqe-pe", src=s, tgt=t, src_lang="en", tgt_lang="de",
                     group=str(i))
        for i, (s, t) in enumerate(FAITHFUL)
    ]
    examples = synthesise(both_directions(base), {kind: 4 for kind in KINDS}, seed=1)
    assert {e.tgt_lang for e in examples} == {"en", "de"}
    for example in examples:
        _assert_valid(example)
        if example.origin == "synth-benign":
            assert not example.has_major and not example.tgt_spans
            continue
        if example.origin == "synth-typo":
            assert not example.has_major and example.tgt_spans[0][2:] == ("minor", "fluency")
            continue
        assert example.has_major
        assert example.tgt_spans or example.src_spans


def test_build_splits_by_source_is_deterministic_and_reads_only_what_it_may(
    shared: Path, tmp_path: Path
) -> None:
    train, dev, card = build_module.build(_manifest(), shared)
    assert train and dev
    for example in train + dev:
        _assert_valid(example)
    assert not {e.group for e in train} & {e.group for e in dev}
    assert any(e.src == "A dev sentence about 5 cats." for e in dev)
    assert not any("_test" in path for path in card["files_read"])
    assert set(card["files_read"]) <= {
        "training/mqm/train_2021_en-de.tsv",
        "training/mqm/dev_2022_en-de_dev.tsv",
        "training/ced/ende_train.tsv",
        "training/mlqe-pe/post-editing/en-de-train.tar.gz",
        "training/mlqe-pe/post-editing/en-de-dev.tar.gz",
        "training/mlqe-pe/da/en-de-train.tar.gz",
        "training/mlqe-pe/da/en-de-dev.tar.gz",
        "benchmarks/demetr/dev.jsonl",
    }
    first, second = tmp_path / "one", tmp_path / "two"
    build_module.write(first, train, dev, card)
    build_module.write(second, *build_module.build(_manifest(), shared))
    for name in ("train.jsonl", "dev.jsonl", "card.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    other = build_module.build(_manifest(seed=8), shared)[0]
    assert [e.to_json() for e in other] != [e.to_json() for e in train]


def test_the_command_writes_the_data_and_the_card(shared: Path, tmp_path: Path) -> None:
    import tomllib  # noqa: F401  (the manifest format)

    manifest = tmp_path / "manifest.toml"
    manifest.write_text(
        'seed = 3\n[mqm]\ntrain = [{ file = "training/mqm/train_2021_en-de.tsv", pair = "en-de" }]\n'
        '[synthetic.per_kind]\nnumber = 2\nname = 2\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert build_module.main(["--manifest", str(manifest), "--out", str(out),
                              "--data-root", str(shared)]) == 0
    lines = (out / "train.jsonl").read_text(encoding="utf-8").splitlines()
    lines += (out / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    keys = {"id", "origin", "src", "tgt", "src_lang", "tgt_lang", "tgt_spans", "src_spans",
            "has_major", "score", "group"}
    assert lines and all(keys <= set(json.loads(line)) for line in lines)
    assert "synth-number" in (out / "card.md").read_text(encoding="utf-8")


def test_the_shipped_manifest_names_no_reported_file() -> None:
    manifest = build_module.load_manifest(
        Path(build_module.__file__).with_name("manifest.toml")
    )
    files = SourceFiles(Path("/nonexistent"))
    named = [e["file"] for section in ("mqm", "ced") for part in ("train", "dev")
             for e in manifest.get(section, {}).get(part, [])]
    named.append(manifest["demetr"]["file"])
    for relative in named:
        files.path(relative)  # raises HeldOutError for a reported file
    assert set(manifest["synthetic"]["per_kind"]) <= set(KINDS)


def test_only_flagged_source_words_without_a_counterpart_count_as_omitted() -> None:
    from fidelity.qe.training.data import _omitted_tags

    tokens = ["The", "big", "dog", "barks", "."]
    tags = ["OK", "BAD", "BAD", "OK", "BAD"]
    # "big" has no counterpart (left out); "dog" has one (mistranslated); "." is punctuation
    assert _omitted_tags(tags, "0-0 2-1 3-2", tokens) == ["OK", "BAD", "OK", "OK", "OK"]
    assert _omitted_tags(tags, None, tokens) == tags


def test_errors_made_from_pairs_with_a_segment_label_only_keep_that_limit() -> None:
    from fidelity.qe.training.data import make_example

    not_critical = [
        make_example(id=str(i), origin="ced", src=s, tgt=t, src_lang="en", tgt_lang="de",
                     group=str(i), has_major=False, spans_complete=False)
        for i, (s, t) in enumerate(FAITHFUL)
    ]
    examples = synthesise(both_directions(not_critical), {"number": 3, "negation": 3}, seed=2)
    assert examples and not any(e.spans_complete for e in examples)
    assert all(e.has_major for e in examples)


def test_a_span_off_its_text_is_refused_when_the_example_is_made() -> None:
    from fidelity.qe.training.data import make_example

    common = {"id": "x", "origin": "t", "src": "abc", "tgt": "abc", "src_lang": "en",
              "tgt_lang": "de", "group": "g"}
    with pytest.raises(ValueError):
        make_example(tgt_spans=[(1, 9, "major", "mistranslation")], **common)
    with pytest.raises(ValueError):
        make_example(tgt_spans=[(0, 2, "critical", "mistranslation")], **common)
    with pytest.raises(ValueError):
        make_example(src_spans=[(2, 2, "omission")], **common)


def test_errors_made_for_training_borrow_nothing_from_dev_sentences(shared: Path) -> None:
    train, dev, _ = build_module.build(_manifest(synthetic={"per_kind": {
        "clause_added": 20, "clause_dropped": 20, "name": 20}}), shared)
    real_train = " ".join(e.src + " " + e.tgt for e in train if not e.origin.startswith("synth"))
    real_dev = " ".join(e.src + " " + e.tgt for e in dev if not e.origin.startswith("synth"))
    borrowed = [
        e.tgt[s:t] for e in train if e.origin.startswith("synth") for s, t, _, _ in e.tgt_spans
    ] + [e.src[s:t] for e in train if e.origin.startswith("synth") for s, t, _ in e.src_spans]
    assert borrowed
    for text in borrowed:
        assert text in real_train or text not in real_dev, text
