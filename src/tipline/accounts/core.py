"""The pure rules of accounts: secrets and their hashes, token format, expiry, local paths.

Nothing here touches the database or the clock: the time is always passed in.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from datetime import datetime, timedelta

from tipline.principals import Role

TOKEN_PREFIX = "tl_"
TOKEN_BYTES = 32
# 32 random bytes in unpadded urlsafe base64 are 43 characters.
TOKEN_PATTERN = re.compile(rf"{TOKEN_PREFIX}[A-Za-z0-9_-]{{43}}")
DISPLAY_PREFIX_LENGTH = len(TOKEN_PREFIX) + 6  # "tl_AbC12x": enough to tell tokens apart
DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 366

SESSION_COOKIE = "tipline_session"
SESSION_LIFETIME = timedelta(hours=12)  # one working day; then sign in again
SESSION_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")

# Tokens' last use is written at most this often, so a busy machine client does not turn every
# request into a write.
LAST_USED_EVERY = timedelta(minutes=5)

USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024  # argon2 takes any length; this only stops absurd bodies


def new_secret() -> str:
    """32 random bytes as unpadded urlsafe base64 (43 characters)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(TOKEN_BYTES)).rstrip(b"=").decode("ascii")


def new_token() -> str:
    """A fresh API token: `tl_` and 32 random bytes."""
    return TOKEN_PREFIX + new_secret()


def is_token(text: str) -> bool:
    return TOKEN_PATTERN.fullmatch(text) is not None


def is_session_value(text: str) -> bool:
    return SESSION_PATTERN.fullmatch(text) is not None


def display_prefix(token: str) -> str:
    """The start of a token, kept in clear so that a person can tell which token is which."""
    return token[:DISPLAY_PREFIX_LENGTH]


def secret_hash(secret: str) -> str:
    """SHA-256 of a token or session cookie, hex.

    A fast hash is right here, unlike for passwords: these secrets are 256 random bits, so no
    dictionary or brute force can reverse the hash, and a fast hash keeps the lookup of every
    request cheap. (Passwords are chosen by people, so they get argon2.)
    """
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer tl_…` header, or None."""
    if not authorization:
        return None
    scheme, _, value = authorization.strip().partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not is_token(value):
        return None
    return value


def is_live(
    now: datetime, expires_at: datetime, revoked_at: datetime | None, disabled: bool
) -> bool:
    """Whether a session or token still stands for its user."""
    return revoked_at is None and not disabled and now < expires_at


def credential_state(
    now: datetime, expires_at: datetime, revoked_at: datetime | None, disabled: bool
) -> str:
    """`active`, `revoked`, `expired` or `disabled` (its user is), for people to read."""
    if revoked_at is not None:
        return "revoked"
    if disabled:
        return "disabled"
    return "active" if now < expires_at else "expired"


def token_expiry(now: datetime, days: int = DEFAULT_TOKEN_DAYS) -> datetime:
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValueError(f"a token lasts 1 to {MAX_TOKEN_DAYS} days")
    return now + timedelta(days=days)


def should_note_use(now: datetime, last_used_at: datetime | None) -> bool:
    return last_used_at is None or now - last_used_at >= LAST_USED_EVERY


def normal_username(text: str) -> str:
    return text.strip().lower()


def username_problem(username: str) -> str | None:
    """Why `username` (already normalised) cannot be a username, or None."""
    if USERNAME_PATTERN.fullmatch(username) is None:
        return "a username is 2 to 64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit"
    return None


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"a password has at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"a password has at most {MAX_PASSWORD_LENGTH} characters"
    return None


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        names = ", ".join(role.value for role in Role)
        raise ValueError(f"unknown role {text!r}: one of {names}") from None


def affiliation_problem(role: Role, partner: bool, organisation: bool) -> str | None:
    """Why a user of `role` cannot belong to (or lack) a partner or organisation, or None.

    A partner user acts for exactly one partner agency, a platform user for exactly one
    organisation; staff belong to neither.
    """
    if role is Role.PARTNER and not (partner and not organisation):
        return "a user of role partner belongs to one partner agency (--partner)"
    if role is Role.PLATFORM and not (organisation and not partner):
        return "a user of role platform belongs to one organisation (--organisation)"
    if role not in (Role.PARTNER, Role.PLATFORM) and (partner or organisation):
        return f"a user of role {role.value} belongs to no partner or organisation"
    return None


def is_local_path(target: str | None) -> bool:
    """Whether `target` is a path on this site (`/queue?x=1`), never another origin.

    Refuses `//evil.example`, `/\\evil.example` (browsers read `\\` as `/`), schemes and
    control characters.
    """
    if not target or not target.startswith("/") or len(target) > 2000:
        return False
    if target.startswith(("//", "/\\")):
        return False
    return all(0x20 < ord(ch) < 0x7F and ch != "\\" for ch in target)


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def cookie_may_sign(method: str, path: str) -> bool:
    """Whether the web session cookie signs this request in. Not for a change through the JSON
    API: a browser sends the cookie with another site's request too, and the API's writes
    check no CSRF token, so they take a bearer token only (pages' forms carry a token)."""
    return method in SAFE_METHODS or not path.startswith("/api/")
