"""The route dependency of a rate-limited public write: `dependencies=[limited("reports")]`."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request

from tipline.errors import TooManyRequests
from tipline.ratelimits.service import RateLimits


def limited(name: str) -> Any:
    """A dependency that counts the request against the limit `name` and answers 429 (with
    `Retry-After`) when over it."""

    def count(request: Request) -> None:  # sync: the counter's upsert runs off the event loop
        limits: RateLimits = request.app.state.rate_limits
        who, items = limits.identity(request, name)
        if (seconds := limits.hit(name, who, items)) is not None:
            raise TooManyRequests(
                f"Too many requests: try again in {seconds} seconds.", retry_after=seconds
            )

    return Depends(count)
