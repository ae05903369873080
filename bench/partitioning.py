"""Reports partitioned by month against one table (docs/scaling.md, "Partitioning reports").

Generates the same rows (a report's id, received time over 24 months, category, a 200-byte
narrative) into a plain table indexed on `created_at` and into a table partitioned by month
(PostgreSQL declarative partitioning, the same index on each partition), in a schema of its own
that it drops at the end. Then times, with EXPLAIN (ANALYZE, BUFFERS): a month's reports per
category (the dashboard's query shape), the newest day's reports (the queue's), and removing the
oldest month (retention: DELETE against dropping a partition).

    .venv/bin/python bench/partitioning.py postgresql+psycopg://postgres@127.0.0.1:5432/tipline
    .venv/bin/python bench/partitioning.py URL --rows 2000000
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from sqlalchemy import Connection, create_engine, text

SCHEMA = "bench_partitioning"
MONTHS = 24
FIRST = "2025-01-01"
TABLES = """
CREATE TABLE {s}.plain (id bigint PRIMARY KEY, created_at timestamptz NOT NULL,
    category text NOT NULL, narrative text NOT NULL);
CREATE TABLE {s}.monthly (id bigint NOT NULL, created_at timestamptz NOT NULL,
    category text NOT NULL, narrative text NOT NULL, PRIMARY KEY (id, created_at))
    PARTITION BY RANGE (created_at);
"""
FILL = """
INSERT INTO {s}.{table}
SELECT n, timestamptz '{first}' + ((n - 1)::float / :rows) * interval '{months} months',
       (ARRAY['fraud.investment','fraud.phishing','fraud.loan','sextortion','other'])[1 + n % 5],
       repeat(md5(n::text), 6) || left(md5((n * 7)::text), 8)
FROM generate_series(1, :rows) AS n
"""
QUERIES = {
    "a month per category": (
        "SELECT category, count(*) FROM {s}.{table} WHERE created_at >= '2026-03-01' "
        "AND created_at < '2026-04-01' GROUP BY category"
    ),
    "the newest day": (
        "SELECT id FROM {s}.{table} WHERE created_at >= timestamptz '{first}' "
        "+ interval '{months} months' - interval '1 day' ORDER BY created_at DESC LIMIT 50"
    ),
}


def build(connection: Connection, rows: int) -> dict[str, float]:
    connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}"))
    connection.execute(text(TABLES.format(s=SCHEMA)))
    for month in range(MONTHS):
        connection.execute(text(
            f"CREATE TABLE {SCHEMA}.monthly_{month:02d} PARTITION OF {SCHEMA}.monthly FOR VALUES "
            f"FROM (timestamptz '{FIRST}' + interval '{month} months') "
            f"TO (timestamptz '{FIRST}' + interval '{month + 1} months')"
        ))  # fmt: skip
    seconds = {}
    for table in ("plain", "monthly"):
        began = time.perf_counter()
        fill = FILL.format(s=SCHEMA, table=table, first=FIRST, months=MONTHS)
        connection.execute(text(fill), {"rows": rows})
        connection.execute(text(f"CREATE INDEX ON {SCHEMA}.{table} (created_at)"))
        connection.execute(text(f"VACUUM ANALYZE {SCHEMA}.{table}"))
        seconds[f"load {table}"] = time.perf_counter() - began
    return seconds


def explain(connection: Connection, sql: str) -> dict[str, Any]:
    """Execution time (ms) and shared buffers touched, median of three runs."""
    runs = []
    for _ in range(3):
        plan = connection.execute(text(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")).scalar()
        top = (plan or [{}])[0]
        buffers = top["Plan"].get("Shared Hit Blocks", 0) + top["Plan"].get("Shared Read Blocks", 0)
        runs.append((top["Execution Time"], buffers))
    runs.sort()
    return {"ms": round(runs[1][0], 2), "buffers": runs[1][1]}


def retention(connection: Connection) -> dict[str, float]:
    """Removing the oldest month: DELETE on the plain table, DROP of its partition."""
    timed = {}
    for name, sql in (
        ("DELETE a month (plain)",
         f"DELETE FROM {SCHEMA}.plain WHERE created_at < timestamptz '{FIRST}' + interval '1 mon'"),
        ("DROP a partition (monthly)", f"DROP TABLE {SCHEMA}.monthly_00"),
    ):  # fmt: skip
        began = time.perf_counter()
        connection.execute(text(sql))
        timed[name] = round((time.perf_counter() - began) * 1000, 1)
    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    engine = create_engine(args.url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            report: dict[str, Any] = {"rows": args.rows, "months": MONTHS}
            report |= {k: round(v, 1) for k, v in build(connection, args.rows).items()}
            for name, shape in QUERIES.items():
                for table in ("plain", "monthly"):
                    sql = shape.format(s=SCHEMA, table=table, first=FIRST, months=MONTHS)
                    report[f"{name} ({table})"] = explain(connection, sql)
            report["retention ms"] = retention(connection)
            print(json.dumps(report, indent=2))  # noqa: T201
    finally:
        with engine.connect() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        engine.dispose()


if __name__ == "__main__":
    main()
