"""Campaign-linking check: do generated scam rings come out as one campaign each?

Generates (fixed seed) scam rings whose victims write the ring's phone and account in many
formats next to transfer sentences, around numbers that are not the ring's (the victim's own
phone, a bank's 1900/1800 hotline, a masked number, amounts): `tipline.demo.transfer_rings`.
Every report goes through `tipline.indicators.extract`; reports are linked by their indicators
that are not allowlisted, as the service links them (`tipline.campaigns.core.rebuild`, hub rule
included); and the campaigns are scored against the rings with B-cubed precision and recall
(`tipline.campaigns.scoring`). A ring splits when one of its numbers is read as another kind or
missed; two rings merge when something that is not theirs is read as an indicator. Also prints
extraction's precision and recall per kind on these reports, and examples of misread reports.

    .venv/bin/python bench/campaign_rings.py
    .venv/bin/python bench/campaign_rings.py --rings 5000 --seed 7 --json bench/out/rings.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tipline.campaigns.core import DEFAULT_HUB_THRESHOLD
from tipline.campaigns.scoring import BCubed, b_cubed, campaigns_of
from tipline.demo.transfer_rings import RingReport, ring_reports
from tipline.indicators import extract

console = Console(highlight=False, width=None if sys.stdout.isatty() else 132)
Pair = tuple[str, str]


def extracted(reports: list[RingReport]) -> tuple[list[set[Pair]], float]:
    """Each report's (kind, value) pairs that may link (not allowlisted), and the seconds."""
    started = time.perf_counter()
    found = [
        {(i.kind.value, i.value) for i in extract(report.text) if not i.allowlisted}
        for report in reports
    ]
    return found, time.perf_counter() - started


def extraction_scores(reports: list[RingReport], found: list[set[Pair]]) -> dict[str, list[int]]:
    """Per kind: [true positives, false positives, false negatives]."""
    counts: dict[str, list[int]] = {}
    for report, got in zip(reports, found, strict=True):
        want = set(report.expected)
        for label, pairs in ((0, want & got), (1, got - want), (2, want - got)):
            for kind, _ in pairs:
                counts.setdefault(kind, [0, 0, 0])[label] += 1
    return counts


def misreads(reports: list[RingReport], found: list[set[Pair]], limit: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for report, got in zip(reports, found, strict=True):
        want = set(report.expected)
        if got != want and len(out) < limit:
            out.append(
                {
                    "ring": report.ring,
                    "text": report.text,
                    "missed": sorted(want - got),
                    "spurious": sorted(got - want),
                }
            )
    return out


def print_figures(
    reports: list[RingReport],
    rings: int,
    score: BCubed,
    kinds: dict[str, list[int]],
    seconds: float,
) -> None:
    sizes = Counter(report.ring for report in reports)
    console.print(
        f"{rings:,} rings, {len(reports):,} reports (ring sizes {min(sizes.values())}–"
        f"{max(sizes.values())}), extracted in {seconds:.2f} s"
    )
    table = Table(title="Campaigns against the rings (B-cubed)")
    for column in ("precision", "recall", "F1", "rings split", "campaigns mixing rings"):
        table.add_column(column, justify="right")
    table.add_row(
        f"{score.precision:.4f}",
        f"{score.recall:.4f}",
        f"{score.f1:.4f}",
        f"{score.split_groups:,} of {rings:,}",
        f"{score.mixed_campaigns:,}",
    )
    console.print(table)
    per_kind = Table(title="Extraction on the ring reports (truth by construction)")
    for column in ("kind", "tp", "fp", "fn", "precision", "recall"):
        per_kind.add_column(column, justify="left" if column == "kind" else "right")
    for kind, (tp, fp, fn) in sorted(kinds.items()):
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        per_kind.add_row(kind, str(tp), str(fp), str(fn), f"{precision:.4f}", f"{recall:.4f}")
    console.print(per_kind)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rings", type=int, default=2000, help="scam rings (default 2000)")
    parser.add_argument("--seed", type=int, default=20240, help="generator seed")
    parser.add_argument("--max-ring", type=int, default=60, help="largest ring's reports")
    parser.add_argument("--hub-threshold", type=int, default=DEFAULT_HUB_THRESHOLD)
    parser.add_argument("--misreads", type=int, default=5, help="misread reports shown")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    reports = ring_reports(args.rings, args.seed, args.max_ring)
    found, seconds = extracted(reports)
    campaigns = campaigns_of(found, args.hub_threshold)
    truth = {number: report.ring for number, report in enumerate(reports)}
    score = b_cubed(truth, campaigns)
    kinds = extraction_scores(reports, found)
    print_figures(reports, args.rings, score, kinds, seconds)
    examples = misreads(reports, found, args.misreads)
    for example in examples:
        console.rule(f"ring {example['ring']}: missed {example['missed']}")
        console.print(escape(f"spurious {example['spurious']}\n{example['text']!r}"))
    if args.json:
        figures = {
            "rings": args.rings,
            "reports": len(reports),
            "seed": args.seed,
            "b_cubed": {
                "precision": round(score.precision, 6),
                "recall": round(score.recall, 6),
                "f1": round(score.f1, 6),
                "split_rings": score.split_groups,
                "mixed_campaigns": score.mixed_campaigns,
            },
            "extraction": {
                k: dict(zip(("tp", "fp", "fn"), v, strict=True)) for k, v in kinds.items()
            },
            "misreads": examples,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
        console.print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
