"""What a piece of background work is, and how its period reads as a cron schedule. Pure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tipline.settings import Settings

if TYPE_CHECKING:  # a type only: this module runs no query
    from sqlalchemy.orm import Session, sessionmaker

# A job's work: sessions on the database, the settings; what it returns is only logged.
Work = Callable[["sessionmaker[Session]", Settings], Any]

MINUTE, HOUR, DAY = 60, 3600, 86400


@dataclass(frozen=True, slots=True)
class Job:
    """One piece of background work, declared once (`tipline.jobs.tasks.JOBS`).

    `period` reads how often it runs from the settings (seconds); None: only on demand
    (`tipline jobs run NAME`). `at_start`: also once when a server starts (the private check's
    first set). A failed run is logged and the next period is its retry (no quicker retry: on
    the queue, a retried run waiting beside the next period's run breaks the queueing lock)."""

    name: str
    run: Work
    period: Callable[[Settings], int] | None
    at_start: bool = False

    def seconds(self, settings: Settings) -> int | None:
        return self.period(settings) if self.period is not None else None


def every(seconds: int) -> Callable[[Settings], int]:
    """A fixed period (not one an operator sets)."""
    return lambda _settings: seconds


def _largest_divisor(unit: int, at_most: int) -> int:
    """The largest divisor of `unit` not above `at_most` (at least 1)."""
    return max(d for d in range(1, max(1, min(unit, at_most)) + 1) if unit % d == 0)


def cron_for(seconds: int) -> str:
    """The cron schedule (croniter's, seconds in a sixth field) closest to running every
    `seconds` that is never less often: a period that does not divide its unit (45 s in a
    minute) is shortened to one that does (30 s), so each run is as far from the next."""
    if seconds < 1:
        raise ValueError("a period is at least one second")
    if seconds < MINUTE:
        return f"* * * * * */{_largest_divisor(MINUTE, seconds)}"
    if seconds < HOUR:
        return f"*/{_largest_divisor(60, seconds // MINUTE)} * * * *"
    if seconds < DAY:
        return f"0 */{_largest_divisor(24, seconds // HOUR)} * * *"
    return "0 0 * * *"


def due_at_start(jobs: list[Job]) -> list[Job]:
    """The jobs a starting server runs once at once."""
    return [job for job in jobs if job.at_start]


def scheduled(jobs: list[Job]) -> list[Job]:
    """The jobs that have a period."""
    return [job for job in jobs if job.period is not None]
