"""The pure rules of rate limits: limits as written, the client's address, the wait."""

from __future__ import annotations

import pytest

from tipline.ratelimits import core


def test_parse_limits_reads_every_window() -> None:
    items = core.parse_limits("5/minute; 20/hour")
    assert [(item.amount, item.get_expiry()) for item in items] == [(5, 60), (20, 3600)]


@pytest.mark.parametrize("text", ["", "many", "5 per fortnight"])
def test_parse_limits_refuses_what_it_cannot_read(text: str) -> None:
    with pytest.raises(ValueError, match="rate limit"):
        core.parse_limits(text)


@pytest.mark.parametrize(
    ("peer", "forwarded", "proxies", "address"),
    [
        ("203.0.113.5", None, 0, "203.0.113.5"),
        ("203.0.113.5", "198.51.100.7", 0, "203.0.113.5"),  # no proxy trusted: header ignored
        ("10.0.0.2", "198.51.100.7", 1, "198.51.100.7"),
        ("10.0.0.2", "6.6.6.6, 198.51.100.7", 1, "198.51.100.7"),  # the forged hop is left of it
        ("10.0.0.3", "198.51.100.7, 10.0.0.2", 2, "198.51.100.7"),
        ("10.0.0.2", "198.51.100.7", 3, "198.51.100.7"),  # fewer hops than proxies
        ("10.0.0.2", " , ", 1, "10.0.0.2"),
        (None, None, 0, "unknown"),
    ],
)
def test_client_address(
    peer: str | None, forwarded: str | None, proxies: int, address: str
) -> None:
    assert core.client_address(peer, forwarded, proxies) == address


def test_retry_after_waits_for_the_last_window_and_at_least_a_second() -> None:
    assert core.retry_after([1060.2, 4600.0], 1000.0) == 3600
    assert core.retry_after([1000.1], 1000.0) == 1
    assert core.retry_after([], 1000.0) == 1
