"""Build the learned model's training and dev data from a manifest, reproducibly.

    python -m fidelity.qe.training.build --manifest src/fidelity/qe/training/manifest.toml \
        --out data/qe [--data-root ../shared]

Writes train.jsonl, dev.jsonl (one example a line, see data.Example), card.md and card.json
(counts per origin, language pair and label; every file read with its sha256; the manifest).
The same manifest and data give byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from fidelity.qe.training.data import (
    Example,
    MlqeRule,
    SourceFiles,
    load_ced,
    load_demetr,
    load_mlqe,
    load_mqm,
    stable_hash,
)
from fidelity.qe.training.synth import KINDS, both_directions, synthesise


def load_manifest(path: Path) -> dict:
    manifest = tomllib.loads(path.read_text(encoding="utf-8"))
    unknown = set(manifest.get("synthetic", {}).get("per_kind", {})) - set(KINDS)
    if unknown:
        raise ValueError(f"{path}: unknown synthetic kinds {sorted(unknown)}")
    return manifest


def collect(manifest: dict, files: SourceFiles) -> tuple[list[Example], set[str]]:
    """Every real example the manifest names, and the groups that come from dev files."""
    examples: list[Example] = []
    dev_groups: set[str] = set()
    mqm = manifest.get("mqm", {})
    for entry in mqm.get("train", []):
        examples += load_mqm(files, entry["file"], entry["pair"])
    for entry in mqm.get("dev", []):
        loaded = load_mqm(files, entry["file"], entry["pair"])
        dev_groups.update(e.group for e in loaded)
        examples += loaded
    for entry in manifest.get("ced", {}).get("train", []):
        examples += load_ced(files, entry["file"], entry["pair"])
    mlqe = manifest.get("mlqe", {})
    rule = MlqeRule(mlqe.get("major_hter", MlqeRule.major_hter),
                    mlqe.get("major_z", MlqeRule.major_z))
    for pair in mlqe.get("pairs", []):
        examples += load_mlqe(files, pair, "train", rule)
        if mlqe.get("dev", True):
            loaded = load_mlqe(files, pair, "dev", rule)
            dev_groups.update(e.group for e in loaded)
            examples += loaded
    demetr = manifest.get("demetr", {})
    if demetr.get("file"):
        examples += load_demetr(files, demetr["file"])
    return examples, dev_groups


def faithful(examples: Iterable[Example], origins: Sequence[str]) -> list[Example]:
    """Pairs with no error at all: the material synthetic errors are made from."""
    return [
        e
        for e in examples
        if e.origin in origins
        and e.spans_complete
        and not e.tgt_spans
        and not e.src_spans
        and e.omission is None
    ]


def without_major(examples: Iterable[Example], origins: Sequence[str]) -> list[Example]:
    """Pairs known only to have no major error (critical-error 'NOT'): errors made from them
    teach the segment label in language pairs with no span data (en-cs, en-ja)."""
    return [e for e in examples if e.origin in origins and not e.has_major]


@dataclass(frozen=True)
class Splitter:
    """Which side a source sentence falls on: a group from a dev file, or one drawn by hash,
    goes wholly to dev. Decided before synthesis, so errors made for training borrow names and
    clauses from training sentences only."""

    dev_groups: frozenset[str]
    dev_permille: int
    seed: int

    def is_dev(self, group: str) -> bool:
        drawn = stable_hash(group, key=f"split{self.seed}") % 1000 < self.dev_permille
        return group in self.dev_groups or drawn

    def split(self, examples: Iterable[Example]) -> tuple[list[Example], list[Example]]:
        train, dev = [], []
        for example in examples:
            (dev if self.is_dev(example.group) else train).append(example)
        return train, dev


def cap(examples: list[Example], caps: dict[str, int], seed: int) -> list[Example]:
    """At most caps[origin] examples of an origin, chosen by a seeded hash of the id."""
    by_origin: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        by_origin[example.origin].append(example)
    kept = []
    for origin, items in by_origin.items():
        limit = caps.get(origin)
        if limit is not None and len(items) > limit:
            items = sorted(items, key=lambda e: stable_hash(e.id, key=f"cap{seed}"))[:limit]
        kept += items
    return kept


def unique_ids(examples: list[Example]) -> list[Example]:
    seen: Counter[str] = Counter()
    out = []
    for example in examples:
        seen[example.id] += 1
        count = seen[example.id]
        out.append(example if count == 1 else replace(example, id=f"{example.id}#{count}"))
    return out


def build(manifest: dict, data_root: Path) -> tuple[list[Example], list[Example], dict]:
    """The whole pipeline, returning train, dev and the card."""
    seed = int(manifest["seed"])
    files = SourceFiles(data_root)
    examples, dev_groups = collect(manifest, files)
    splitter = Splitter(
        frozenset(dev_groups), int(manifest.get("split", {}).get("dev_permille", 50)), seed
    )
    synthetic = manifest.get("synthetic", {})
    if synthetic.get("per_kind"):
        base = faithful(examples, synthetic.get("sources", ["mlqe-pe", "mqm", "demetr-good"]))
        base += without_major(examples, synthetic.get("segment_label_sources", []))
        pairs = both_directions(base)
        counts = {kind: int(n) for kind, n in synthetic["per_kind"].items()}
        dev_share = float(synthetic.get("dev_share", 0.1))
        examples += synthesise(
            [p for p in pairs if not splitter.is_dev(p.group)], counts, seed, id_prefix="synth"
        )
        examples += synthesise(
            [p for p in pairs if splitter.is_dev(p.group)],
            {kind: round(n * dev_share) for kind, n in counts.items()},
            seed,
            id_prefix="synth-dev",
        )
    examples = unique_ids(examples)
    train, dev = splitter.split(examples)
    caps = manifest.get("caps", {})
    train, dev = cap(train, caps, seed), cap(dev, caps, seed)
    rng = random.Random(seed)
    train.sort(key=lambda e: e.id)
    dev.sort(key=lambda e: e.id)
    rng.shuffle(train)
    rng.shuffle(dev)
    card = make_card(train, dev, files, manifest)
    return train, dev, card


def make_card(train: list[Example], dev: list[Example], files: SourceFiles, manifest: dict) -> dict:
    def counts(items: list[Example]) -> dict:
        return {
            "examples": len(items),
            "by_origin": dict(sorted(Counter(e.origin for e in items).items())),
            "by_pair": dict(sorted(Counter(f"{e.src_lang}-{e.tgt_lang}" for e in items).items())),
            "has_major": sum(e.has_major for e in items),
            "with_tgt_spans": sum(bool(e.tgt_spans) for e in items),
            "with_src_spans": sum(bool(e.src_spans) for e in items),
            "omission": sum(e.omission is not None for e in items),
            "with_score": sum(e.score is not None for e in items),
            "segment_label_only": sum(not e.spans_complete for e in items),
            "by_origin_label": {
                origin: {
                    "has_major": sum(e.has_major for e in items if e.origin == origin),
                    "no_major": sum(not e.has_major for e in items if e.origin == origin),
                }
                for origin in sorted({e.origin for e in items})
            },
        }

    return {
        "seed": manifest["seed"],
        "train": counts(train),
        "dev": counts(dev),
        "files_read": dict(sorted(files.read.items())),
        "manifest": manifest,
    }


def card_markdown(card: dict) -> str:
    lines = [f"# QE training data (seed {card['seed']})", ""]
    for part in ("train", "dev"):
        info = card[part]
        lines += [
            f"## {part}: {info['examples']} examples",
            "",
            f"has_major {info['has_major']}, with version spans {info['with_tgt_spans']}, "
            f"with original spans {info['with_src_spans']}, omission {info['omission']}, "
            f"DA score {info['with_score']}, segment label only {info['segment_label_only']}",
            "",
            "| origin | examples | has_major | no major |",
            "| --- | ---: | ---: | ---: |",
        ]
        for origin, count in info["by_origin"].items():
            label = info["by_origin_label"][origin]
            lines.append(f"| {origin} | {count} | {label['has_major']} | {label['no_major']} |")
        lines += ["", "| pair | examples |", "| --- | ---: |"]
        lines += [f"| {pair} | {count} |" for pair, count in info["by_pair"].items()]
        lines.append("")
    lines += ["## files read", ""]
    lines += [f"- `{path}` sha256 {digest[:16]}" for path, digest in card["files_read"].items()]
    return "\n".join(lines) + "\n"


def write(out: Path, train: list[Example], dev: list[Example], card: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, items in (("train.jsonl", train), ("dev.jsonl", dev)):
        (out / name).write_text("".join(e.to_json() + "\n" for e in items), encoding="utf-8")
    (out / "card.json").write_text(
        json.dumps(card, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    (out / "card.md").write_text(card_markdown(card), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--manifest", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--data-root", type=Path, default=None,
        help="folder holding training/ and benchmarks/ (default: the manifest's data_root)",
    )
    args = parser.parse_args(argv)
    manifest = load_manifest(args.manifest)
    data_root = args.data_root or Path(manifest.get("data_root", "../shared"))
    if not (data_root / "training").is_dir():
        print(f"{data_root}: no training/ folder here; pass --data-root", file=sys.stderr)
        return 2
    train, dev, card = build(manifest, data_root)
    write(args.out, train, dev, card)
    print(card_markdown(card))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
