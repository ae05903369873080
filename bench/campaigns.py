"""Benchmark of campaign linking: full rebuild, networkx, incremental updates.

Generates (fixed seed) a report–indicator graph shaped like a tipline's: scam rings whose sizes
follow a Zipf law (most rings a handful of reports, a few over a thousand), each ring with a pool
of phones/accounts/links named Zipf-like by its victims, one-off indicators that link nothing,
a few indicators shared across rings (mule accounts), and a few hubs (a bank's real hotline
typed by thousands of unrelated victims). Then, in one run:

- full rebuild (`tipline.campaigns.core.rebuild`) from the link arrays, graph building included;
- networkx's `connected_components` on the same graph (the same distinct, non-hub links; building
  the `nx.Graph` from the arrays is timed), full size unless `--networkx-sample` gives a fraction
  of the reports, in which case rates per link are compared; the two partitions must be equal;
- the incremental forest (`tipline.campaigns.forest.CampaignForest`) seeded from the graph, then
  `--new-reports` reports linked one at a time (mean, p99, max per report), and its partition
  compared with a rebuild over all links.

    .venv/bin/python bench/campaigns.py --json bench/out/campaigns.json
    .venv/bin/python bench/campaigns.py --networkx-sample 0.1   # networkx on 10 % of the reports
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from rich.console import Console
from rich.table import Table

from tipline.campaigns.core import DEFAULT_HUB_THRESHOLD, distinct_links, hub_indicators, rebuild
from tipline.campaigns.forest import CampaignForest

console = Console(highlight=False, width=None if sys.stdout.isatty() else 132)
Ids = NDArray[np.int64]

MAX_RING = 1500  # the largest ring's report count
RING_SHARE, ONE_OFF_SHARE, CROSS_SHARE = 0.78, 0.20, 0.003  # the rest go to hubs
HUB_COUNT = 8
REPORT_ID_BASE = 1  # report ids as a database hands them out
ONE_OFF_BASE = 10**9  # one-off indicators are numbered apart from ring and hub indicators


@dataclass
class World:
    """The rings: which ring each report belongs to, and each ring's indicator pool."""

    ring_of_report: Ids  # by report index
    pool_start: Ids  # by ring: first indicator id of its pool
    pool_size: Ids
    hub_ids: Ids
    hub_weights: NDArray[np.float64]


def make_world(n_reports: int, rng: np.random.Generator) -> World:
    sizes: list[int] = []
    total = 0
    while total < n_reports:
        batch = np.minimum(rng.zipf(1.9, 100_000), MAX_RING)
        sizes.extend(batch.tolist())
        total += int(batch.sum())
    ring_sizes = np.array(sizes, dtype=np.int64)
    ring_sizes = ring_sizes[: int(np.searchsorted(np.cumsum(ring_sizes), n_reports)) + 1]
    ring_sizes[-1] -= int(ring_sizes.sum()) - n_reports
    ring_of_report = rng.permutation(np.repeat(np.arange(ring_sizes.size), ring_sizes))
    pool_size = 1 + ring_sizes // 3
    pool_start = 1 + np.concatenate([[0], np.cumsum(pool_size)[:-1]]) + HUB_COUNT
    weights = 1.0 / np.arange(1, HUB_COUNT + 1)
    return World(
        ring_of_report=ring_of_report.astype(np.int64),
        pool_start=pool_start.astype(np.int64),
        pool_size=pool_size.astype(np.int64),
        hub_ids=np.arange(1, HUB_COUNT + 1, dtype=np.int64),
        hub_weights=weights / weights.sum(),
    )


def draw_links(
    world: World, report_index: Ids, rng: np.random.Generator, one_off_start: int
) -> tuple[Ids, Ids]:
    """One indicator id per link slot; `report_index` holds each link's report (by index)."""
    n = report_index.size
    ring = world.ring_of_report[report_index]
    within = (rng.zipf(1.4, n) - 1) % world.pool_size[ring]
    indicators = world.pool_start[ring] + within
    draw = rng.random(n)
    cross = draw >= RING_SHARE + ONE_OFF_SHARE
    other_ring = rng.integers(0, world.pool_size.size, int(cross.sum()))
    indicators[cross] = world.pool_start[other_ring]  # a mule account of another ring
    hub = draw >= RING_SHARE + ONE_OFF_SHARE + CROSS_SHARE
    indicators[hub] = rng.choice(world.hub_ids, int(hub.sum()), p=world.hub_weights)
    one_off = (draw >= RING_SHARE) & (draw < RING_SHARE + ONE_OFF_SHARE)
    indicators[one_off] = one_off_start + np.arange(int(one_off.sum()))
    return report_index + REPORT_ID_BASE, indicators


def link_slots(first: int, count: int, n_links: int, rng: np.random.Generator) -> Ids:
    """Report indexes of `n_links` link slots: at least one per report, the rest at random."""
    extra = rng.integers(first, first + count, n_links - count)
    return np.sort(np.concatenate([np.arange(first, first + count), extra]))


def timed(func: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    gc.collect()
    start = time.perf_counter()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - start


def networkx_labels(reports: Ids, indicators: Ids, all_reports: Ids) -> dict[int, int]:
    """Campaign labels (smallest report id) from networkx, graph building included."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(all_reports.tolist())
    # Indicator nodes are negative so they never collide with report ids.
    graph.add_edges_from(zip(reports.tolist(), (-1 - indicators).tolist(), strict=True))
    labels: dict[int, int] = {}
    for component in nx.connected_components(graph):
        members = [node for node in component if node >= 0]
        if members:
            smallest = min(members)
            labels.update(dict.fromkeys(members, smallest))
    return labels


def sample_reports(
    reports: Ids, indicators: Ids, fraction: float, rng: np.random.Generator
) -> tuple[Ids, Ids]:
    chosen = np.unique(reports)
    chosen = chosen[rng.random(chosen.size) < fraction]
    keep = np.isin(reports, chosen)
    return reports[keep], indicators[keep]


def compare_networkx(
    reports: Ids, indicators: Ids, args: argparse.Namespace, rng: np.random.Generator
) -> dict[str, Any]:
    """networkx on the same (or a sampled) graph; tipline re-run on it for the partition check."""
    if args.networkx_sample < 1.0:
        reports, indicators = sample_reports(reports, indicators, args.networkx_sample, rng)
    links = distinct_links(reports, indicators)
    hubs = hub_indicators(reports, indicators, args.hub_threshold)
    merging = ~np.isin(links.indicator_ids, hubs)
    all_reports = np.unique(links.report_ids)
    labels, seconds = timed(
        networkx_labels, links.report_ids[merging], links.indicator_ids[merging], all_reports
    )
    ours, ours_seconds = timed(rebuild, reports, indicators, hub_threshold=args.hub_threshold)
    same = labels == ours.as_dict()
    del labels
    gc.collect()
    return {
        "links": int(reports.size),
        "seconds": seconds,
        "tipline_seconds": ours_seconds,
        "same_partition": same,
    }


def incremental(
    reports: Ids, indicators: Ids, world: World, args: argparse.Namespace, rng: np.random.Generator
) -> dict[str, Any]:
    forest, seed_seconds = timed(
        CampaignForest.from_links, reports, indicators, hub_threshold=args.hub_threshold
    )
    first = int(world.ring_of_report.size) - args.new_reports
    slots = link_slots(first, args.new_reports, 3 * args.new_reports, rng)
    new_reports, new_indicators = draw_links(world, slots, rng, ONE_OFF_BASE + 10**8)
    starts = np.searchsorted(new_reports, np.unique(new_reports))
    groups = np.split(new_indicators, starts[1:])
    # Wall time, and the thread's CPU time, which leaves out the moments another process held
    # the core (this machine is shared: a preempted call shows a few ms of wall time).
    durations = np.empty(len(groups))
    cpu = np.empty(len(groups))
    for k, (report, group) in enumerate(zip(np.unique(new_reports).tolist(), groups, strict=True)):
        ids = group.tolist()
        start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
        forest.link_report(report, ids)
        durations[k] = time.perf_counter_ns() - start
        cpu[k] = time.thread_time_ns() - start_cpu
    expected = rebuild(
        np.concatenate([reports, new_reports]),
        np.concatenate([indicators, new_indicators]),
        hub_threshold=args.hub_threshold,
    )
    same = forest.labels() == expected.as_dict()
    return {
        "seed_seconds": seed_seconds,
        "new_reports": len(groups),
        "mean_ms": float(durations.mean() / 1e6),
        "p99_ms": float(np.percentile(durations, 99) / 1e6),
        "max_ms": float(durations.max() / 1e6),
        "cpu_p99_ms": float(np.percentile(cpu, 99) / 1e6),
        "cpu_max_ms": float(cpu.max() / 1e6),
        "same_partition": same,
        "hubs_after": len(forest.hubs),
    }


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--links", type=int, default=3_000_000)
    parser.add_argument(
        "--new-reports",
        type=int,
        default=10_000,
        help="reports linked one at a time after seeding the forest",
    )
    parser.add_argument("--hub-threshold", type=int, default=DEFAULT_HUB_THRESHOLD)
    parser.add_argument(
        "--networkx-sample",
        type=float,
        default=1.0,
        help="fraction of the reports networkx runs on (1.0: all)",
    )
    parser.add_argument("--no-networkx", action="store_true")
    parser.add_argument("--seed", type=int, default=20240)
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    return parser.parse_args(argv)


def generate(args: argparse.Namespace, rng: np.random.Generator) -> tuple[World, Ids, Ids]:
    world = make_world(args.reports + args.new_reports, rng)
    slots = link_slots(0, args.reports, args.links, rng)
    reports, indicators = draw_links(world, slots, rng, ONE_OFF_BASE)
    return world, reports, indicators


def shape_of(partition_sizes: NDArray[np.int64], hubs: frozenset[int]) -> dict[str, Any]:
    return {
        "campaigns": int(partition_sizes.size),
        "campaigns_over_1_report": int((partition_sizes > 1).sum()),
        "largest_campaign": int(partition_sizes.max()),
        "hubs_flagged": len(hubs),
        "planted_hubs_flagged": sum(h <= HUB_COUNT for h in hubs),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    rng = np.random.default_rng(args.seed)
    (world, reports, indicators), gen_seconds = timed(generate, args, rng)
    console.print(
        f"generated {args.reports:,} reports, {reports.size:,} links in {gen_seconds:.1f} s"
    )
    partition, rebuild_seconds = timed(
        rebuild, reports, indicators, hub_threshold=args.hub_threshold
    )
    repeats = [rebuild_seconds]
    for _ in range(2):
        repeats.append(timed(rebuild, reports, indicators, hub_threshold=args.hub_threshold)[1])
    _, sizes = np.unique(partition.campaign_ids, return_counts=True)
    figures: dict[str, Any] = {
        "reports": args.reports,
        "links": int(reports.size),
        "seed": args.seed,
        "hub_threshold": args.hub_threshold,
        "rebuild_seconds": rebuild_seconds,
        "rebuild_seconds_best_of_3": min(repeats),
        "graph": shape_of(sizes, partition.hubs),
    }
    del partition
    console.print(f"rebuild: {rebuild_seconds:.2f} s")
    if not args.no_networkx:
        figures["networkx"] = compare_networkx(reports, indicators, args, rng)
        console.print(f"networkx: {figures['networkx']['seconds']:.1f} s")
    figures["incremental"] = incremental(reports, indicators, world, args, rng)
    figures["peak_rss_mb"] = peak_rss_mb()
    return figures


def print_table(figures: dict[str, Any]) -> None:
    table = Table(title=f"campaigns: {figures['reports']:,} reports, {figures['links']:,} links")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_column("target", justify="right")
    rate = figures["links"] / figures["rebuild_seconds"]
    table.add_row(
        "full rebuild (graph building included)", f"{figures['rebuild_seconds']:.2f} s", "≤ 30 s"
    )
    table.add_row("  best of 3 runs", f"{figures['rebuild_seconds_best_of_3']:.2f} s", "")
    table.add_row("  links per second (first run)", f"{rate:,.0f}", "")
    nx_figures = figures.get("networkx")
    if nx_figures:
        nx_rate = nx_figures["links"] / nx_figures["seconds"]
        sampled = nx_figures["links"] != figures["links"]
        table.add_row(
            "networkx connected_components" + (" (sample)" if sampled else ""),
            f"{nx_figures['seconds']:.2f} s on {nx_figures['links']:,} links",
            "",
        )
        table.add_row("  links per second", f"{nx_rate:,.0f}", "")
        table.add_row("tipline ÷ networkx (per link)", f"{rate / nx_rate:.1f}×", "≥ 10×")
        table.add_row(
            "  on networkx's graph: networkx ÷ tipline time",
            f"{nx_figures['seconds'] / nx_figures['tipline_seconds']:.1f}×",
            "≥ 10×",
        )
        table.add_row("  same partition as networkx", str(nx_figures["same_partition"]), "True")
    inc = figures["incremental"]
    table.add_row("forest seeded from the links", f"{inc['seed_seconds']:.2f} s", "")
    table.add_row(
        f"incremental per new report (n={inc['new_reports']:,}), mean",
        f"{inc['mean_ms']:.4f} ms",
        "",
    )
    table.add_row("  p99 / max", f"{inc['p99_ms']:.4f} / {inc['max_ms']:.3f} ms", "p99 ≤ 5 ms")
    table.add_row(
        "  p99 / max in CPU time (no preemption)",
        f"{inc['cpu_p99_ms']:.4f} / {inc['cpu_max_ms']:.3f} ms",
        "",
    )
    table.add_row("  same partition as a rebuild", str(inc["same_partition"]), "True")
    for key, value in figures["graph"].items():
        table.add_row(key.replace("_", " "), f"{value:,}", "")
    table.add_row("peak resident memory", f"{figures['peak_rss_mb']:,.0f} MB", "")
    console.print(table)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    figures = run(args)
    print_table(figures)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
        console.print(f"figures written to {args.json}")
    checks = [figures["incremental"]["same_partition"]]
    if "networkx" in figures:
        checks.append(figures["networkx"]["same_partition"])
    return 0 if all(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
