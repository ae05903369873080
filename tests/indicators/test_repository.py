"""Indicator writes under concurrent writers: every sighting counted, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tipline.indicators import repository
from tipline.indicators.models import IndicatorRecord

VALUES = [f"+8490000{n:04d}" for n in range(20)]


def test_concurrent_upserts_count_every_sighting(engine: Engine) -> None:
    """Four writers, each committing the same twenty phones ten times: 40 sightings each."""
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for _ in range(10):
                with Session(engine) as session:
                    repository.upsert_indicators(
                        session,
                        [repository.IndicatorSighting("phone", v, False, moment, moment, 1)
                         for v in VALUES],
                    )  # fmt: skip
                    session.commit()
        except BaseException as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        with Session(engine) as session:
            counts = session.scalars(
                select(IndicatorRecord.report_count).where(IndicatorRecord.value.in_(VALUES))
            ).all()
        assert sorted(counts) == [40] * len(VALUES)
    finally:
        with Session(engine) as session:
            session.execute(delete(IndicatorRecord).where(IndicatorRecord.value.in_(VALUES)))
            session.commit()
