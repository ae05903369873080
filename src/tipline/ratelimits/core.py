"""The pure rules of rate limits: limits as configured, the client's address, the wait.

Counting is the `limits` library's (fixed windows); this module only reads what the operator
wrote and what the request says.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from limits import RateLimitItem, parse_many


def parse_limits(text: str) -> list[RateLimitItem]:
    """`"10/minute; 100/hour"` as the library's limits; ValueError when unreadable."""
    try:
        items = parse_many(text)
    except ValueError as exc:
        raise ValueError(f"not a rate limit such as '10/minute; 100/hour': {text!r}") from exc
    if not items:
        raise ValueError(f"no rate limit in {text!r}")
    return items


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxies: int) -> str:
    """The address to count a request against.

    The connection's peer, unless `trusted_proxies` proxies stand in front of the server: then
    the address the outermost trusted proxy saw, counted from the right of `X-Forwarded-For`
    (anything further left was written by the client and proves nothing).
    """
    if trusted_proxies > 0 and forwarded_for:
        hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
        if hops:
            return hops[-min(trusted_proxies, len(hops))]
    return peer or "unknown"


def retry_after(resets_at: Sequence[float], now: float) -> int:
    """Whole seconds until the last of these windows resets (at least 1)."""
    return max(1, math.ceil(max(resets_at, default=now) - now))
