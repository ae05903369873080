"""A standard protocol's API at its own door, beside /api/v1 (TAXII 2.1 at /taxii2/ is next).

A capability's `routes.py` may export `protocol = ProtocolMount(prefix, build)`. The app mounts
`build(context)` at `prefix` as its own ASGI application (`app.mount`), so the protocol keeps its
own media type, authentication and error objects: tipline's JSON error handlers
(`tipline.server.problems`) apply only to tipline's routes, and tipline's OpenAPI document does
not list the protocol's paths (a FastAPI sub-application serves its own). The body limit still
applies: a body over `body_limit` raises `BodyTooLarge`, an HTTP 413, inside the protocol's
application, whose own handler answers it in the protocol's format.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import Request
from starlette.types import ASGIApp

from tipline.principals import Principal
from tipline.server.limits import API_BODY_BYTES
from tipline.settings import Settings

# A path segment or more, no trailing slash: `/taxii2`, not `/taxii2/`, `/` or `/api/v1/x`.
_PREFIX = re.compile(r"^(/[a-z0-9][a-z0-9._-]*)+$")


TokenCheck = Callable[[Session, str], Principal | None]
"""An API token's holder, or None (unknown, expired, revoked)."""
PasswordCheck = Callable[[Session, Request, str, str], Principal | None]
"""The user of (username, password) sent with a request, or None; failures are counted and
throttled per client address as sign-ins are (`tipline.errors.TooManyRequests` while throttled)."""


def _no_token(session: Session, token: str) -> Principal | None:
    return None


def _no_password(session: Session, request: Request, username: str, password: str) -> None:
    return None


@dataclass(frozen=True, slots=True)
class ProtocolContext:
    """What a protocol's application is built on: the app's settings and database sessions, and
    how it tells who is calling (the app passes the accounts capability's checks: a protocol
    signs its requests its own way, and capabilities do not import one another's services)."""

    settings: Settings
    session_factory: sessionmaker[Session]
    token_check: TokenCheck = _no_token
    password_check: PasswordCheck = _no_password


@dataclass(frozen=True, slots=True)
class ProtocolMount:
    """A protocol's application (`build`) and where it is mounted (`prefix`)."""

    prefix: str
    build: Callable[[ProtocolContext], ASGIApp]
    body_limit: int = API_BODY_BYTES

    def __post_init__(self) -> None:
        if not _PREFIX.match(self.prefix) or self.prefix.startswith("/api"):
            raise ValueError(f"a protocol's prefix is a path of its own, not {self.prefix!r}")
