"""Who calls the TAXII server: an API token (`Authorization: Token …` as taxii2-client sends it,
or `Bearer …`) or, for a partner agency's user, HTTP Basic with its username and password
(failures throttled per address as sign-ins are). No web session cookie: TAXII is for machines.
"""

from __future__ import annotations

import base64
import binascii

from sqlalchemy.orm import Session
from starlette.requests import Request

from tipline.errors import TooManyRequests
from tipline.principals import Principal, Role
from tipline.server.protocols import ProtocolContext
from tipline.sharing.taxii.core import TaxiiError

CHALLENGE = {"WWW-Authenticate": 'Basic realm="tipline TAXII", charset="UTF-8"'}
MAX_CREDENTIALS = 1024


def refused(description: str) -> TaxiiError:
    return TaxiiError(401, "authentication required", description, code="not_authenticated",
                      headers=CHALLENGE)  # fmt: skip


def basic_credentials(value: str) -> tuple[str, str] | None:
    """(username, password) of a Basic header's value, or None when it is not one."""
    try:
        decoded = base64.b64decode(value[:MAX_CREDENTIALS], validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, colon, password = decoded.partition(":")
    return (username, password) if colon and username and password else None


def _by_password(
    session: Session, request: Request, value: str, context: ProtocolContext
) -> Principal | None:
    credentials = basic_credentials(value)
    if credentials is None:
        return None
    try:
        principal = context.password_check(session, request, *credentials)
    except TooManyRequests as exc:
        raise TaxiiError(429, "too many failed sign-ins", exc.message, code="too_many_attempts",
                         headers={"Retry-After": str(exc.retry_after)}) from None  # fmt: skip
    if principal is not None and principal.role is not Role.PARTNER:
        raise refused("HTTP Basic is for partner agencies' accounts: send an API token "
                      "(Authorization: Token …)")  # fmt: skip
    return principal


def authenticate(session: Session, request: Request, context: ProtocolContext) -> Principal:
    """The caller of a request; a 401 (with a `WWW-Authenticate` challenge) for anyone else."""
    scheme, _, value = request.headers.get("authorization", "").strip().partition(" ")
    value = value.strip()
    principal = None
    if scheme.lower() in ("token", "bearer") and 0 < len(value) <= MAX_CREDENTIALS:
        principal = context.token_check(session, value)
    elif scheme.lower() == "basic":
        principal = _by_password(session, request, value, context)
    if principal is None:
        raise refused("send an API token (Authorization: Token …) or a partner account's "
                      "username and password (HTTP Basic)")  # fmt: skip
    return principal
