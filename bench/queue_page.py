"""Benchmark of the analyst's queue page (`GET /queue`) on 1,000,000 reports (SQLite).

Builds (or reuses, with `--db-path`) a SQLite database migrated to 0004, bulk-loads synthetic
reports into it (narratives drawn from `tipline.demo.narratives.generate_reports`, cut short and
each given a unique transfer reference "GD<8 digits>"; urgency, category and province as the
generator drew them; status new 25 % / triaged 30 % / in_review 15 % / closed 30 %; received
times spread over two years), then upgrades to head, which runs migration 0005 at full size
(urgency_rank backfill, the queue's indexes, the FTS5 table). Then, in one run:

- the page through HTTP (FastAPI TestClient, an analyst signed in, the full HTML rendered) for:
  the first page, category + status, a province, a 7-day range, a deep page (keyset, the page
  after the report 100,000 places down the queue), a rare search (one transfer reference) and a
  common search (a word in about a third of the narratives), and that word with category + status;
- the same queries' SQL alone (`tipline.workspace.repository.queue_rows`), and a naive baseline
  in SQL alone: `ORDER BY CASE urgency … END, created_at, id` (no index can give that order),
  `OFFSET` for the deep page, `LIKE '%…%'` for search. The ratio is baseline ÷ queue SQL.

Median and p95 over `--runs` timed runs after 2 warm-ups (page cache warm). Prints a Markdown
table and the load average before and after.

    .venv/bin/python bench/queue_page.py --db-path /tmp/queue-bench.db --json bench/out/queue.json
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
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

TARGET_MS = 200.0
STATUSES = (("new", 25), ("triaged", 30), ("in_review", 15), ("closed", 30))
START = datetime(2024, 11, 1, tzinfo=UTC)
SPAN_SECONDS = 2 * 365 * 86400
DEEP = 100_000
COMMON_WORD = "facebook"
REPORT_SQL = (
    "INSERT INTO report (id, code, channel, narrative, language, category, urgency, "
    "triage_reasons, listed_values, loss_amount, loss_currency, province, anonymous, status, "
    "created_at, updated_at) VALUES (?, ?, 'web', ?, ?, ?, ?, '[]', '[]', ?, ?, ?, 0, ?, ?, ?)"
)
NAIVE_RANK = (
    "CASE urgency WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END"
)
NAIVE_COLUMNS = (
    "id, code, urgency, category, status, province, loss_amount, loss_currency, created_at, "
    "substr(narrative, 1, 400)"
)


@dataclass(frozen=True)
class Case:
    name: str
    params: dict[str, str]  # the page's query parameters
    naive_where: str  # the baseline's WHERE clause ("1" for none)
    naive_args: tuple[Any, ...]
    naive_offset: int = 0


def _rows(n: int, seed: int) -> Any:
    from tipline.demo.narratives import generate_reports

    rng = random.Random(seed)
    pool = list(generate_reports(5000, seed))
    statuses = [s for s, weight in STATUSES for _ in range(weight)]
    step = SPAN_SECONDS / n
    for index in range(1, n + 1):
        g = pool[rng.randrange(len(pool))]
        created = (START + timedelta(seconds=index * step)).strftime("%Y-%m-%d %H:%M:%S.%f")
        narrative = f"{g.text[:280]} · GD{index * 7919 % 100_000_000:08d}"
        loss = float(g.loss_amount) if g.loss_amount is not None else None
        yield (
            index, f"TL{index:010d}", narrative, g.language, g.category, g.urgency, loss,
            g.loss_currency, g.province, statuses[rng.randrange(100)], created, created,
        )  # fmt: skip


def build(path: Path, n: int, seed: int) -> dict[str, float]:
    """Migrate to 0004, bulk-load `n` reports, then upgrade to head (0005 at full size)."""
    from tipline.db import make_engine
    from tipline.db_types import use_data_keys
    from tipline.server.migrate import upgrade

    # The narratives are sealed under the keys the measured app opens them with (`measure`).
    settings = _settings(path)
    use_data_keys(settings.data_keys, settings.make_data_dir())
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, "0004")
    engine.dispose()
    started = time.perf_counter()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;")
    connection.execute("BEGIN")
    connection.executemany(REPORT_SQL, _rows(n, seed))
    connection.execute("COMMIT")
    connection.close()
    loaded = time.perf_counter()
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    migrated = time.perf_counter()
    connection = sqlite3.connect(path)
    connection.execute("ANALYZE")
    connection.close()
    return {"load_s": loaded - started, "migrate_0005_s": migrated - loaded}


def _settings(path: Path) -> Any:
    """The bench app's settings: its data folder (and key file) beside the database."""
    from tipline.settings import Settings

    return Settings(data_dir=path.parent / "queue-bench-data", secret_key="bench")


def cases(path: Path) -> list[Case]:
    """The measured pages; anchors and search terms are read from the database, off the clock."""
    connection = sqlite3.connect(path)
    count = connection.execute("SELECT max(id) FROM report").fetchone()[0]
    deep = min(DEEP, count // 2)
    deep_id = connection.execute(
        "SELECT id FROM report ORDER BY urgency_rank, created_at, id LIMIT 1 OFFSET ?", (deep - 1,)
    ).fetchone()[0]
    # The narratives are encrypted at rest: the reference is made again as `_rows` made it.
    reference = f"GD{count * 7 // 9 * 7919 % 100_000_000:08d}"
    connection.close()
    return [
        Case("first page", {}, "1", ()),
        Case("category + status", {"category": "fraud.investment", "status": "in_review"},
             "category = ? AND status = ?", ("fraud.investment", "in_review")),
        Case("province", {"province": "Quảng Nam"}, "province = ?", ("Quảng Nam",)),
        Case("7 days", {"from": "2025-06-01", "to": "2025-06-07"},
             "created_at >= ? AND created_at < ?", ("2025-05-31 17:00:00", "2025-06-07 17:00:00")),
        Case(f"deep page (after {deep:,})", {"after": str(deep_id)}, "1", (), deep),
        Case("search: one reference", {"q": reference}, "narrative LIKE ?", (f"%{reference}%",)),
        Case(f"search: '{COMMON_WORD}'", {"q": COMMON_WORD}, "narrative LIKE ?",
             (f"%{COMMON_WORD}%",)),
        Case(f"search: '{COMMON_WORD}' + category + status",
             {"q": COMMON_WORD, "category": "fraud.romance", "status": "new"},
             "narrative LIKE ? AND category = ? AND status = ?",
             (f"%{COMMON_WORD}%", "fraud.romance", "new")),
    ]  # fmt: skip


def fetch_all(connection: Any, query: str, args: Any) -> list[Any]:
    return list(connection.execute(query, args).fetchall())


def timed_runs(call: Callable[[], Any], runs: int) -> dict[str, float]:
    for _ in range(2):
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


def measure(path: Path, runs: int, naive_runs: int) -> list[dict[str, Any]]:
    with warnings.catch_warnings():  # Starlette's advice to use httpx2, not packaged yet
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from tipline.access import Principal, Role, get_principal
    from tipline.app import create_app
    from tipline.db import make_engine, make_session_factory
    from tipline.workspace.core import read_filter, read_page
    from tipline.workspace.repository import queue_rows

    engine = make_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    factory = make_session_factory(engine)
    app = create_app(settings=_settings(path), session_factory=factory)
    analyst = Principal(user_id=1, username="bench", role=Role.ANALYST, via="session")
    app.dependency_overrides[get_principal] = lambda: analyst
    figures = []
    with TestClient(app) as client, factory() as session:
        for case in cases(path):
            response = client.get("/queue", params=case.params)
            assert response.status_code == 200, response.text[:300]
            shown = response.text.count('href="/reports/')
            http = timed_runs(partial(client.get, "/queue", params=case.params), runs)
            flt, page = read_filter(case.params), read_page(case.params)
            sql = timed_runs(partial(queue_rows, session, analyst, flt, page), runs)
            naive_query = (
                f"SELECT {NAIVE_COLUMNS} FROM report WHERE {case.naive_where} "
                f"ORDER BY {NAIVE_RANK}, created_at, id LIMIT 51 OFFSET {case.naive_offset}"
            )
            raw = session.connection().connection.driver_connection
            naive = timed_runs(partial(fetch_all, raw, naive_query, case.naive_args), naive_runs)
            figures.append({
                "case": case.name, "rows": shown, "http": http, "sql": sql, "naive": naive,
                "ratio": naive["median_ms"] / sql["median_ms"],
            })  # fmt: skip
            print(f"  {case.name}: {http['median_ms']:.1f} ms", file=sys.stderr)
    engine.dispose()
    return figures


def print_table(
    figures: list[dict[str, Any]], build_times: dict[str, float], meta: dict[str, Any]
) -> None:
    print(f"\nQueue page, {meta['reports']:,} reports (SQLite {sqlite3.sqlite_version}), "
          f"{meta['runs']} runs (baseline {meta['naive_runs']}); load average before "
          f"{meta['load_before']}, after {meta['load_after']}\n")  # fmt: skip
    if build_times:
        print(f"Bulk load {build_times['load_s']:.0f} s; migration 0005 at full size "
              f"{build_times['migrate_0005_s']:.0f} s\n")  # fmt: skip
    print("| page | rows | HTTP median | HTTP p95 | SQL median | SQL p95 | naive SQL median "
          "| naive p95 | naive ÷ SQL | ≤ 200 ms |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |")
    for f in figures:
        ok = "yes" if f["http"]["p95_ms"] <= TARGET_MS else "no"
        print(f"| {f['case']} | {f['rows']} | {f['http']['median_ms']:.1f} ms | "
              f"{f['http']['p95_ms']:.1f} ms | {f['sql']['median_ms']:.2f} ms | "
              f"{f['sql']['p95_ms']:.2f} ms | {f['naive']['median_ms']:.0f} ms | "
              f"{f['naive']['p95_ms']:.0f} ms | {f['ratio']:.0f}× | {ok} |")  # fmt: skip


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--naive-runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--db-path", type=Path, help="keep (and reuse) the database here")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    # This file's name shadows the standard library's `queue` (urllib3 imports it): tipline is
    # imported only after this folder has left the import path.
    here = str(Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if str(Path(p or ".").resolve()) != here]
    args = parse_args(argv)
    folder = tempfile.TemporaryDirectory(prefix="queue-bench-")
    path = args.db_path or Path(folder.name) / "queue.db"
    build_times: dict[str, float] = {}
    if not path.exists():
        print(f"building {args.reports:,} reports in {path} …", file=sys.stderr)
        build_times = build(path, args.reports, args.seed)
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    figures = measure(path, args.runs, args.naive_runs)
    meta = {
        "reports": args.reports, "runs": args.runs, "naive_runs": args.naive_runs,
        "load_before": load_before, "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }  # fmt: skip
    print_table(figures, build_times, meta)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps({"meta": meta, "build": build_times, "figures": figures}, indent=2)
        )
    folder.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
