"""A limit on request bodies, checked before anything reads them (declared or streamed size)."""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tipline.vocabulary import API_BODY_BYTES, PAGE_BODY_BYTES

# Evidence uploads (tipline.evidence) may carry up to Settings.evidence_max_bytes, plus the form.
EVIDENCE_UPLOAD = re.compile(r"^(/api/v1)?/(reports|cases)/\d+/evidence$")
FORM_ENVELOPE_BYTES = 64 * 1024


class BodyTooLarge(HTTPException):
    """Raised while a body streams in; an HTTP error, so the app's handler answers 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body larger than {limit} bytes")


class BodyLimit:
    """Answers 413 to a body larger than the limit of its path, declared or as it streams in.

    Under a protocol's prefix (`protocols`: prefix → limit) it answers nothing itself: the
    protocol's application gets `BodyTooLarge` from its first read and answers in its format.
    """

    def __init__(
        self, app: ASGIApp, api_prefix: str = "/api/", protocols: dict[str, int] | None = None
    ) -> None:
        self.app = app
        self.api_prefix = api_prefix
        self.protocols = protocols or {}

    def protocol_of(self, path: str) -> str | None:
        return next((p for p in self.protocols if path == p or path.startswith(f"{p}/")), None)

    def limit_for(self, path: str, app: Any = None) -> int:
        if (protocol := self.protocol_of(path)) is not None:
            return self.protocols[protocol]
        settings = getattr(getattr(app, "state", None), "settings", None)
        if settings is not None and EVIDENCE_UPLOAD.match(path):
            return int(settings.evidence_max_bytes) + FORM_ENVELOPE_BYTES
        return API_BODY_BYTES if path.startswith(self.api_prefix) else PAGE_BODY_BYTES

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"], scope.get("app"))
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        declared_too_large = declared.isdigit() and int(declared) > limit
        if declared_too_large and self.protocol_of(scope["path"]) is None:
            await _too_large(scope, send, limit)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit or declared_too_large:
                    raise BodyTooLarge(limit)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched_send)
        except BodyTooLarge:
            if not started:
                await _too_large(scope, send, limit)


TOO_LARGE = {
    "vi": "Yêu cầu quá lớn: tối đa {megabytes} MB.",
    "en": "Request too large: at most {megabytes} MB.",
}


async def _too_large(scope: Scope, send: Send, limit: int) -> None:
    from starlette.requests import Request

    from tipline.server.problems import request_language

    language = request_language(Request(scope))
    message = TOO_LARGE[language].format(megabytes=limit // (1024 * 1024))
    body = json.dumps(
        {"error": {"code": "too_large", "message": message, "field": None}}, ensure_ascii=False
    ).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
