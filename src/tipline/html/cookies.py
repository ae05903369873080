"""Every cookie tipline sets goes through here: HttpOnly (no script reads it), SameSite (another
site's form or link does not carry it, or carries only a top-level GET's), and Secure whenever
the request came over HTTPS (directly, or through a trusted proxy: `ForwardedScheme`), so that
a cookie given over HTTPS is never sent back over plain HTTP."""

from __future__ import annotations

from typing import Literal

from fastapi import Request, Response

SameSite = Literal["lax", "strict"]


def put_cookie(
    request: Request,
    response: Response,
    name: str,
    value: str,
    *,
    max_age: int | None = None,
    samesite: SameSite = "lax",
) -> None:
    """Set cookie `name` for the whole site with the flags above."""
    response.set_cookie(
        name, value, max_age=max_age, path="/", httponly=True, samesite=samesite,
        secure=request.url.scheme == "https",
    )  # fmt: skip


def drop_cookie(
    request: Request, response: Response, name: str, samesite: SameSite = "lax"
) -> None:
    """Tell the browser to forget cookie `name` (with the same flags it was set with)."""
    response.delete_cookie(
        name, path="/", httponly=True, samesite=samesite, secure=request.url.scheme == "https"
    )
