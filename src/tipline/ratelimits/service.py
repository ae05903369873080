"""Rate limits of a server: the configured limits, counted by `limits` in the database.

Each limit has a name (`reports`, `checks`, `public`, `feeds`, `signin`, `signin_account`,
`signin_global`) and one or more windows (`"5/minute; 20/hour"`: a caller over the first waits
a minute, one who keeps on waits an hour). A call with an API token counts against the token
(`token:42`) and its own windows (`token_limits`: a platform token's checks and feeds have
theirs, any other call of a token `rate_limit_tokens`); any other call against the client's
address.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from fastapi import Request
from limits import RateLimitItem
from limits.strategies import FixedWindowRateLimiter, RateLimiter
from sqlalchemy.orm import Session, sessionmaker

from tipline.principals import Principal, Role
from tipline.ratelimits.core import client_address, parse_limits, retry_after
from tipline.ratelimits.storage import DatabaseStorage, ProcessStorage
from tipline.settings import Settings

# Who a request is counted as, and against which windows: (identity, limits).
Identity = tuple[str, Sequence[RateLimitItem]]
# The hook for per-token limits (the platform issue): given a request and a limit's name, the
# identity to count instead of the client's address (`"token:42"` with its own, higher limits),
# or None for the address and the configured limits.
Override = Callable[[Request, str], Identity | None]


@dataclass(slots=True)
class RateLimits:
    """The limiter and the limits by name, as the settings give them; `local`, when set,
    counts the limits named in `local_names` in this process's memory instead."""

    limiter: RateLimiter
    limits: Mapping[str, Sequence[RateLimitItem]]
    trusted_proxies: int = 0
    override: Override | None = None
    clock: Callable[[], float] = time.time  # the storage's clock
    local: RateLimiter | None = None
    local_names: frozenset[str] = frozenset()
    # A token's windows by role and limit name; `(None, None)`: any other call of a token.
    token_limits: Mapping[tuple[Role | None, str | None], Sequence[RateLimitItem]] = field(
        default_factory=dict
    )

    def hit(self, name: str, who: str, items: Sequence[RateLimitItem] | None = None) -> int | None:
        """Count one request of `who` against the limit `name`: None when within it, else the
        seconds until every exceeded window resets."""
        windows = self.limits[name] if items is None else items
        limiter = self._limiter(name)
        over = [item for item in windows if not limiter.hit(item, name, who)]
        return self._wait(name, who, over)

    def counts_in_memory(self, name: str) -> bool:
        """Whether the limit `name` is counted in this process's memory (no database write)."""
        return self.local is not None and name in self.local_names

    def wait(self, name: str, who: str) -> int | None:
        """Without counting: None when `who` is within the limit `name`, else the seconds to
        wait."""
        limiter = self._limiter(name)
        over = [item for item in self.limits[name] if not limiter.test(item, name, who)]
        return self._wait(name, who, over)

    def seen(self, name: str, who: str) -> bool:
        """Whether `who` was counted against `name` in its longest window still running."""
        longest = max(self.limits[name], key=lambda item: item.get_expiry())
        stats = self._limiter(name).get_window_stats(longest, name, who)
        return stats.remaining < longest.amount

    def identity(self, request: Request, name: str, principal: Principal | None = None) -> Identity:
        """Who `request` counts as for the limit `name`: the override's answer, else its token
        (with the token's windows), else its client's address."""
        if self.override is not None and (chosen := self.override(request, name)) is not None:
            return chosen
        if principal is not None and principal.via == "token" and principal.token_id:
            return f"token:{principal.token_id}", self.windows_of_token(principal.role, name)
        return self.address(request), self.limits[name]

    def windows_of_token(self, role: Role, name: str) -> Sequence[RateLimitItem]:
        """A token's windows for the limit `name`: its role's for that limit, else every
        token's (the address's when none is configured)."""
        found = self.token_limits.get((role, name)) or self.token_limits.get((None, None))
        return found or self.limits[name]

    def address(self, request: Request) -> str:
        peer = request.client.host if request.client else None
        forwarded = request.headers.get("x-forwarded-for")
        return client_address(peer, forwarded, self.trusted_proxies)

    def _limiter(self, name: str) -> RateLimiter:
        return self.local if self.local and name in self.local_names else self.limiter

    def _wait(self, name: str, who: str, over: Sequence[RateLimitItem]) -> int | None:
        if not over:
            return None
        limiter = self._limiter(name)
        resets = [limiter.get_window_stats(item, name, who).reset_time for item in over]
        return retry_after(resets, self.clock())


def token_windows(
    settings: Settings,
) -> dict[tuple[Role | None, str | None], Sequence[RateLimitItem]]:
    """The windows of tokens' calls: a platform token's checks, feed pulls and hash matches (a
    partner's too), and any other."""
    platform_checks = parse_limits(settings.rate_limit_platform_checks)
    return {
        (Role.PLATFORM, "checks"): platform_checks,
        (Role.PLATFORM, "private_checks"): platform_checks,
        (Role.PLATFORM, "feeds"): parse_limits(settings.rate_limit_feeds),
        # Hash matching (up to 1,000 hashes a call): a token's own window, as an address's.
        (Role.PLATFORM, "matches"): parse_limits(settings.rate_limit_matches),
        (Role.PARTNER, "matches"): parse_limits(settings.rate_limit_matches),
        (None, None): parse_limits(settings.rate_limit_tokens),
    }


def rate_limits(
    settings: Settings,
    session_factory: sessionmaker[Session],
    clock: Callable[[], float] = time.time,
) -> RateLimits:
    """The server's rate limits: the settings' windows, counted in its database."""
    public = parse_limits(settings.rate_limit_public)
    limits = {
        "reports": parse_limits(settings.rate_limit_reports),
        "checks": parse_limits(settings.rate_limit_checks),
        "matches": parse_limits(settings.rate_limit_matches),
        "private_checks": parse_limits(settings.rate_limit_private_checks),
        "public": public,
        "feeds": public,  # only tokens pull feeds: an address's calls are refused anyway
        "signin": parse_limits(settings.signin_limit_per_address),
        "signin_account": parse_limits(settings.signin_limit_per_account),
        "signin_global": parse_limits(settings.signin_limit_global),
        "signin_known": parse_limits("1 per 30 days"),  # seen, not limited: sign-ins that held
    }
    limiter = FixedWindowRateLimiter(DatabaseStorage(session_factory, clock))
    tokens = token_windows(settings)
    if not settings.rate_limit_checks_in_memory:
        return RateLimits(
            limiter, limits, settings.trusted_proxies, clock=clock, token_limits=tokens
        )
    # A check is a read answered in about a millisecond; a counter's committed upsert would
    # double that and make every check a write, one at a time on SQLite.
    local = FixedWindowRateLimiter(ProcessStorage(clock))
    checks = frozenset({"checks", "private_checks"})
    return RateLimits(limiter, limits, settings.trusted_proxies, None, clock, local, checks, tokens)
