"""Benchmark of bulk import: generated reports through `tipline import`'s path, end to end.

Generates `--count` reports (`tipline.demo.narratives.generate_reports`, fixed seed) into a
JSON-lines file in a temporary folder, then imports that file into a fresh database there
(SQLite by default, or an EMPTY PostgreSQL database given by `--database-url`) exactly as
`tipline import` does: decoding and validating each row, extraction and triage of every report
(in `--workers` worker processes, one batch ahead of the writer), and batched writes of
reports, indicators (`INSERT … ON CONFLICT` upserts) and links, one transaction per batch.
Generation is timed apart and not counted. Prints reports/s (target ≥ 2,000/s on SQLite), the
rows stored, and a second import of the same file (idempotency: it must add nothing).

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

from sqlalchemy import func, select

from tipline.db import make_engine, make_session_factory
from tipline.imports.core import read_rows
from tipline.imports.service import import_reports
from tipline.indicators.models import IndicatorRecord, ReportIndicator
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20240)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--batch", type=int, default=1000)
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
        size = Path(folder, "tipline.db").stat().st_size if backend == "sqlite" else None
    figures = {"backend": backend, "count": args.count, "workers": args.workers,
               "batch": args.batch, "generation_s": round(generated, 1), "import": first,
               "second_import": again, "sqlite_file_mb": size and round(size / 1e6, 1)}  # fmt: skip
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
