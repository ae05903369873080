"""When the client tries again and how long it waits (pure: no clock, no network)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from tipline.client.retrying import Backoff, retry_after_seconds

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def test_waits_double_up_to_the_longest_and_stop_after_the_retries() -> None:
    backoff = Backoff(retries=5, first_wait=0.5, longest_wait=3, jitter=0)
    waits = [backoff.wait(attempt, None, random.Random(1)) for attempt in range(1, 7)]
    assert waits == [0.5, 1.0, 2.0, 3.0, 3.0, None]


def test_jitter_moves_a_wait_by_at_most_its_fraction() -> None:
    backoff = Backoff(first_wait=1, jitter=0.1)
    rng = random.Random(7)
    waits = [backoff.wait(1, None, rng) for _ in range(200)]
    assert all(w is not None and 0.9 <= w <= 1.1 for w in waits)
    assert len(set(waits)) > 100  # spread, not one value


def test_retry_after_is_waited_exactly_unless_too_long() -> None:
    backoff = Backoff(retries=3, longest_wait=30)
    assert backoff.wait(1, 12.0, random.Random()) == 12.0
    assert backoff.wait(1, 0.0, random.Random()) == 0.0
    assert backoff.wait(1, 31.0, random.Random()) is None
    assert backoff.wait(4, 1.0, random.Random()) is None


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("7", 7.0),
        (" 120 ", 120.0),
        ("Mon, 07 Dec 2026 12:00:30 GMT", 30.0),
        ("Mon, 07 Dec 2026 11:00:00 GMT", 0.0),
        ("99999999999999999999", 1e9),
        (None, None),
        ("", None),
        ("soon", None),
        ("-5", None),
        ("1.5", None),
    ],
)
def test_retry_after_header(header: str | None, seconds: float | None) -> None:
    assert retry_after_seconds(header, NOW) == seconds


@pytest.mark.parametrize(
    "arguments",
    [{"retries": -1}, {"first_wait": -0.1}, {"longest_wait": -1}, {"jitter": 1.0}],
)
def test_a_backoff_cannot_be_negative(arguments: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="negative|fraction"):
        Backoff(**arguments)
