"""The device cookie: a browser that signed in to an account is known to it afterwards.

At each successful sign-in the browser gets (or keeps) a cookie sealed with the site's key
(`tipline.html.sealed`): the username and a random device id, good for `DEVICE_DAYS`. A sign-in
to that account from that browser meets only the device's own failure windows, never the ones
an attacker fills from elsewhere (`tipline.accounts.throttle`). The cookie proves nothing by
itself: the password is still checked.
"""

from __future__ import annotations

import secrets

from fastapi import Request, Response

from tipline.accounts.throttle import Attempt
from tipline.html.cookies import put_cookie
from tipline.html.protection import csrf_key
from tipline.html.sealed import seal, unseal

DEVICE_COOKIE = "tipline_device"
DEVICE_DAYS = 90
_PURPOSE = "signin-device"
_SECONDS = DEVICE_DAYS * 24 * 3600


def _held(request: Request) -> tuple[str, str] | None:
    """(username, device id) of this browser's valid device cookie, if it holds one."""
    value = unseal(csrf_key(request), _PURPOSE, request.cookies.get(DEVICE_COOKIE), _SECONDS)
    user, device = (value or {}).get("u"), (value or {}).get("d")
    return (user, device) if isinstance(user, str) and isinstance(device, str) else None


def attempt_of(request: Request, address: str) -> Attempt:
    """Where a sign-in comes from: its address, and the browser's device cookie."""
    held = _held(request)
    return Attempt(address, held[0], held[1]) if held else Attempt(address)


def remember_device(request: Request, response: Response, username: str) -> None:
    """Give (or renew) the device cookie of `username` to this browser."""
    held = _held(request)
    device = held[1] if held and held[0] == username else secrets.token_urlsafe(18)
    sealed = seal(csrf_key(request), _PURPOSE, {"u": username, "d": device})
    put_cookie(request, response, DEVICE_COOKIE, sealed, max_age=_SECONDS, samesite="strict")
