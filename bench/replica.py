"""A streaming replica's lag and check throughput (docs/scaling.md, "Read replicas").

Starts a hot standby of the primary's cluster with scripts/start-replica.sh, files reports on
the primary one at a time and times each from its commit until the replica's check answers it
`reported`; then checks values on the primary and on the replica, one thread each, and prints
checks per second of CPU and of wall time. Stops the replica at the end.

    .venv/bin/python bench/replica.py postgresql+psycopg://postgres@127.0.0.1:5432/tipline
    .venv/bin/python bench/replica.py URL --reports 100 --checks 5000

The database must be migrated (`tipline db upgrade`); the reports it files stay there.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import time
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from tipline.db import make_engine, make_session_factory
from tipline.indicators.service import check_value
from tipline.intake.service import submit_report
from tipline.reports.schemas import ReportCreate

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def lag_of_one(primary: sessionmaker[Session], replica: sessionmaker[Session], n: int) -> float:
    """Seconds from a report's commit on the primary until the replica's check finds it."""
    phone = f"0986 {n // 1000:03d} {n % 1000:03d}"
    with primary() as session:
        submit_report(session, ReportCreate(narrative=f"Lừa đảo, số {phone}"), "api")
    committed = time.perf_counter()
    with replica() as session:
        while check_value(session, phone).verdict == "not_reported":
            session.rollback()  # a new snapshot for the next read
    return time.perf_counter() - committed


def throughput(factory: sessionmaker[Session], values: list[str]) -> tuple[float, float]:
    """Checks a second of wall time and of this process's CPU time, one thread."""
    wall, cpu = time.perf_counter(), time.process_time()
    with factory() as session:
        for value in values:
            check_value(session, value)
            session.rollback()
    return len(values) / (time.perf_counter() - wall), len(values) / (time.process_time() - cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("primary_url")
    parser.add_argument("--reports", type=int, default=50)
    parser.add_argument("--checks", type=int, default=2000)
    args = parser.parse_args()
    started = subprocess.run(
        ["bash", str(SCRIPTS / "start-replica.sh"), args.primary_url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    replica_url, folder = started.stdout.split()
    try:
        primary = make_session_factory(make_engine(args.primary_url))
        replica = make_session_factory(make_engine(replica_url))
        base = random.Random(7).randrange(100_000)
        lags = sorted(lag_of_one(primary, replica, base + n) for n in range(args.reports))
        p50, p99 = statistics.median(lags), lags[int(0.99 * (len(lags) - 1))]
        print(
            f"lag commit → checkable on the replica, {len(lags)} reports: "  # noqa: T201
            f"p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, max {lags[-1] * 1000:.1f} ms"
        )
        values = [f"0986 {base // 1000 + i % 50:03d} {i % 1000:03d}" for i in range(args.checks)]
        for name, factory in (("primary", primary), ("replica", replica)):
            wall, cpu = throughput(factory, values)
            print(f"checks on the {name}: {wall:,.0f}/s wall, {cpu:,.0f}/s of CPU")  # noqa: T201
    finally:
        subprocess.run(["bash", str(SCRIPTS / "stop-replica.sh"), folder], check=False)


if __name__ == "__main__":
    main()
