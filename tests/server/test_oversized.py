"""Oversized bodies to every route that takes one: a 413, decided without reading the body.

Each request is sent straight to the ASGI application, whose `receive` counts what the
application pulls: a body declared too large (Content-Length) is refused before any of it is
read; a chunked one (no Content-Length, as a slow or hostile client streams it) is refused once
the limit is passed, never read to its end. Routes that take no body never read it at all.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker
from tests.accounts.test_access_matrix import dummy_path, endpoints
from tests.server.test_hostile_input import form_fields

from tipline.access import Principal, Role, get_principal
from tipline.app import create_app
from tipline.server.limits import BodyLimit
from tipline.settings import Settings

CHUNK = b"x" * (64 * 1024)
ENDLESS = 4  # a chunked body is this many times its route's limit: "endless"


@dataclass
class Sent:
    """What one request's application pulled and answered."""

    pulled: int = 0
    status: int = 0


async def _call(app: FastAPI, method: str, path: str, kind: bytes, declared: int | None,
                limit: int) -> Sent:  # fmt: skip
    sent = Sent()
    headers = [(b"content-type", kind), (b"host", b"testserver")]
    headers += [(b"content-length", str(declared).encode())] if declared is not None else []
    headers += [(b"transfer-encoding", b"chunked")] if declared is None else []
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "",
        "query_string": b"", "headers": headers, "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80), "app": app,
    }  # fmt: skip
    endless = ENDLESS * limit

    async def receive() -> dict[str, object]:
        if sent.pulled >= endless:
            return {"type": "http.request", "body": b"", "more_body": False}
        sent.pulled += len(CHUNK)
        return {"type": "http.request", "body": CHUNK, "more_body": True}

    async def send(message: dict[str, object]) -> None:
        if message["type"] == "http.response.start":
            sent.status = int(message["status"])  # type: ignore[call-overload]

    await app(scope, receive, send)  # type: ignore[arg-type]
    return sent


def _kind(fields: list[str], files: list[str]) -> bytes:
    if files:
        return b"multipart/form-data; boundary=oversized"
    if fields:
        return b"application/x-www-form-urlencoded"
    return b"application/json"


def test_every_oversized_body_is_refused_before_it_is_read(
    settings: Settings, session_factory: sessionmaker[Session]
) -> None:
    app = create_app(settings=settings, session_factory=session_factory)
    app.dependency_overrides[get_principal] = lambda: Principal(1, "lan", Role.ADMIN, "session")
    limits = BodyLimit(app, api_prefix="/api/")
    wrong: list[str] = []
    refused = 0
    for endpoint in endpoints(app):
        path = dummy_path(endpoint)
        limit = limits.limit_for(path, app)
        fields, files = form_fields(endpoint)
        reads_body = bool(endpoint.dependant.body_params)
        kind = _kind(fields, files)
        for method in sorted(endpoint.methods & {"POST", "PUT", "PATCH"}):
            for declared in (limit + 1, None):
                sent = asyncio.run(_call(app, method, path, kind, declared, limit))
                how = "declared" if declared else "chunked"
                if sent.pulled > (0 if declared else limit + len(CHUNK)):
                    wrong.append(f"{method} {path} ({how}): read {sent.pulled} bytes")
                if reads_body and sent.status != 413:
                    wrong.append(f"{method} {path} ({how}): {sent.status}")
                refused += sent.status == 413
    assert refused > 50
    assert not wrong, "\n".join(wrong)
