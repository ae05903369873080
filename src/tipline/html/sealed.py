"""Small signed values for cookies: what a page hands a browser to hold for a while.

`seal` signs a JSON object with its issue time under a purpose (so that a value sealed for one
cookie never passes for another); `unseal` gives it back only when the signature holds and it
is younger than `max_age`. Signed, not encrypted: the browser holding it may read it, which is
why such a cookie carries only what its holder already knows (her own tracking code and secret)
and is HttpOnly, so no script reads it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

CLOCK_SKEW_SECONDS = 300


def _mac(key: bytes, purpose: str, body: str) -> str:
    return hmac.new(key, f"{purpose}|{body}".encode(), hashlib.sha256).hexdigest()


def seal(key: bytes, purpose: str, value: dict[str, Any], now: float | None = None) -> str:
    """`value` and its issue time, signed for `purpose`."""
    issued = int(time.time() if now is None else now)
    payload = json.dumps({"v": value, "t": issued}, separators=(",", ":"), ensure_ascii=True)
    body = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
    return f"{body}.{_mac(key, purpose, body)}"


def unseal(
    key: bytes, purpose: str, sealed: str | None, max_age: int, now: float | None = None
) -> dict[str, Any] | None:
    """The value sealed for `purpose`, or None when forged, for another purpose, or too old."""
    if not sealed or sealed.count(".") != 1 or len(sealed) > 2048:
        return None
    body, mac = sealed.split(".")
    if not hmac.compare_digest(mac, _mac(key, purpose, body)):
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except ValueError:
        return None
    issued, value = payload.get("t"), payload.get("v")
    if not isinstance(issued, int) or not isinstance(value, dict):
        return None
    age = (time.time() if now is None else now) - issued
    return value if -CLOCK_SKEW_SECONDS <= age <= max_age else None
