"""The route dependency of a rate-limited public or platform endpoint:
`dependencies=[limited("reports")]`. Every public and platform API route declares one
(tests/ratelimits/test_every_route.py finds those that do not)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from tipline.access import get_principal
from tipline.errors import TooManyRequests
from tipline.principals import Principal
from tipline.ratelimits.service import RateLimits


class RateLimited:
    """The dependency that counts a request against the limit `name` and answers 429 (with
    `Retry-After`) when over it; a marker the route test finds, as `Access` is."""

    def __init__(self, name: str) -> None:
        self.name = name

    async def __call__(
        self, request: Request, principal: Annotated[Principal | None, Depends(get_principal)]
    ) -> None:
        limits: RateLimits = request.app.state.rate_limits
        who, items = limits.identity(request, self.name, principal)
        if limits.counts_in_memory(self.name):  # microseconds: a thread hop would cost more
            seconds = limits.hit(self.name, who, items)
        else:  # the counter's upsert runs off the event loop
            seconds = await run_in_threadpool(limits.hit, self.name, who, items)
        if seconds is not None:
            raise TooManyRequests(
                f"Too many requests: try again in {seconds} seconds.", retry_after=seconds
            )

    def __repr__(self) -> str:
        return f"RateLimited({self.name})"


def limited(name: str) -> Any:
    """`Depends` on the limit `name`: `dependencies=[Depends(PUBLIC), limited("checks")]`."""
    return Depends(RateLimited(name))
