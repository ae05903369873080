"""Lone surrogates in JSON bodies made U+FFFD before the application reads them.

JSON may carry a lone surrogate (`"\\udc80"`, or its three UTF-8-like bytes, which Python's
`json` reads with `surrogatepass`): a `str` that no UTF-8 encoder takes. Left in, it fails when
the answer that names it is written, after the work is done (a report stored, its receipt lost
to a 500). Every other character, and a NUL (`tipline.db` makes those storable), goes through.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tipline.messages import storable

# A surrogate's escape, or its bytes: cheap to look for, rare in what people send.
_SUSPECT = re.compile(rb"\\u[dD][89a-fA-F]|\xed[\xa0-\xbf]")
_BODY_METHODS = {"POST", "PUT", "PATCH"}


def _storable_texts(value: Any) -> Any:
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, dict):
        return {storable(key): _storable_texts(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_storable_texts(item) for item in value]
    return value


def storable_json(body: bytes) -> bytes:
    """`body` with every lone surrogate of its texts (keys too) made U+FFFD; unchanged when it
    has none, or is not JSON (the application answers that)."""
    if not _SUSPECT.search(body):
        return body
    try:
        value = json.loads(body)
    except ValueError:
        return body
    return json.dumps(_storable_texts(value), ensure_ascii=False).encode()


def _is_json(scope: Scope, prefix: str) -> bool:
    if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
        return False
    if not scope["path"].startswith(prefix):
        return False
    kind = dict(scope.get("headers") or []).get(b"content-type", b"").split(b";")[0].strip()
    return kind.endswith((b"/json", b"+json"))


class StorableJSON:
    """Reads a JSON request's body under `prefix` whole (BodyLimit, outside, bounds it) and
    hands the application `storable_json` of it. (The standard protocols' applications, at
    their own prefixes, read their bodies themselves: a protocol answers a too large body in
    its own format.)"""

    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_json(scope, self.prefix):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        last: Message | None = None
        while True:
            message = await receive()
            if message["type"] != "http.request":
                last = message  # the client left: the application hears it after the body
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = storable_json(b"".join(chunks))
        pending: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]
        pending += [last] if last is not None else []

        async def replayed() -> Message:
            return pending.pop(0) if pending else await receive()

        await self.app(scope, replayed, send)
