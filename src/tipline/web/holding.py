"""The browser that filed or followed a report holds its code and secret for a while.

After a report is filed (or followed with its code and secret), the answer is a redirect and a
cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's link or form sends it),
Secure over HTTPS, signed (`tipline.html.sealed`) and good for `HOLD_SECONDS`. The receipt and
follow pages read the report again through it, so the secret never travels in an address, a
page reload files nothing twice, and a phone that dropped the tab finds the receipt again.
"Forget" ends it at once (a shared phone).
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request, Response

from tipline.html.cookies import drop_cookie, put_cookie
from tipline.html.protection import csrf_key
from tipline.html.sealed import seal, unseal

HOLDER_COOKIE = "tipline_holder"
HOLD_SECONDS = 2 * 3600
_PURPOSE = "report-holder"


@dataclass(frozen=True, slots=True)
class Held:
    code: str
    secret: str


def hold(request: Request, response: Response, code: str, secret: str) -> None:
    """Let this browser hold the report's code and secret for `HOLD_SECONDS`."""
    sealed = seal(csrf_key(request), _PURPOSE, {"c": code, "s": secret})
    put_cookie(request, response, HOLDER_COOKIE, sealed, max_age=HOLD_SECONDS, samesite="strict")


def held_by(request: Request) -> Held | None:
    """The code and secret this browser holds, if it holds a valid, recent one."""
    value = unseal(csrf_key(request), _PURPOSE, request.cookies.get(HOLDER_COOKIE), HOLD_SECONDS)
    if value is None:
        return None
    code, secret = value.get("c"), value.get("s")
    return Held(code, secret) if isinstance(code, str) and isinstance(secret, str) else None


def forget(request: Request, response: Response) -> None:
    drop_cookie(request, response, HOLDER_COOKIE, samesite="strict")
