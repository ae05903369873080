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


def test_the_checks_reads_give_aware_times_counts_and_feeds(
    db_session: Session, make_report
) -> None:
    from tipline.indicators.service import import_feed

    early, late = (
        datetime(2025, 1, 1, 8, 30, 5, 123456, tzinfo=UTC),
        datetime(2026, 1, 1, tzinfo=UTC),
    )
    repository.upsert_indicators(
        db_session, [repository.IndicatorSighting("phone", "+84900000002", True, early, late, 0)]
    )
    alone = repository.find_indicators(db_session, {("phone", "+84900000002")})  # one value
    many = repository.find_indicators(
        db_session, {("phone", "+84900000002"), ("phone", "+84900000003")}
    )
    assert alone == many
    record = many[("phone", "+84900000002")]
    assert (record.allowlisted, record.first_seen, record.last_seen) == (True, early, late)
    assert record.first_seen.utcoffset() is not None

    make_report("Kẻ lừa đảo gọi từ số 0912 345 678, bảo chuyển tiền để nhận quà.")
    phone = repository.find_indicators(db_session, {("phone", "+84912345678")})
    ident = phone[("phone", "+84912345678")].id
    tally = repository.report_tallies(db_session, [ident])[ident]
    assert sum(tally.categories.values()) == 1
    assert tally.confirmed is False

    import_feed(db_session, b"lua-dao-repo-test.com\n", "RepoFeed", "fraud.phishing")
    domain = repository.find_indicators(db_session, {("domain", "lua-dao-repo-test.com")})
    listed = domain[("domain", "lua-dao-repo-test.com")]
    [listing] = repository.feed_listings(db_session, [listed.id])[listed.id]
    assert (listing.source, listing.category) == ("RepoFeed", "fraud.phishing")
    assert listing.first_seen.utcoffset() is not None
