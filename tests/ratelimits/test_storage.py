"""The `limits` storages: in tipline's database (on SQLite and PostgreSQL), and in memory."""

from __future__ import annotations

import threading

from limits import parse
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tipline.ratelimits.models import RateCounter
from tipline.ratelimits.storage import PRUNE_EVERY, DatabaseStorage, ProcessStorage

T0 = 1_700_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


def stored(session: Session) -> dict[str, tuple[float, int]]:
    """The counters these tests wrote: not the `limits` library's own (`LIMITER/…`), which a
    live-server test of the same PostgreSQL database may have committed before."""
    columns = select(RateCounter.key, RateCounter.expires_at, RateCounter.count)
    rows = session.execute(columns.where(~RateCounter.key.startswith("LIMITER/")))
    return {key: (expires_at, count) for key, expires_at, count in rows}


def test_incr_counts_within_the_window_and_starts_a_new_one_after(
    session_factory: sessionmaker[Session], db_session: Session
) -> None:
    clock = Clock()
    storage = DatabaseStorage(session_factory, clock)
    assert [storage.incr("a", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.incr("a", 60, amount=2) == 5
    assert (storage.get("a"), storage.get_expiry("a")) == (5, T0 + 60)
    clock.now = T0 + 60  # the window is over
    assert storage.get("a") == 0
    assert storage.incr("a", 60) == 1
    assert stored(db_session)["a"] == (T0 + 120, 1)


def test_expired_counters_are_pruned(
    session_factory: sessionmaker[Session], db_session: Session
) -> None:
    clock = Clock()
    storage = DatabaseStorage(session_factory, clock)
    for address in range(50):
        storage.incr(f"reports/198.51.100.{address}", 60)
    clock.now = T0 + PRUNE_EVERY + 1
    storage.incr("reports/203.0.113.9", 60)
    assert list(stored(db_session)) == ["reports/203.0.113.9"]


def test_clear_reset_and_check(session_factory: sessionmaker[Session], db_session: Session) -> None:
    storage = DatabaseStorage(session_factory, Clock())
    storage.reset()  # a counter a live-server test committed to this database before
    storage.incr("a", 60)
    storage.incr("b", 60)
    storage.clear("a")
    assert list(stored(db_session)) == ["b"]
    assert storage.reset() == 1
    assert stored(db_session) == {}
    assert storage.check() is True
    assert storage.get_expiry("missing") == T0


def test_in_memory_counts_within_the_window_and_starts_a_new_one_after() -> None:
    clock = Clock()
    storage = ProcessStorage(clock)
    assert [storage.incr("a", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.incr("a", 60, amount=2) == 5
    assert (storage.get("a"), storage.get_expiry("a")) == (5, T0 + 60)
    clock.now = T0 + 60  # the window is over
    assert (storage.get("a"), storage.get_expiry("a")) == (0, T0 + 60)
    assert storage.incr("a", 60) == 1
    assert storage.windows["a"] == (T0 + 120, 1)


def test_in_memory_expired_windows_are_pruned_and_no_thread_is_started() -> None:
    clock = Clock()
    storage = ProcessStorage(clock)
    limiter = FixedWindowRateLimiter(storage)
    threads = threading.active_count()
    item = parse("2/minute")
    assert [limiter.hit(item, "checks", f"198.51.100.{n % 50}") for n in range(100)] == [True] * 100
    assert limiter.hit(item, "checks", "198.51.100.1") is False
    assert threading.active_count() == threads  # limits' MemoryStorage starts a timer thread
    clock.now = T0 + PRUNE_EVERY + 1
    storage.incr("checks/203.0.113.9", 60)
    assert list(storage.windows) == ["checks/203.0.113.9"]
    storage.clear("checks/203.0.113.9")
    storage.incr("x", 60)
    assert (storage.reset(), storage.windows, storage.check()) == (1, {}, True)
