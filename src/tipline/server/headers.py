"""Headers every answer carries, whoever made it (a page, the JSON API, an error, a static file,
a protocol's mounted application, the docs):

- `X-Content-Type-Options: nosniff`: a JSON answer is never read as a script or a page;
- a Content-Security-Policy: a page sets its own (`tipline.html.rendering`); any answer without
  one gets `DEFAULT_POLICY`, which lets nothing load or run and no site frame it;
- `Referrer-Policy: same-origin` and `X-Frame-Options: DENY` (older browsers' frame-ancestors);
- HSTS when the request came over HTTPS (directly, or through a trusted proxy: `ForwardedScheme`).

A header an answer set itself is kept; only a missing one is added.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HSTS = "max-age=31536000"  # a year; not `includeSubDomains`: the host may not own its siblings
DEFAULT_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
DEFAULTS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": DEFAULT_POLICY,
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def complete(headers: MutableHeaders, https: bool) -> None:
    """Add the headers of `DEFAULTS` (and HSTS over HTTPS) that the answer has not set."""
    for name, value in DEFAULTS.items():
        headers.setdefault(name, value)
    if https:
        headers.setdefault("Strict-Transport-Security", HSTS)


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                complete(MutableHeaders(scope=message), https)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class ForwardedScheme:
    """Behind `trusted_proxies` reverse proxies (the setting rate limits read too), the scheme
    the outermost trusted proxy saw, from `X-Forwarded-Proto`: an answer to a visitor on HTTPS
    gets HSTS and `Secure` cookies even though the proxy speaks plain HTTP to tipline. Without
    a trusted proxy the header is ignored (a client could write it)."""

    def __init__(self, app: ASGIApp, trusted_proxies: int = 0) -> None:
        self.app = app
        self.trusted_proxies = trusted_proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.trusted_proxies > 0:
            scheme = forwarded_scheme(scope, self.trusted_proxies)
            if scheme is not None:
                scope = {**scope, "scheme": scheme}
        await self.app(scope, receive, send)


def forwarded_scheme(scope: Scope, trusted_proxies: int) -> str | None:
    """`http` or `https` as the outermost trusted proxy wrote it, or None."""
    raw = dict(scope.get("headers") or []).get(b"x-forwarded-proto", b"")
    hops = [hop.strip().lower() for hop in raw.decode("latin-1").split(",") if hop.strip()]
    if not hops:
        return None
    scheme = hops[-min(trusted_proxies, len(hops))]
    return scheme if scheme in ("http", "https") else None
