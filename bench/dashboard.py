"""Benchmark of the dashboard's figures (`tipline.dashboard.service.dashboard_figures`) on SQLite.

Builds (or reuses, with `--db-path`) a SQLite database migrated to head and bulk-loads `--reports`
synthetic reports into it (default 1,000,000): received times spread evenly over two years up to
now, categories, urgencies and provinces drawn from tipline's own lists, a loss on 60 % of them
(VND mostly, some USD), three indicator links per report over `reports / 3` indicators (drawn
Zipf-like, so some indicators are named by thousands of reports), and campaigns: each report
joins the campaign of a recent report with probability 0.3, else starts its own.

Then it times the figures of the page (every figure, one call, as the page and the JSON API
compute them) for the last 7, 30, 90 and 365 days and for 30 days of one category: median and
p95 over `--runs` timed runs after one warm-up (page cache warm).

    .venv/bin/python bench/dashboard.py --reports 1000000 --db-path /tmp/dashboard-bench.db
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

SPAN = timedelta(days=730)
LINKS_PER_REPORT = 3
REPORT_SQL = (
    "INSERT INTO report (id, code, channel, narrative, language, category, urgency, urgency_rank, "
    "triage_reasons, listed_values, loss_amount, loss_currency, province, anonymous, status, "
    "created_at, updated_at) VALUES (?, ?, 'web', 'synthetic', 'vi', ?, ?, ?, '[]', '[]', ?, ?, "
    "?, 0, 'new', ?, ?)"
)
INDICATOR_SQL = (
    "INSERT INTO indicator (id, kind, value, allowlisted, first_seen, last_seen, report_count) "
    "VALUES (?, ?, ?, 0, ?, ?, 0)"
)


def _report_rows(n: int, rng: random.Random, now: datetime) -> Any:
    from tipline.reports.models import QUEUE_POSITION
    from tipline.vocabulary import CATEGORIES, URGENCIES
    from tipline.web.forms import PROVINCES

    start, step = now - SPAN, SPAN / n
    for index in range(1, n + 1):
        created = (start + index * step).strftime("%Y-%m-%d %H:%M:%S.%f")
        urgency = URGENCIES[rng.randrange(len(URGENCIES))]
        loss = rng.randrange(100, 500_000) * 1000 if rng.random() < 0.6 else None
        currency = ("USD" if rng.random() < 0.05 else "VND") if loss else None
        yield (
            index, f"TL{index:010d}", CATEGORIES[rng.randrange(len(CATEGORIES))], urgency,
            QUEUE_POSITION[urgency], loss, currency, PROVINCES[rng.randrange(len(PROVINCES))],
            created, created,
        )  # fmt: skip


def _links(n: int, rng: random.Random) -> Any:
    indicators = max(1, n // 3)
    for report in range(1, n + 1):
        chosen = {
            min(indicators, int(rng.paretovariate(1.1)))
            if rng.random() < 0.3
            else rng.randrange(1, indicators + 1)
            for _ in range(LINKS_PER_REPORT)
        }
        for indicator in chosen:
            yield (report, indicator)


def _campaigns(n: int, rng: random.Random) -> Any:
    campaign = [0] * (n + 1)
    for report in range(1, n + 1):
        if report > 1 and rng.random() < 0.3:
            campaign[report] = campaign[max(1, report - rng.randrange(1, 1000))]
        else:
            campaign[report] = report
        yield (report, campaign[report])


def build(path: Path, n: int, seed: int) -> float:
    """Migrate to head, then bulk-load `n` reports, their links and campaigns; seconds taken."""
    from tipline.db import make_engine
    from tipline.server.migrate import upgrade

    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    started = time.perf_counter()
    rng, now = random.Random(seed), datetime.now(UTC)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;")
    # The full-text triggers of migration 0005 would index every synthetic narrative: not needed.
    for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
        connection.execute(f'DROP TRIGGER "{name}"')
    connection.execute("BEGIN")
    connection.executemany(REPORT_SQL, _report_rows(n, rng, now))
    first = now.strftime("%Y-%m-%d %H:%M:%S.%f")
    connection.executemany(
        INDICATOR_SQL,
        ((i, "phone", f"+849{i:08d}", first, first) for i in range(1, max(1, n // 3) + 1)),
    )
    connection.executemany(
        "INSERT OR IGNORE INTO report_indicator (report_id, indicator_id, confirmed) "
        "VALUES (?, ?, 0)",
        _links(n, rng),
    )
    connection.executemany(
        "INSERT INTO campaign_report (report_id, campaign_id) VALUES (?, ?)", _campaigns(n, rng)
    )
    connection.execute("COMMIT")
    connection.execute("ANALYZE")
    connection.close()
    return time.perf_counter() - started


def timed_runs(call: Any, runs: int) -> dict[str, float]:
    call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "median_ms": statistics.median(times),
        "p95_ms": times[min(runs - 1, math.ceil(0.95 * runs) - 1)],
    }


def query_times(engine: Any, call: Any) -> list[tuple[float, str]]:
    """One run of `call`, and the milliseconds of each SQL statement it ran, slowest first."""
    from sqlalchemy import event

    times: list[tuple[float, str]] = []

    def before(conn: Any, *_: Any) -> None:
        conn.info["started"] = time.perf_counter()

    def after(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        elapsed = (time.perf_counter() - conn.info["started"]) * 1000
        times.append((elapsed, " ".join(statement.split())[:60]))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    return sorted(times, reverse=True)


def measure(path: Path, runs: int) -> list[dict[str, Any]]:
    from tipline.dashboard.core import last_days
    from tipline.dashboard.service import dashboard_figures
    from tipline.db import make_engine, make_session_factory
    from tipline.principals import Principal, Role

    engine = make_engine(f"sqlite:///{path}")
    factory = make_session_factory(engine)
    now = datetime.now(UTC)
    analyst = Principal(user_id=1, username="bench", role=Role.ANALYST, via="session")
    cases: list[tuple[str, int, str | None]] = [
        ("7 days", 7, None), ("30 days", 30, None), ("90 days", 90, None),
        ("365 days", 365, None), ("30 days, one category", 30, "fraud.investment"),
    ]  # fmt: skip
    figures = []
    with factory() as session:
        for name, days, category in cases:
            period = last_days(days, now)
            shown = dashboard_figures(session, analyst, period, category)
            call = lambda p=period, c=category: dashboard_figures(session, analyst, p, c)  # noqa: E731
            timing = timed_runs(call, runs)
            slowest = query_times(engine, call)[0]
            figures.append({
                "case": name, "reports": shown.total_reports, **timing,
                "slowest_ms": slowest[0], "slowest_sql": slowest[1],
            })  # fmt: skip
            print(f"  {name}: {timing['median_ms']:.0f} ms", file=sys.stderr)
    engine.dispose()
    return figures


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--db-path", type=Path, help="keep (and reuse) the database here")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    # A script in this folder named like a standard module would shadow it: tipline is
    # imported only after this folder has left the import path.
    here = str(Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if str(Path(p or ".").resolve()) != here]
    args = parse_args(argv)
    folder = tempfile.TemporaryDirectory(prefix="dashboard-bench-")
    path = args.db_path or Path(folder.name) / "dashboard.db"
    load_s = None
    if not path.exists():
        print(f"building {args.reports:,} reports in {path} …", file=sys.stderr)
        load_s = build(path, args.reports, args.seed)
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    figures = measure(path, args.runs)
    load_after = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nDashboard figures, {args.reports:,} reports "
          f"(SQLite {sqlite3.sqlite_version}), {args.runs} runs; "
          f"load average before {load_before}, after {load_after}")  # fmt: skip
    if load_s is not None:
        print(f"Bulk load {load_s:.0f} s\n")
    print("| period | reports in it | median | p95 | slowest query (one run) |")
    print("| --- | ---: | ---: | ---: | --- |")
    for f in figures:
        median, p95 = f["median_ms"], f["p95_ms"]
        slowest = f"{f['slowest_ms']:.0f} ms `{f['slowest_sql']}…`"
        print(f"| {f['case']} | {f['reports']:,} | {median:.0f} ms | {p95:.0f} ms | {slowest} |")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"load_s": load_s, "figures": figures}, indent=2))
    folder.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
