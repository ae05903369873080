"""A test-only protocol API, shaped as TAXII 2.1 will be: its own media type, HTTP Basic or
`Authorization: Token` authentication, and error objects of its own (TAXII's `title`,
`description`, `http_status`), mounted at /sample through a capability's `protocol`."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp

from tipline.server.protocols import ProtocolContext, ProtocolMount

MEDIA_TYPE = "application/taxii+json;version=2.1"
TOKEN = "sample-token"
BASIC = ("partner", "sample-password")
BODY_LIMIT = 1024


class SampleJSON(JSONResponse):
    media_type = MEDIA_TYPE


def error_object(status: int, title: str, description: str = "") -> dict[str, Any]:
    return {"title": title, "description": description, "http_status": str(status)}


def authenticated(request: Request) -> str:
    """The caller's name, from `Token <secret>` or Basic credentials; 401 otherwise."""
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "token" and credentials == TOKEN:
        return "token"
    if scheme.lower() == "basic":
        try:
            user, _, password = base64.b64decode(credentials).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            user, password = "", ""
        if (user, password) == BASIC:
            return user
    raise HTTPException(401, "authentication required", headers={"WWW-Authenticate": "Basic"})


async def on_http_error(request: Request, exc: Exception) -> SampleJSON:
    assert isinstance(exc, HTTPException)
    body = error_object(exc.status_code, str(exc.detail))
    return SampleJSON(body, status_code=exc.status_code, headers=exc.headers)


async def on_invalid(request: Request, exc: Exception) -> SampleJSON:
    assert isinstance(exc, RequestValidationError)
    return SampleJSON(error_object(400, "invalid request", str(exc.errors()[0]["msg"])), 400)


def build(context: ProtocolContext) -> ASGIApp:
    sample = FastAPI(title="sample protocol", docs_url=None, redoc_url=None)
    sample.state.settings = context.settings
    sample.state.session_factory = context.session_factory
    sample.add_exception_handler(HTTPException, on_http_error)
    sample.add_exception_handler(RequestValidationError, on_invalid)

    @sample.get("/", response_class=SampleJSON)
    def discovery(caller: str = Depends(authenticated)) -> dict[str, Any]:
        return {"title": "sample", "default": "/sample/root/", "caller": caller}

    @sample.get("/root/collections/{number}/", response_class=SampleJSON)
    def collection(number: int, caller: str = Depends(authenticated)) -> dict[str, Any]:
        return {"id": number}

    @sample.post("/root/collections/{number}/objects/", response_class=SampleJSON)
    async def add_objects(
        number: int, request: Request, caller: str = Depends(authenticated)
    ) -> dict[str, Any]:
        return {"received": len(await request.body())}

    return sample


protocol = ProtocolMount("/sample", build, body_limit=BODY_LIMIT)
