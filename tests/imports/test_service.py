"""Bulk import into the database: idempotent, batch by batch, resumable after an interruption."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tipline.imports.core import read_rows
from tipline.imports.service import import_reports
from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.reports.models import Report


def jsonl(count: int, start: int = 0) -> bytes:
    lines = [
        json.dumps({"id": f"r{i}", "narrative": f"Kẻ gian gọi từ 0912 345 {i:03d} đòi tiền.",
                    "loss_amount": 1000 * i, "loss_currency": "VND"}, ensure_ascii=False)
        for i in range(start, start + count)
    ]  # fmt: skip
    return ("\n".join(lines) + "\n").encode()


def reports_of(session: Session, source: str) -> int:
    stmt = select(func.count()).select_from(Report).where(Report.source == source)
    return session.scalar(stmt) or 0


def test_import_stores_reports_with_indicators(db_session: Session) -> None:
    summary = import_reports(db_session, read_rows("a.jsonl", jsonl(12)), "partner-a", batch_size=5)
    assert (summary.rows, summary.imported, summary.already_stored) == (12, 12, 0)
    assert summary.indicator_links == 12
    assert reports_of(db_session, "partner-a") == 12
    report = db_session.scalars(select(Report).where(Report.external_id == "r3")).one()
    assert (report.channel, report.secret_hash, report.status) == ("import", None, "new")
    assert report.category
    phone = db_session.scalars(
        select(IndicatorRecord).where(IndicatorRecord.value == "+84912345003")
    ).one()
    assert phone.report_count == 1


def test_importing_the_same_file_twice_adds_nothing(db_session: Session) -> None:
    import_reports(db_session, read_rows("a.jsonl", jsonl(8)), "partner-a", batch_size=3)
    again = import_reports(db_session, read_rows("a.jsonl", jsonl(8)), "partner-a", batch_size=3)
    assert (again.imported, again.already_stored) == (0, 8)
    assert reports_of(db_session, "partner-a") == 8
    counts = db_session.scalars(
        select(IndicatorRecord.report_count).where(IndicatorRecord.value.like("+8491234500%"))
    ).all()
    assert counts
    assert set(counts) == {1}


def test_same_ids_from_another_source_are_other_reports(db_session: Session) -> None:
    import_reports(db_session, read_rows("a.jsonl", jsonl(3)), "partner-a")
    import_reports(db_session, read_rows("a.jsonl", jsonl(3)), "partner-b")
    assert reports_of(db_session, "partner-b") == 3


def test_bad_rows_are_listed_and_the_others_load(db_session: Session) -> None:
    raw = jsonl(2) + b'{"id": "bad", "narrative": ""}\nnot json\n' + jsonl(2, start=2)
    summary = import_reports(db_session, read_rows("a.jsonl", raw), "partner-a")
    assert summary.imported == 4
    assert [(r.line, r.reason.split(":")[0]) for r in summary.rejected] == [
        (3, "narrative"), (4, "not valid JSON"),
    ]  # fmt: skip


def test_repeated_rows_in_one_file_are_stored_once(db_session: Session) -> None:
    raw = jsonl(3) + jsonl(3)
    summary = import_reports(db_session, read_rows("a.jsonl", raw), "partner-a", batch_size=2)
    assert (summary.imported, summary.already_stored) == (3, 3)


class Interrupt(Exception):
    pass


def test_an_interrupted_import_leaves_whole_reports_and_can_be_run_again(
    db_session: Session,
) -> None:
    seen: list[int] = []

    def stop_after_two_batches(count: int) -> None:
        seen.append(count)
        if len(seen) == 2:
            raise Interrupt

    with pytest.raises(Interrupt):
        import_reports(db_session, read_rows("a.jsonl", jsonl(20)), "partner-a", batch_size=4,
                       progress=stop_after_two_batches)  # fmt: skip
    stored = reports_of(db_session, "partner-a")
    assert stored == 8  # two whole batches committed
    unlinked = db_session.scalar(
        select(func.count()).select_from(Report)
        .where(Report.source == "partner-a", ~Report.id.in_(select(ReportIndicator.report_id)))
    )  # fmt: skip
    assert unlinked == 0
    rest = import_reports(db_session, read_rows("a.jsonl", jsonl(20)), "partner-a", batch_size=4)
    assert (rest.imported, rest.already_stored) == (12, 8)
    assert reports_of(db_session, "partner-a") == 20


def test_worker_processes_read_the_same_as_this_process(db_session: Session) -> None:
    local = import_reports(db_session, read_rows("a.jsonl", jsonl(6)), "local", batch_size=3)
    pooled = import_reports(db_session, read_rows("a.jsonl", jsonl(6)), "pool", batch_size=3,
                            workers=2)  # fmt: skip
    assert local.imported == pooled.imported == 6

    def readings(source: str) -> list[tuple[str | None, str, str]]:
        stmt = select(Report.external_id, Report.category, Report.urgency).where(
            Report.source == source
        )
        return sorted((e, c, u) for e, c, u in db_session.execute(stmt))

    assert readings("local") == readings("pool")


def test_the_collector_is_set_back_after_an_import(db_session: Session) -> None:
    before = gc.get_threshold()
    import_reports(db_session, read_rows("a.jsonl", jsonl(3)), "partner-a")
    assert gc.get_threshold() == before
    with pytest.raises(KeyboardInterrupt):
        import_reports(db_session, _interrupted(read_rows("a.jsonl", jsonl(3, 10))), "partner-a")
    assert gc.get_threshold() == before


def _interrupted(rows: Iterator[Any]) -> Iterator[Any]:
    yield next(rows)
    raise KeyboardInterrupt
