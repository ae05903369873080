"""CSRF protection for the POST forms without JavaScript: a signed double-submit token.

The browser holds a random nonce in an HttpOnly, SameSite=Lax cookie; each form carries
`timestamp.HMAC(key, nonce.timestamp)`. Another site can neither read the cookie nor forge the
HMAC, so it cannot make a visitor's browser post a form here. Tokens last `MAX_AGE_SECONDS`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from functools import lru_cache
from pathlib import Path

from tipline.sealing import private_file

CSRF_COOKIE = "tipline_csrf"
CSRF_FIELD = "csrf_token"
MAX_AGE_SECONDS = 12 * 3600
CLOCK_SKEW_SECONDS = 300
KEY_FILE = "web-secret.key"


@lru_cache(maxsize=4)
def signing_key(configured: str | None, data_dir: Path) -> bytes:
    """TIPLINE_SECRET_KEY, else a random key kept in the data folder (made on first use)."""
    if configured:
        return configured.encode("utf-8")
    return private_file(data_dir / KEY_FILE, lambda: secrets.token_hex(32).encode("ascii")).strip()


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def is_nonce(value: str | None) -> bool:
    return bool(value) and len(value or "") == 32 and (value or "").isascii()


def _mac(key: bytes, nonce: str, issued: int) -> str:
    return hmac.new(key, f"{nonce}.{issued}".encode(), hashlib.sha256).hexdigest()


def issue_token(key: bytes, nonce: str, now: float | None = None) -> str:
    """The token a form carries for the visitor whose cookie holds `nonce`."""
    issued = int(time.time() if now is None else now)
    return f"{issued}.{_mac(key, nonce, issued)}"


def token_is_valid(
    key: bytes, nonce: str | None, token: str | None, now: float | None = None
) -> bool:
    """True when `token` was issued for this `nonce` by this key, less than MAX_AGE ago."""
    if not (nonce and token) or not is_nonce(nonce) or token.count(".") != 1:
        return False
    issued_text, mac = token.split(".")
    if not issued_text.isdigit():
        return False
    issued = int(issued_text)
    age = (time.time() if now is None else now) - issued
    if not -CLOCK_SKEW_SECONDS <= age <= MAX_AGE_SECONDS:
        return False
    return hmac.compare_digest(mac, _mac(key, nonce, issued))
