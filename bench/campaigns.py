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
  compared with a rebuild over all links;
- the incremental path the service runs (`tipline.campaigns.service.link_new_reports`) on a
  SQLite database of the same size (migrated, bulk-loaded with the reports, indicators, links
  and the rebuild's campaigns): `--db-new-reports` reports stored one per transaction, the
  linking step timed alone and with its commit (median, p99), and the stored campaigns compared
  with a rebuild over all links. `--no-db` skips it; `--db-path` keeps the database.

    .venv/bin/python bench/campaigns.py --json bench/out/campaigns.json
    .venv/bin/python bench/campaigns.py --networkx-sample 0.1   # networkx on 10 % of the reports
    .venv/bin/python bench/campaigns.py --no-networkx --graph-nodes 1000   # + the graph in Chromium
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
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


T_SQL = "2024-03-01 00:00:00.000000"  # how SQLite stores tipline's UTC datetimes
REPORT_SQL = (
    "INSERT INTO report (id, code, channel, narrative, language, category, urgency, "
    "triage_reasons, listed_values, anonymous, status, created_at, updated_at) "
    f"VALUES (?, ?, 'api', 'synthetic', 'vi', 'fraud.investment', 'normal', '[]', '[]', 0, "
    f"'new', '{T_SQL}', '{T_SQL}')"
)
INDICATOR_SQL = (
    "INSERT OR IGNORE INTO indicator (id, kind, value, allowlisted, first_seen, last_seen, "
    f"report_count) VALUES (?, 'phone', ?, 0, '{T_SQL}', '{T_SQL}', ?)"
)
LINK_SQL = (
    "INSERT OR IGNORE INTO report_indicator (report_id, indicator_id, confirmed) VALUES (?, ?, 0)"
)


def _rows(*columns: Any) -> Iterator[tuple[Any, ...]]:
    return zip(*(c.tolist() if hasattr(c, "tolist") else c for c in columns), strict=True)


def bulk_load(path: Path, reports: Ids, indicators: Ids, hub_threshold: int) -> dict[str, float]:
    """A migrated SQLite database holding the reports, indicators, links and campaigns."""
    from tipline.db import make_engine
    from tipline.server.migrate import upgrade

    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    start = time.perf_counter()
    links = distinct_links(reports, indicators)
    partition = rebuild(reports, indicators, hub_threshold=hub_threshold)
    distinct_ids, counts = np.unique(links.indicator_ids, return_counts=True)
    order = np.lexsort((links.indicator_ids, links.report_ids))
    connection = sqlite3.connect(path)
    connection.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;")
    with connection:
        report_ids = partition.report_ids
        codes = (f"B{r:015d}" for r in report_ids.tolist())
        connection.executemany(REPORT_SQL, _rows(report_ids, codes))
        values = (str(i) for i in distinct_ids.tolist())
        connection.executemany(INDICATOR_SQL, _rows(distinct_ids, values, counts))
        connection.executemany(LINK_SQL, _rows(links.report_ids[order], links.indicator_ids[order]))
        connection.executemany(
            "INSERT INTO campaign_report (report_id, campaign_id) VALUES (?, ?)",
            _rows(partition.report_ids, partition.campaign_ids),
        )
        labels, sizes = np.unique(partition.campaign_ids, return_counts=True)
        connection.executemany(  # a campaign's stable identifier (SQLite: 32 hex digits)
            f"INSERT INTO campaign (uid, label, created_at) VALUES (?, ?, '{T_SQL}')",
            ((uuid.uuid4().hex, c) for c in labels[sizes > 1].tolist()),  # lone reports: none
        )
        hub_counts = dict(zip(distinct_ids.tolist(), counts.tolist(), strict=True))
        connection.executemany(
            "INSERT INTO campaign_hub (indicator_id, report_count, flagged_at) "
            f"VALUES (?, ?, '{T_SQL}')",
            ((h, hub_counts[h]) for h in sorted(partition.hubs)),
        )
    connection.execute("ANALYZE")
    connection.close()
    return {"load_seconds": time.perf_counter() - start, "size_mb": path.stat().st_size / 2**20}


def _store_new_report(connection: Any, report: int, group: list[int]) -> None:
    """Store one new report and its links as the service would (raw SQL: only linking is timed)."""
    connection.exec_driver_sql(REPORT_SQL, (report, f"N{report:015d}"))
    connection.exec_driver_sql(INDICATOR_SQL, [(i, str(i), 1) for i in group])
    connection.exec_driver_sql(LINK_SQL, [(report, i) for i in group])


def db_incremental(
    reports: Ids, indicators: Ids, world: World, args: argparse.Namespace, rng: np.random.Generator
) -> dict[str, Any]:
    """`link_new_reports` on a SQLite database of the benchmark's size, one report at a time."""
    from sqlalchemy import select

    from tipline.campaigns.models import CampaignReport
    from tipline.campaigns.service import link_new_reports
    from tipline.db import make_engine, make_session_factory

    folder = None if args.db_path else tempfile.TemporaryDirectory(prefix="tipline-bench-")
    path = args.db_path or Path(folder.name) / "campaigns.db"  # type: ignore[union-attr]
    path.unlink(missing_ok=True)
    loaded = bulk_load(path, reports, indicators, args.hub_threshold)
    console.print(f"SQLite database loaded in {loaded['load_seconds']:.1f} s")
    first = int(world.ring_of_report.size) - args.new_reports
    slots = link_slots(first, args.db_new_reports, 3 * args.db_new_reports, rng)
    new_reports, new_indicators = draw_links(world, slots, rng, ONE_OFF_BASE + 2 * 10**8)
    distinct_new = np.unique(new_reports)
    groups = np.split(new_indicators, np.searchsorted(new_reports, distinct_new)[1:])
    engine = make_engine(f"sqlite:///{path}")
    factory = make_session_factory(engine)
    linking = np.empty(len(groups))
    with_commit = np.empty(len(groups))
    cpu = np.empty(len(groups))  # the thread's CPU time: leaves out preemption on a shared host
    merged = np.zeros(len(groups), dtype=bool)  # bridged campaigns or made a hub
    lone = np.zeros(len(groups), dtype=bool)  # linked to no other report
    for k, (report, group) in enumerate(zip(distinct_new.tolist(), groups, strict=True)):
        with factory() as session:
            _store_new_report(session.connection(), report, sorted(set(group.tolist())))
            start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
            outcome = link_new_reports(session, [report], args.hub_threshold)
            linked = time.perf_counter_ns()
            cpu[k] = time.thread_time_ns() - start_cpu
            merged[k] = bool(outcome.merged or outcome.new_hubs)
            lone[k] = outcome.placements[report] == report and not merged[k]
            session.commit()
            linking[k] = linked - start
            with_commit[k] = time.perf_counter_ns() - start
    expected = rebuild(
        np.concatenate([reports, new_reports]),
        np.concatenate([indicators, new_indicators]),
        hub_threshold=args.hub_threshold,
    )
    with factory() as session:
        rows = session.execute(select(CampaignReport.report_id, CampaignReport.campaign_id))
        stored = {report: campaign for report, campaign in rows}
    engine.dispose()
    if folder is not None:
        folder.cleanup()
    return {
        **loaded,
        "new_reports": len(groups),
        "median_ms": float(np.median(linking) / 1e6),
        "p99_ms": float(np.percentile(linking, 99) / 1e6),
        "max_ms": float(linking.max() / 1e6),
        "cpu_median_ms": float(np.median(cpu) / 1e6),
        "cpu_p99_ms": float(np.percentile(cpu, 99) / 1e6),
        "merging_reports": int(merged.sum()),
        "merging_median_ms": float(np.median(linking[merged]) / 1e6) if merged.any() else 0.0,
        "merging_cpu_median_ms": float(np.median(cpu[merged]) / 1e6) if merged.any() else 0.0,
        "lone_cpu_median_ms": float(np.median(cpu[lone]) / 1e6) if lone.any() else 0.0,
        "joining_cpu_median_ms": float(np.median(cpu[~merged & ~lone]) / 1e6),
        "other_p99_ms": float(np.percentile(linking[~merged], 99) / 1e6),
        "with_commit_median_ms": float(np.median(with_commit) / 1e6),
        "with_commit_p99_ms": float(np.percentile(with_commit, 99) / 1e6),
        "same_partition": stored == expected.as_dict(),
    }


STATIC = Path(__file__).resolve().parent.parent / "src/tipline/html/static"
GRAPH_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/static/workspace.css"></head><body class="workspace">
<main class="ws-main"><p id="campaign-graph-note"></p>
<div class="ws-graph" id="campaign-graph" data-campaign-id="1"></div>
<p id="campaign-graph-picked"></p></main>
<script src="/static/vendor/cytoscape.min.js"></script>
<script src="/static/workspace/campaign-graph.js"></script></body></html>"""


def synthetic_graph(n_nodes: int, rng: np.random.Generator) -> dict[str, Any]:
    """A campaign's graph JSON: 60 % reports, 40 % indicators named Zipf-like, 1 to 3 each."""
    n_reports = int(n_nodes * 0.6)
    n_indicators = n_nodes - n_reports
    nodes: list[dict[str, Any]] = [
        {"id": f"r{k}", "label": f"TL-{k:06d}", "kind": "report", "href": f"/reports/{k}"}
        for k in range(n_reports)
    ]
    nodes += [
        {"id": f"i{k}", "label": f"+8490{k:07d}", "kind": "indicator", "hub": False}
        for k in range(n_indicators)
    ]
    edges: set[tuple[int, int]] = set()
    for report in range(n_reports):
        first = report % n_indicators  # every indicator named at least once
        picks = {first, *((rng.zipf(1.6, rng.integers(0, 3)) - 1) % n_indicators).tolist()}
        edges.update((report, int(i)) for i in picks)
    edge_list = [
        {"id": f"e{r}-{i}", "source": f"r{r}", "target": f"i{i}"} for r, i in sorted(edges)
    ]
    return {"campaign_id": 1, "nodes": nodes, "edges": edge_list, "truncated": False,
            "total_nodes": len(nodes), "total_edges": len(edge_list)}  # fmt: skip


def graph_render(n_nodes: int, rng: np.random.Generator, runs: int = 3) -> dict[str, Any]:
    """Load tipline's campaign-graph.js with Cytoscape in Debian's Chromium on a synthetic graph
    of `n_nodes` (served by request interception: no server); the median of `runs` loads."""
    from playwright.sync_api import Route, sync_playwright

    graph = synthetic_graph(n_nodes, rng)
    body = json.dumps(graph)

    def serve(route: Route) -> None:
        path = route.request.url.split("tipline.test", 1)[1]
        if path == "/":
            route.fulfill(body=GRAPH_PAGE, content_type="text/html")
        elif path.startswith("/api/v1/campaigns/1/graph"):
            route.fulfill(body=body, content_type="application/json")
        elif path.startswith("/static/"):
            file = STATIC / path.removeprefix("/static/")
            kind = "text/css" if path.endswith(".css") else "text/javascript"
            route.fulfill(body=file.read_bytes(), content_type=kind)
        else:
            route.fulfill(status=404)

    ready, layout = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            for _ in range(runs):
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.route("http://tipline.test/**", serve)
                page.goto("http://tipline.test/")
                page.wait_for_selector("#campaign-graph[data-state=ready]", timeout=60_000)
                figures = page.evaluate(
                    "({ms: tiplineGraph.ms, readyAt: tiplineGraph.readyAt, "
                    "nodes: tiplineGraph.nodes, layout: tiplineGraph.layout})"
                )
                assert figures["nodes"] == n_nodes, figures
                ready.append(figures["readyAt"])
                layout.append(figures["ms"])
                page.close()
        finally:
            browser.close()
    return {
        "nodes": n_nodes,
        "edges": len(graph["edges"]),
        "layout": figures["layout"],
        "ready_ms": float(np.median(ready)),
        "layout_ms": float(np.median(layout)),
        "runs": runs,
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
    parser.add_argument(
        "--db-new-reports",
        type=int,
        default=2_000,
        help="reports stored and linked one per transaction on the SQLite database",
    )
    parser.add_argument("--no-db", action="store_true", help="skip the SQLite incremental run")
    parser.add_argument("--db-path", type=Path, help="build the SQLite database here (kept)")
    parser.add_argument(
        "--graph-nodes",
        type=int,
        default=0,
        help="also time the campaign graph in Chromium at this many nodes (0: skip)",
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
    if not args.no_db:
        figures["db_incremental"] = db_incremental(reports, indicators, world, args, rng)
    if args.graph_nodes:
        figures["graph_render"] = graph_render(args.graph_nodes, rng)
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
    db = figures.get("db_incremental")
    if db:
        table.add_row(
            f"SQLite incremental link_new_reports (n={db['new_reports']:,}), median",
            f"{db['median_ms']:.3f} ms",
            "",
        )
        table.add_row("  p99 / max", f"{db['p99_ms']:.3f} / {db['max_ms']:.2f} ms", "p99 ≤ 5 ms")
        table.add_row(
            "  median / p99 in CPU time (no preemption)",
            f"{db['cpu_median_ms']:.3f} / {db['cpu_p99_ms']:.3f} ms",
            "",
        )
        table.add_row(
            f"  reports that merged campaigns or made a hub: {db['merging_reports']}, median",
            f"{db['merging_median_ms']:.3f} ms",
            "",
        )
        table.add_row("  p99 of the other reports", f"{db['other_p99_ms']:.3f} ms", "")
        table.add_row(
            "  CPU median: lone / joining one campaign / merging",
            f"{db['lone_cpu_median_ms']:.3f} / {db['joining_cpu_median_ms']:.3f} / "
            f"{db['merging_cpu_median_ms']:.3f} ms",
            "",
        )
        table.add_row(
            "  with the commit: median / p99",
            f"{db['with_commit_median_ms']:.3f} / {db['with_commit_p99_ms']:.3f} ms",
            "",
        )
        table.add_row("  same partition as a rebuild", str(db["same_partition"]), "True")
        table.add_row(
            "  database bulk load / size",
            f"{db['load_seconds']:.0f} s / {db['size_mb']:,.0f} MB",
            "",
        )
    graph = figures.get("graph_render")
    if graph:
        table.add_row(
            f"campaign graph in Chromium, {graph['nodes']:,} nodes / {graph['edges']:,} edges",
            f"{graph['ready_ms']:.0f} ms (layout {graph['layout_ms']:.0f} ms, {graph['layout']})",
            "",
        )
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
    if "db_incremental" in figures:
        checks.append(figures["db_incremental"]["same_partition"])
    if "networkx" in figures:
        checks.append(figures["networkx"]["same_partition"])
    return 0 if all(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
