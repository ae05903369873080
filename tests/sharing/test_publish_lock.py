"""Publications one at a time: each takes the publishing lock before it stamps its objects'
`date_added`, so one that commits later never dates its objects before a page a TAXII client
already read (a client resuming with `added_after` misses nothing)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from tests.conftest import ReportMaker
from tests.sharing.stix_fixtures import confirm, instance_settings

from tipline.sharing import repository, service

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_a_publication_takes_the_lock_before_it_stamps_its_objects(
    db_session: Session, make_report: ReportMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    confirm(db_session, make_report("Gọi từ số 0912 345 678").code)
    steps: list[str] = []
    lock = repository.lock_publishing

    def locking(session: Session) -> None:
        steps.append("lock")
        lock(session)

    def stamp() -> datetime:
        steps.append("stamp")
        return T0

    monkeypatch.setattr(repository, "lock_publishing", locking)
    monkeypatch.setattr(service, "utc_now", stamp)
    summary = service.publish(db_session, instance_settings())
    assert (steps, summary.written) == (["lock", "stamp"], 2)


def test_on_postgresql_the_lock_is_held_until_the_publication_ends(
    db_session: Session, engine: Engine
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite's single writer serialises: the lock is a write that changes nothing")
    service.publish(db_session, instance_settings(), now=T0)
    key = repository.PUBLISH_LOCK_KEY
    with engine.connect() as other:  # another transaction may not publish now
        assert other.scalar(select(func.pg_try_advisory_xact_lock(key))) is False
