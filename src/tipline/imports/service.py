"""Bulk import: many reports, each taken in by `tipline.intake` like a submitted one.

Rows are stored in batches, one transaction each, so an interrupted import leaves whole reports
only; each row's (source, external id) is unique, so running the import again skips what is
stored and finishes the rest. Reading a report is the expensive part: with `workers` > 0 it
runs in worker processes, one batch ahead of the batch being written.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing import get_context
from typing import Any

from sqlalchemy.orm import Session

from tipline.imports import DEFAULT_BATCH
from tipline.imports.core import ImportRow, RejectedRow
from tipline.intake.reading import ReportReading
from tipline.intake.service import read_batch, store_batch
from tipline.reports import repository as reports
from tipline.reports.schemas import ReportCreate

IMPORT_GC_THRESHOLD = 50_000


@dataclass
class ImportSummary:
    """What an import did: rows read, stored, already there, and rejected (line, reason)."""

    rows: int = 0
    imported: int = 0
    already_stored: int = 0
    indicator_links: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)


def _batches(rows: Iterable[ImportRow | RejectedRow], size: int) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


class _Reader:
    """Reads batches in this process, or in a pool one batch ahead."""

    def __init__(self, pool: Executor | None) -> None:
        self.pool = pool

    def submit(self, batch: list[ImportRow]) -> Future[list[ReportReading]] | list[ReportReading]:
        if self.pool is None:
            return read_batch(batch)
        half = max(1, (len(batch) + 1) // 2)  # two chunks: one per worker
        parts = [
            self.pool.submit(read_batch, batch[i : i + half]) for i in range(0, len(batch), half)
        ]
        joined: Future[list[ReportReading]] = Future()
        joined.set_running_or_notify_cancel()
        _join_when_done(parts, joined)
        return joined


def _join_when_done(parts: list[Future[list[ReportReading]]], joined: Future[Any]) -> None:
    def done(_: Future[list[ReportReading]]) -> None:
        if joined.done() or not all(p.done() for p in parts):
            return
        try:
            joined.set_result([reading for p in parts for reading in p.result()])
        except BaseException as exc:  # noqa: BLE001 (handed to the waiting caller)
            joined.set_exception(exc)

    for part in parts:
        part.add_done_callback(done)


def _result(pending: Future[list[ReportReading]] | list[ReportReading]) -> list[ReportReading]:
    return pending.result() if isinstance(pending, Future) else pending


def _fresh_rows(
    session: Session, batch: list[Any], source: str, summary: ImportSummary
) -> list[ImportRow]:
    """The batch's readable rows not stored yet (and not repeated within the batch)."""
    readable: dict[str, ImportRow] = {}
    for row in batch:
        summary.rows += 1
        if isinstance(row, RejectedRow):
            summary.rejected.append(row)
        elif row.external_id in readable:
            summary.already_stored += 1
        else:
            readable[row.external_id] = row
    stored = reports.existing_external_ids(session, source, list(readable))
    summary.already_stored += len(stored)
    return [row for key, row in readable.items() if key not in stored]


def _store(
    session: Session,
    rows: list[ImportRow],
    readings: list[ReportReading],
    source: str,
    channel: str,
    summary: ImportSummary,
) -> None:
    stored = store_batch(session, rows, readings, source, channel)
    summary.imported += len(stored.ids)
    summary.already_stored += len(rows) - len(stored.ids)
    summary.indicator_links += stored.indicator_links
    session.commit()


def import_reports(
    session: Session,
    rows: Iterable[ImportRow | RejectedRow],
    source: str,
    *,
    channel: str = "import",
    batch_size: int = DEFAULT_BATCH,
    workers: int = 0,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Store the rows not stored yet from `source`, a batch per transaction."""
    pool: Executor | None = None
    # Load extraction's tables and triage's model once, here: forked workers share them.
    read_batch([ImportRow(0, "warm-up", ReportCreate(narrative="warm-up 0912345678"))])
    with _few_collections():
        if workers > 0:
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork"))
        return _import_batches(session, rows, source, channel, batch_size, pool, progress)


@contextmanager
def _few_collections() -> Iterator[None]:
    """Fewer garbage collections while importing (about a tenth of the CPU otherwise).

    What is loaded so far (the model, the tables: objects that live as long as the process) is
    frozen out of the collector's reach, and a collection waits for 50,000 new objects instead
    of 700: an import makes many small objects that live until their batch is written, and few
    cycles. Forked workers inherit both.
    """
    threshold = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(IMPORT_GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


def _import_batches(
    session: Session,
    rows: Iterable[ImportRow | RejectedRow],
    source: str,
    channel: str,
    batch_size: int,
    pool: Executor | None,
    progress: Callable[[int], None] | None,
) -> ImportSummary:
    summary = ImportSummary()
    reader = _Reader(pool)
    waiting: tuple[list[Any], list[ImportRow], Any] | None = None
    try:
        for batch in _batches(rows, batch_size):
            fresh = _fresh_rows(session, batch, source, summary)
            ahead = (batch, fresh, reader.submit(fresh) if fresh else [])
            if waiting is not None:
                _finish(session, waiting, source, channel, summary, progress)
            waiting = ahead
        if waiting is not None:
            _finish(session, waiting, source, channel, summary, progress)
    except BaseException:
        session.rollback()
        raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return summary


def _finish(
    session: Session,
    waiting: tuple[list[Any], list[ImportRow], Any],
    source: str,
    channel: str,
    summary: ImportSummary,
    progress: Callable[[int], None] | None,
) -> None:
    batch, fresh, pending = waiting
    if fresh:
        _store(session, fresh, _result(pending), source, channel, summary)
    if progress is not None:
        progress(len(batch))
