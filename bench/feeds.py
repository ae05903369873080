"""Benchmark of feed import: the ChongLuaDao blocklist imported, then imported again.

Reads `data/chongluadao-blocklist/urls.txt` from the shared data folder (`--shared`, default
`TIPLINE_SHARED_DIR` or `<repo>/../shared`; never copied into the repository) and, on a fresh
database (SQLite in a temporary folder, or with `--database-url` a PostgreSQL database created
beside the one named and dropped at the end), times in one run:

- the first import (`tipline.indicators.service.import_feed`, one transaction a batch, as
  `tipline feeds import` and `tipline demo` run it);
- a re-import of the same file, which must add nothing (a hotline re-imports its feeds daily);
- the same re-import through the previous path (baseline): every indicator and every listing
  upserted a row at a time (`INSERT … ON CONFLICT DO UPDATE`), rewriting each row it names;
- the re-import again, so that neither side has the warmer caches alone.

Prints seconds (wall, and this process's CPU: on SQLite the database work is in it, on
PostgreSQL the server's is not) and lines/s for each, the ratio baseline ÷ re-import, and
whether the re-imports added a row.

    .venv/bin/python bench/feeds.py --json bench/out/feeds-sqlite.json
    .venv/bin/python bench/feeds.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/x
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tipline.db import make_engine, make_session_factory
from tipline.db_types import utc_now
from tipline.indicators import Indicator, service
from tipline.indicators import repository as indicators
from tipline.indicators.models import IndicatorRecord, IndicatorSource
from tipline.server.migrate import upgrade

REPO = Path(__file__).resolve().parent.parent
FEED = Path("data/chongluadao-blocklist/urls.txt")
SOURCE, CATEGORY = "ChongLuaDao", "fraud.phishing"


def baseline_sources(
    session: Session, indicator_ids: Iterable[int], source: str, category: str, seen: datetime
) -> None:
    """The listings as they were written before: one upsert a row, each row rewritten."""
    rows = [
        {"indicator_id": i, "source": source, "category": category,
         "first_seen": seen, "last_seen": seen}
        for i in sorted(set(indicator_ids))
    ]  # fmt: skip
    if not rows:
        return
    table = IndicatorSource.__table__
    stmt = indicators._insert(session, table)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.indicator_id, table.c.source],
        set_={"last_seen": stmt.excluded.last_seen, "category": stmt.excluded.category},
    )
    session.execute(stmt, rows)


def baseline_attribute(session: Session, found: list[Indicator], source: str, category: str) -> int:
    """`import_feed`'s batch step as it was before: every indicator upserted too."""
    if not found:
        return 0
    now = utc_now()
    sightings = [
        indicators.IndicatorSighting(i.kind.value, i.value, i.allowlisted, now, now, 0)
        for i in found
        if len(i.value.encode("utf-8")) <= service.MAX_STORED_VALUE_BYTES
    ]
    ids = indicators.upsert_indicators(session, sightings)
    baseline_sources(session, ids.values(), source, category, now)
    session.commit()
    return len(ids)


@contextmanager
def fresh_database(url: str | None, label: str = "feeds") -> Iterator[str]:
    """An empty database named by `label`: SQLite in a temporary folder, or a new PostgreSQL
    one (dropped afterwards)."""
    if url is None:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/{label}.db"
        return
    base = make_url(url)
    name = f"{base.database}_bench_{label}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def rows_stored(session: Session) -> tuple[int, int]:
    count = func.count()
    return (
        session.scalar(select(count).select_from(IndicatorRecord)) or 0,
        session.scalar(select(count).select_from(IndicatorSource)) or 0,
    )


def timed_import(session: Session, raw: bytes) -> dict[str, Any]:
    started, cpu = time.perf_counter(), time.process_time()
    summary = service.import_feed(session, raw, SOURCE, CATEGORY)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    indicator_rows, listing_rows = rows_stored(session)
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "lines_per_second": round(summary.lines / seconds),
        "indicators": indicator_rows,
        "listings": listing_rows,
    }


def run(url: str, raw: bytes) -> dict[str, Any]:
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    figures: dict[str, Any] = {"database": engine.dialect.name}
    with factory() as session:
        figures["first import"] = timed_import(session, raw)
        figures["re-import"] = timed_import(session, raw)
        current = service._attribute
        service._attribute = baseline_attribute
        try:
            figures["re-import, baseline (upsert a row)"] = timed_import(session, raw)
        finally:
            service._attribute = current
        figures["re-import, again"] = timed_import(session, raw)
    engine.dispose()
    return figures


def report(figures: dict[str, Any]) -> None:
    print(f"database: {figures['database']}")
    runs = [key for key in figures if key != "database"]
    for key in runs:
        f = figures[key]
        print(f"  {key:38} {f['seconds']:8.2f} s (this process's CPU {f['cpu_seconds']:.2f} s)"
              f" {f['lines_per_second']:8,} lines/s"
              f"   rows: {f['indicators']:,} indicators, {f['listings']:,} listings")  # fmt: skip
    first = figures["first import"]
    added = any(
        (figures[k]["indicators"], figures[k]["listings"])
        != (first["indicators"], first["listings"])
        for k in runs
    )
    print(f"  re-imports added rows: {added}")
    baseline = figures["re-import, baseline (upsert a row)"]["seconds"]
    for key in ("re-import", "re-import, again"):
        print(f"  baseline ÷ {key}: {baseline / figures[key]['seconds']:.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database-url", help="a PostgreSQL database beside which to work")
    default_shared = os.environ.get("TIPLINE_SHARED_DIR") or str(REPO.parent / "shared")
    parser.add_argument("--shared", default=default_shared, help="the shared data folder")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()
    path = Path(args.shared) / FEED
    if not path.is_file():
        raise SystemExit(f"the ChongLuaDao list is not at {path} (give --shared)")
    raw = path.read_bytes()
    with fresh_database(args.database_url) as url:
        figures = run(url, raw)
    report(figures)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2), "utf-8")


if __name__ == "__main__":
    main()
