"""Benchmark of bulk import: generated reports through `tipline import`'s path, end to end.

Generates `--count` reports (`tipline.demo.narratives.generate_reports`, fixed seed) into a
JSON-lines file in a temporary folder, then imports that file into a fresh database there
(SQLite by default, or an EMPTY PostgreSQL database given by `--database-url`) exactly as
`tipline import` does: decoding and validating each row, extraction and triage of every report
(in `--workers` worker processes, one batch ahead of the writer), and batched writes of
reports, indicators (`INSERT … ON CONFLICT` upserts) and links, one transaction per batch.
Generation is timed apart and not counted. Prints reports/s (target ≥ 2,000/s on SQLite), the
rows stored, and a second import of the same file (idempotency: it must add nothing).

Then, in the same run, the parts apart: reading alone (extraction and triage, one process, on
the first `--baseline` reports), and writing alone on fresh databases of the same backend:
the bulk path (`INSERT … ON CONFLICT` per batch) against a baseline that stores each report and
each indicator through the ORM, one row at a time (look up, add, flush), as ratios.

    .venv/bin/python bench/ingest.py --json bench/out/ingest-sqlite.json
    .venv/bin/python bench/ingest.py --database-url postgresql+psycopg://…/bench
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tipline.campaigns.service import link_new_reports
from tipline.db import make_engine, make_session_factory
from tipline.db_types import utc_now
from tipline.imports.core import ImportRow, read_rows
from tipline.imports.service import ImportSummary, _store, import_reports
from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.intake.reading import ReportReading, read_submitted
from tipline.intake.service import report_values
from tipline.reports.core import new_tracking_code, sighting_time
from tipline.reports.models import Report
from tipline.server.migrate import upgrade


def write_reports(path: Path, count: int, seed: int) -> float:
    """The generated reports as an import file; returns the seconds it took."""
    from tipline.demo.narratives import generate_reports

    started = time.perf_counter()
    with path.open("w", encoding="utf-8") as out:
        for report in generate_reports(count, seed):
            row = {
                "id": report.external_id,
                "narrative": report.text,
                "language": report.language,
                "occurred_at": report.occurred_at.isoformat(),
                "loss_amount": str(report.loss_amount) if report.loss_amount is not None else None,
                "loss_currency": report.loss_currency if report.loss_amount is not None else None,
                "victim_age": report.victim_age,
                "province": report.province,
            }
            out.write(json.dumps({k: v for k, v in row.items() if v is not None},
                                 ensure_ascii=False) + "\n")  # fmt: skip
    return time.perf_counter() - started


def run_import(url: str, path: Path, workers: int, batch: int) -> dict[str, Any]:
    engine = make_engine(url)
    factory = make_session_factory(engine)
    started = time.perf_counter()
    with factory() as session:
        summary = import_reports(session, read_rows(path.name, path.read_bytes()), "bench",
                                 batch_size=batch, workers=workers)  # fmt: skip
    seconds = time.perf_counter() - started
    with factory() as session:
        counts = {
            "reports": session.scalar(select(func.count()).select_from(Report)),
            "indicators": session.scalar(select(func.count()).select_from(IndicatorRecord)),
            "links": session.scalar(select(func.count()).select_from(ReportIndicator)),
        }
    engine.dispose()
    return {"seconds": round(seconds, 2), "imported": summary.imported,
            "already_stored": summary.already_stored, "rejected": len(summary.rejected),
            "reports_per_s": round(summary.rows / seconds), **counts}  # fmt: skip


def store_per_row(session: Session, rows: list[ImportRow], readings: list[ReportReading]) -> None:
    """The baseline: each report and indicator through the ORM, one at a time."""
    received_at = utc_now()
    new_ids: list[int] = []
    for row, reading in zip(rows, readings, strict=True):
        values = report_values(row.report, reading, "import", received_at)
        values.update(source="baseline", external_id=row.external_id, code=new_tracking_code())
        report = Report(**values)
        session.add(report)
        session.flush()
        new_ids.append(report.id)
        seen = sighting_time(values["occurred_at"], received_at)
        for found in reading.indicators:
            key = (IndicatorRecord.kind == found.kind, IndicatorRecord.value == found.value)
            record = session.scalar(select(IndicatorRecord).where(*key))
            if record is None:
                record = IndicatorRecord(kind=found.kind, value=found.value, report_count=0,
                                         allowlisted=found.allowlisted, first_seen=seen,
                                         last_seen=seen)  # fmt: skip
                session.add(record)
                session.flush()
            record.report_count += 1
            record.first_seen = min(record.first_seen, seen)
            record.last_seen = max(record.last_seen, seen)
            start, end = found.span or (None, None)
            session.add(ReportIndicator(report_id=report.id, indicator_id=record.id,
                                        span_start=start, span_end=end))  # fmt: skip
        if len(new_ids) == 500:
            link_new_reports(session, new_ids)
            session.commit()
            new_ids = []
    link_new_reports(session, new_ids)
    session.commit()


def store_in_batches(
    session: Session, rows: list[ImportRow], readings: list[ReportReading]
) -> None:
    """`tipline import`'s writer: one multi-row upsert per table and batch."""
    for start in range(0, len(rows), 500):
        _store(session, rows[start : start + 500], readings[start : start + 500], "baseline",
               "import", ImportSummary())  # fmt: skip


def fresh_database(url: str, name: str) -> str:
    """An empty database beside `url`: a SQLite file in the same folder, or a new PostgreSQL one."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"sqlite:///{Path(str(parsed.database)).with_name(name + '.db')}"
    admin = create_engine(parsed, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def run_baselines(url: str, path: Path, count: int) -> dict[str, Any]:
    """Reading alone, and the bulk writer against per-row ORM writes, on `count` reports."""
    rows = [row for row in read_rows(path.name, path.read_bytes()) if isinstance(row, ImportRow)]
    rows = rows[:count]
    read_submitted([rows[0].report])  # the model is loaded before timing
    started = time.perf_counter()
    readings = read_submitted([row.report for row in rows])
    reading_s = time.perf_counter() - started
    figures: dict[str, Any] = {"reports": len(rows),
                               "read_only_reports_per_s": round(len(rows) / reading_s)}  # fmt: skip
    for label, store in (("bulk", store_in_batches), ("per_row_orm", store_per_row)):
        engine = make_engine(fresh_database(url, f"tipline_bench_{label}"))
        upgrade(engine)
        with make_session_factory(engine)() as session:
            started = time.perf_counter()
            store(session, rows, readings)
            seconds = time.perf_counter() - started
        engine.dispose()
        figures[f"write_{label}_reports_per_s"] = round(len(rows) / seconds)
    figures["bulk_over_per_row"] = round(
        figures["write_bulk_reports_per_s"] / figures["write_per_row_orm_reports_per_s"], 1
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20240)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--baseline", type=int, default=5000, help="reports in the parts apart")
    parser.add_argument("--database-url", help="an EMPTY PostgreSQL database (default: SQLite)")
    parser.add_argument("--json", type=Path, help="write the figures there too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tipline-bench-ingest-") as folder:
        path = Path(folder) / "reports.jsonl"
        generated = write_reports(path, args.count, args.seed)
        url = args.database_url or f"sqlite:///{Path(folder) / 'tipline.db'}"
        engine = make_engine(url)
        upgrade(engine)
        backend = engine.dialect.name
        engine.dispose()
        first = run_import(url, path, args.workers, args.batch)
        again = run_import(url, path, args.workers, args.batch)
        parts = run_baselines(url, path, args.baseline) if args.baseline else None
        size = Path(folder, "tipline.db").stat().st_size if backend == "sqlite" else None
    figures = {"backend": backend, "count": args.count, "workers": args.workers,
               "batch": args.batch, "generation_s": round(generated, 1), "import": first,
               "second_import": again, "parts": parts,
               "sqlite_file_mb": size and round(size / 1e6, 1)}  # fmt: skip
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
