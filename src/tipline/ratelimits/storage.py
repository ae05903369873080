"""`limits` storages: in tipline's own database (SQLite or PostgreSQL), and in one process's
memory.

`limits` counts in Redis, Memcached or MongoDB; tipline has none of them, and a count in one
process's memory would let `tipline serve --workers 4` take four times the limit. So the fixed
window's counter is a row of `rate_counter`, incremented by one atomic upsert. The limits that
may count per process (checks, `Settings.rate_limit_checks_in_memory`) use `ProcessStorage`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from limits.storage import Storage
from sqlalchemy import Double, case, delete, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from tipline.ratelimits.models import RateCounter

PRUNE_EVERY = 60.0  # seconds between removals of expired counters, per process


class DatabaseStorage(Storage):
    """Fixed-window counters as rows: key, window expiry, count."""

    STORAGE_SCHEME = None  # made with a session factory, never from a URI

    def __init__(
        self, session_factory: sessionmaker[Session], clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__()
        self.session_factory = session_factory
        self.clock = clock
        self.pruned_at = 0.0

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add `amount` to the key's window (a new window when the last one expired)."""
        now = self.clock()
        with self.session_factory() as session:
            count = session.execute(_upsert(session, key, now, now + expiry, amount)).scalar_one()
            if now - self.pruned_at >= PRUNE_EVERY:
                session.execute(delete(RateCounter).where(RateCounter.expires_at <= now))
                self.pruned_at = now
            session.commit()
        return int(count)

    def get(self, key: str) -> int:
        row = self._live(key)
        return row[1] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._live(key)
        return row[0] if row else self.clock()

    def check(self) -> bool:
        with self.session_factory() as session:
            session.execute(select(RateCounter.key).limit(1))
        return True

    def reset(self) -> int | None:
        with self.session_factory() as session:
            removed = session.scalar(select(func.count()).select_from(RateCounter))
            session.execute(delete(RateCounter))
            session.commit()
        return removed

    def clear(self, key: str) -> None:
        with self.session_factory() as session:
            session.execute(delete(RateCounter).where(RateCounter.key == key))
            session.commit()

    def _live(self, key: str) -> tuple[float, int] | None:
        statement = select(RateCounter.expires_at, RateCounter.count).where(
            RateCounter.key == key, RateCounter.expires_at > self.clock()
        )
        with self.session_factory() as session:
            row = session.execute(statement).one_or_none()
        return (float(row[0]), int(row[1])) if row else None


def _upsert(session: Session, key: str, now: float, expires_at: float, amount: int) -> Any:
    """INSERT … ON CONFLICT DO UPDATE … RETURNING count: one statement, so concurrent hits of
    one key never lose a count, in either database."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(RateCounter).values(key=key, expires_at=expires_at, count=amount)
    expired = RateCounter.expires_at <= literal(now, Double)  # the stored window is over
    return insert.on_conflict_do_update(
        index_elements=[RateCounter.key],
        set_={
            "count": case((expired, amount), else_=RateCounter.count + amount),
            "expires_at": case((expired, expires_at), else_=RateCounter.expires_at),
        },
    ).returning(RateCounter.count)


class ProcessStorage(Storage):
    """Fixed-window counters in this process's memory: key → (window expiry, count).

    `limits`' own `MemoryStorage` expires keys from a timer thread that it starts again on any
    hit after the last one ran out (10 ms): under a stream of checks, a new thread nearly every
    request, which cost more CPU than the check itself (issue 18). Here an expired window reads
    as absent, and the expired keys are dropped together every `PRUNE_EVERY` seconds, inline.
    """

    STORAGE_SCHEME = None  # made in code, never from a URI

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        super().__init__()
        self.clock = clock
        self.windows: dict[str, tuple[float, int]] = {}
        self.lock = threading.Lock()  # hits come from the event loop and from threads
        self.pruned_at = clock()

    @property
    def base_exceptions(self) -> type[Exception]:
        return ValueError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add `amount` to the key's window (a new window when the last one expired)."""
        now = self.clock()
        with self.lock:
            if now - self.pruned_at >= PRUNE_EVERY:
                self.windows = {k: w for k, w in self.windows.items() if w[0] > now}
                self.pruned_at = now
            expires_at, count = self.windows.get(key, (now, 0))
            if expires_at <= now:
                expires_at, count = now + expiry, 0
            self.windows[key] = (expires_at, count + amount)
        return count + amount

    def get(self, key: str) -> int:
        expires_at, count = self.windows.get(key, (0.0, 0))
        return count if expires_at > self.clock() else 0

    def get_expiry(self, key: str) -> float:
        now = self.clock()
        expires_at, _ = self.windows.get(key, (now, 0))
        return expires_at if expires_at > now else now

    def check(self) -> bool:
        return True

    def reset(self) -> int | None:
        with self.lock:
            removed = len(self.windows)
            self.windows = {}
        return removed

    def clear(self, key: str) -> None:
        with self.lock:
            self.windows.pop(key, None)
