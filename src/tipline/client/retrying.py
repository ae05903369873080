"""When to try a request again, and how long to wait first (pure: no I/O, no clock).

Connection failures, 5xx and 429 are tried again, up to `retries` more times. A 429 or 503
that says `Retry-After` is waited out exactly (seconds or an HTTP date), unless that is longer
than `longest_wait`: then the client gives up at once rather than hang a bank's transfer
screen. Otherwise the waits grow exponentially from `first_wait`, capped at `longest_wait`,
with a little jitter so that many clients failed together do not come back together.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class Backoff:
    """How many times to try again, and how long to wait between tries (seconds)."""

    retries: int = 3
    first_wait: float = 0.5
    longest_wait: float = 30.0
    jitter: float = 0.1  # each computed wait is moved by up to ±10 %

    def __post_init__(self) -> None:
        if self.retries < 0 or self.first_wait < 0 or self.longest_wait < 0:
            raise ValueError("retries and waits cannot be negative")
        if not 0 <= self.jitter < 1:
            raise ValueError("jitter is a fraction between 0 and 1")

    def wait(self, attempt: int, retry_after: float | None, rng: random.Random) -> float | None:
        """Seconds to wait before try number `attempt + 1` (the first retry is attempt 1), or
        None when the client should give up: tries spent, or a `Retry-After` too long."""
        if attempt > self.retries:
            return None
        if retry_after is not None:
            return retry_after if retry_after <= self.longest_wait else None
        wait = min(self.longest_wait, self.first_wait * 2 ** (attempt - 1))
        return wait * (1 + self.jitter * rng.uniform(-1, 1))


def retry_after_seconds(header: str | None, now: datetime | None = None) -> float | None:
    """The seconds a `Retry-After` header asks for (`120` or an HTTP date), or None if it is
    absent or unreadable; a date in the past is 0."""
    if header is None or not header.strip():
        return None
    text = header.strip()
    if text.isdigit():
        return float(min(int(text), 10**9))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
