"""Benchmark of indicator extraction: speed, memory, and precision/recall per kind.

Runs tipline's `extract` over a deterministic corpus of generated reports
(`tipline.demo.narratives`, whose ground truth follows the indicators spec), then the same texts
through the peer extractors iocextract, ioc-finder and iocsearcher when they are installed (see
bench/README.md), and prints throughput ratios and per-kind scores side by side. Also scores
tipline on the hand-written corpus `tests/indicators/corpus/messages.jsonl`, and measures the
resident memory of the loaded allowlist and tables.

    .venv/bin/python bench/extract.py                      # tipline only (peers not installed)
    bench/.venv-peers/bin/python bench/extract.py --json bench/out/extract.json
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from extract_peers import PEERS, Pair, Peer  # bench/ is the script's folder

REPO = Path(__file__).resolve().parent.parent
HAND_CORPUS = REPO / "tests" / "indicators" / "corpus" / "messages.jsonl"
KINDS = ("phone", "bank_account", "url", "domain", "email", "ip", "crypto", "hash", "social")
SLOW_FACTOR = 10  # a peer projected slower than this many times tipline runs on a subset
console = Console(highlight=False, width=None if sys.stdout.isatty() else 132)


def rss_mb() -> float:
    """Resident set size of this process, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Scores:
    """Micro-averaged true/false positives and false negatives per kind."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)

    def add(self, expected: set[Pair], got: set[Pair], kinds: Iterable[str]) -> None:
        kinds = set(kinds)
        expected = {p for p in expected if p[0] in kinds}
        got = {p for p in got if p[0] in kinds}
        for kind, _ in expected & got:
            self.tp[kind] += 1
        for kind, _ in got - expected:
            self.fp[kind] += 1
        for kind, _ in expected - got:
            self.fn[kind] += 1

    def prf(self, kind: str) -> tuple[float, float, float]:
        tp, fp, fn = self.tp[kind], self.fp[kind], self.fn[kind]
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    def to_json(self, kinds: Iterable[str]) -> dict[str, dict[str, float | int]]:
        out: dict[str, dict[str, float | int]] = {}
        for kind in kinds:
            p, r, f = self.prf(kind)
            out[kind] = {
                "precision": round(p, 4),
                "recall": round(r, 4),
                "f1": round(f, 4),
                "tp": self.tp[kind],
                "fp": self.fp[kind],
                "fn": self.fn[kind],
            }
        return out


@dataclass
class Run:
    """One tool's run over (a prefix of) the corpus."""

    name: str
    kinds: tuple[str, ...]
    texts: int
    seconds: float
    megabytes: float
    scores: Scores
    note: str = ""
    cpu_seconds: float = 0.0  # this process's CPU time: what other jobs on the machine leave out

    @property
    def mb_per_s(self) -> float:
        return self.megabytes / self.seconds if self.seconds else float("inf")

    @property
    def cpu_mb_per_s(self) -> float:
        return self.megabytes / self.cpu_seconds if self.cpu_seconds else float("inf")


# ---------------------------------------------------------------- runs


def tipline_pairs(found: Iterable[Any]) -> set[Pair]:
    return {(i.kind.value, i.value) for i in found}


def timed(function: Callable[[str], Any], texts: list[str]) -> tuple[list[Any], float, float]:
    """Outputs, seconds and CPU seconds; the corpus already in memory is frozen out of the
    garbage collector's scans, so that no tool pays for the size of the benchmark's own data."""
    gc.collect()
    gc.freeze()
    try:
        started, cpu_started = time.perf_counter(), time.process_time()
        outputs = [function(text) for text in texts]
        return outputs, time.perf_counter() - started, time.process_time() - cpu_started
    finally:
        gc.unfreeze()


def run_tipline(texts: list[str], expected: list[set[Pair]]) -> tuple[Run, list[set[Pair]]]:
    from tipline.indicators import extract

    for text in texts[:300]:  # warm up, as the peers' probe run warms them up
        extract(text)
    outputs, seconds, cpu_seconds = timed(extract, texts)
    got = [tipline_pairs(found) for found in outputs]
    scores = Scores()
    for want, have in zip(expected, got, strict=True):
        scores.add(want, have, KINDS)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    run = Run("tipline", KINDS, len(texts), seconds, megabytes, scores, cpu_seconds=cpu_seconds)
    return run, got


def run_peer(
    peer: Peer, texts: list[str], expected: list[set[Pair]], tipline: Run, subset: int
) -> Run:
    """Time a peer on the texts (on a prefix when it would take > SLOW_FACTOR × tipline)."""
    probe = texts[: min(300, len(texts))]
    _, probe_seconds, _ = timed(peer.extract, probe)
    probe_mb = sum(len(t.encode("utf-8")) for t in probe) / 1e6
    projected = probe_seconds / probe_mb * tipline.megabytes if probe_mb else 0.0
    note = ""
    if projected > SLOW_FACTOR * tipline.seconds and subset < len(texts):
        texts, expected = texts[:subset], expected[:subset]
        note = (
            f"projected {projected:.0f} s for the whole corpus (> {SLOW_FACTOR}× tipline): "
            f"ran on the first {subset:,} texts; MB/s is per byte, so still comparable"
        )
    outputs, seconds, cpu_seconds = timed(peer.extract, texts)
    scores = Scores()
    for want, raw in zip(expected, outputs, strict=True):
        scores.add(want, peer.pairs(raw), peer.kinds)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    return Run(peer.name, peer.kinds, len(texts), seconds, megabytes, scores, note, cpu_seconds)


def load_peers(wanted: bool) -> list[Peer]:
    peers: list[Peer] = []
    if not wanted:
        console.print("peers: skipped (--no-peers)")
        return peers
    for name, make in PEERS.items():
        try:
            peers.append(make())
        except ImportError as error:
            console.print(
                f"[yellow]peer {name} is not installed ({error.name}): skipped.[/] "
                "Install the peers in the bench environment: see bench/README.md"
            )
    return peers


def score_hand_corpus(path: Path) -> Scores | None:
    """tipline against the hand-written corpus, or None when it is absent."""
    from tipline.indicators import extract

    if not path.exists():
        return None
    scores = Scores()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        want = {(e["kind"], e["value"]) for e in item.get("expected", [])}
        scores.add(want, tipline_pairs(extract(item["text"])), KINDS)
    return scores


def misses(
    texts: list[str], expected: list[set[Pair]], got: list[set[Pair]], per_kind: int
) -> dict[str, list[dict[str, Any]]]:
    """Examples of tipline's false negatives and false positives, per kind."""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for text, want, have in zip(texts, expected, got, strict=True):
        for label, pairs in (("missed", want - have), ("spurious", have - want)):
            for kind, value in sorted(pairs):
                bucket = found[f"{kind} {label}"]
                if len(bucket) < per_kind:
                    bucket.append(
                        {
                            "value": value,
                            "text": text,
                            "expected": sorted(want - have),
                            "got": sorted(have - want),
                        }
                    )
    return dict(found)


# ---------------------------------------------------------------- output


def cell(run: Run, kind: str) -> str:
    if kind not in run.kinds:
        return "[dim]—[/]"
    if not (run.scores.tp[kind] + run.scores.fp[kind] + run.scores.fn[kind]):
        return "[dim]n/a[/]"
    p, r, f = run.scores.prf(kind)
    return f"{p:.3f} {r:.3f} {f:.3f}"


def print_runs(runs: list[Run]) -> None:
    speed = Table(title="Throughput (one process, one core, same texts)")
    for column in ("tool", "texts", "MB", "seconds", "MB/s", "MB/s of CPU time", "tipline is ×"):
        speed.add_column(column, justify="right" if column != "tool" else "left")
    tipline = runs[0]
    for run in runs:
        ratio = tipline.mb_per_s / run.mb_per_s if run.mb_per_s else float("inf")
        speed.add_row(
            run.name,
            f"{run.texts:,}",
            f"{run.megabytes:.2f}",
            f"{run.seconds:.2f}",
            f"{run.mb_per_s:.2f}",
            f"{run.cpu_mb_per_s:.2f}",
            "" if run is tipline else f"{ratio:.1f}",
        )
    console.print(speed)
    for run in runs:
        if run.note:
            console.print(f"[yellow]{run.name}[/]: {run.note}")
    table = Table(
        title="Precision recall F1 per kind vs the generator's ground truth "
        "(— = kind the tool does not support)"
    )
    table.add_column("kind")
    table.add_column("expected", justify="right")
    for run in runs:
        table.add_column(run.name, justify="center")
    for kind in KINDS:
        support = tipline.scores.tp[kind] + tipline.scores.fn[kind]
        table.add_row(kind, f"{support:,}", *(cell(run, kind) for run in runs))
    console.print(table)


def print_hand(scores: Scores | None) -> None:
    if scores is None:
        console.print(f"hand corpus {HAND_CORPUS.relative_to(REPO)} is absent: skipped")
        return
    table = Table(title=f"tipline on the hand-written corpus {HAND_CORPUS.relative_to(REPO)}")
    for column in ("kind", "tp", "fp", "fn", "precision", "recall", "F1"):
        table.add_column(column, justify="left" if column == "kind" else "right")
    for kind in KINDS:
        p, r, f = scores.prf(kind)
        table.add_row(
            kind,
            str(scores.tp[kind]),
            str(scores.fp[kind]),
            str(scores.fn[kind]),
            f"{p:.3f}",
            f"{r:.3f}",
            f"{f:.3f}",
        )
    console.print(table)


def print_misses(found: dict[str, list[dict[str, Any]]]) -> None:
    for key, examples in sorted(found.items()):
        console.rule(f"tipline {key}")
        for example in examples:
            console.print(
                escape(
                    f"{example['value']}  expected-not-got={example['expected']} "
                    f"got-not-expected={example['got']}"
                ),
                style="bold",
            )
            console.print(escape(f"  {example['text'][:600]!r}"), soft_wrap=True)


# ---------------------------------------------------------------- main


def measure_memory() -> dict[str, float]:
    """RSS after importing the engine and one extraction, minus the interpreter's baseline."""
    gc.collect()
    before = rss_mb()
    from tipline.indicators import extract

    extract("STK 0123456789 Vietcombank, 0912.345.678, hxxps://vietcombank-xacthuc[.]com/login")
    gc.collect()
    after = rss_mb()
    return {
        "baseline_mb": round(before, 1),
        "loaded_mb": round(after, 1),
        "tables_mb": round(after - before, 1),
    }


def build_corpus(n: int, seed: int) -> tuple[list[str], list[set[Pair]], float]:
    from tipline.demo.narratives import generate_reports

    started = time.perf_counter()
    reports = list(generate_reports(n, seed))
    seconds = time.perf_counter() - started
    return [r.text for r in reports], [set(r.expected) for r in reports], seconds


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=50_000, help="generated texts (default 50000)")
    parser.add_argument("--seed", type=int, default=20_240, help="generator seed")
    parser.add_argument(
        "--peers",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run iocextract, ioc-finder and iocsearcher if installed",
    )
    parser.add_argument(
        "--peer-subset",
        type=int,
        default=5_000,
        help="texts a slow peer (> 10× tipline) runs on (default 5000)",
    )
    parser.add_argument("--misses", type=int, default=3, help="tipline errors shown per kind")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    memory = measure_memory()
    console.print(
        f"memory: allowlist + tables {memory['tables_mb']:.1f} MB resident "
        f"(RSS {memory['loaded_mb']:.1f} MB - baseline {memory['baseline_mb']:.1f} MB;"
        f" target < 150 MB)"
    )
    texts, expected, gen_seconds = build_corpus(args.n, args.seed)
    console.print(
        f"corpus: {len(texts):,} generated texts (seed {args.seed}), "
        f"{sum(map(len, texts)) / 1e6:.1f} M characters, generated in "
        f"{gen_seconds:.1f} s ({len(texts) / gen_seconds:,.0f} reports/s, "
        "loading included)"
    )
    tipline, got = run_tipline(texts, expected)
    runs = [tipline] + [
        run_peer(peer, texts, expected, tipline, args.peer_subset)
        for peer in load_peers(args.peers)
    ]
    print_runs(runs)
    hand = score_hand_corpus(HAND_CORPUS)
    print_hand(hand)
    found = misses(texts, expected, got, args.misses)
    print_misses(found)
    if args.json:
        write_json(args, memory, runs, hand, found)
    return 0


def write_json(
    args: argparse.Namespace,
    memory: dict[str, float],
    runs: list[Run],
    hand: Scores | None,
    found: dict[str, list[dict[str, Any]]],
) -> None:
    figures = {
        "corpus": {"n": args.n, "seed": args.seed},
        "memory": memory,
        "runs": [
            {
                "tool": r.name,
                "texts": r.texts,
                "megabytes": round(r.megabytes, 3),
                "seconds": round(r.seconds, 3),
                "mb_per_s": round(r.mb_per_s, 3),
                "cpu_mb_per_s": round(r.cpu_mb_per_s, 3),
                "note": r.note,
                "scores": r.scores.to_json(r.kinds),
            }
            for r in runs
        ],
        "hand_corpus": hand.to_json(KINDS) if hand else None,
        "tipline_misses": found,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    console.print(f"figures written to {args.json}")


if __name__ == "__main__":
    sys.exit(main())
