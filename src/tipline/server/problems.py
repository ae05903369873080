"""Every error the API answers, as `{"error": {"code", "message", "field"}}`, in vi or en.

Validation errors name the field and say what is wrong in the reader's language (`?lang=`, else
`Accept-Language`, else Vietnamese); an unexpected error says nothing of the request (reports
are personal data) and is logged by its type only.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from tipline.errors import NotAuthenticated, TiplineError
from tipline.messages import MESSAGES, localise
from tipline.vocabulary import DEFAULT_LANGUAGE, LANGUAGES

log = logging.getLogger("tipline.server")
# How the pages show an error to a person (the app passes the web layer's): server knows no page.
ErrorPage = Callable[[Request, int], Response]

HTTP_MESSAGES: dict[int, dict[str, str]] = {
    404: {"vi": "Không tìm thấy.", "en": "Not found."},
    405: {"vi": "Phương thức không được hỗ trợ.", "en": "Method not allowed."},
    413: {"vi": "Yêu cầu quá lớn.", "en": "Request too large."},
}
INTERNAL = {"vi": "Lỗi máy chủ; vui lòng thử lại sau.", "en": "Server error; please try again."}


def request_language(request: Request) -> str:
    """`?lang=`, else the first of vi/en in Accept-Language, else vi."""
    asked = request.query_params.get("lang", "").lower()
    if asked in LANGUAGES:
        return asked
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return DEFAULT_LANGUAGE


def _body(code: str, message: str, field: str | None, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field, **extra}}


def on_tipline_error(error_page: ErrorPage) -> Callable[[Request, Exception], Awaitable[Response]]:
    """The handler of TiplineError: JSON, or for a person opening a page, `error_page`."""

    async def answer(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, TiplineError)
        if isinstance(exc, NotAuthenticated):
            if _wants_page(request):  # a person opening a staff page: to sign in, and back
                here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/login?{urlencode({'next': here})}", status_code=303)
            api = request.url.path.startswith("/api/")
            headers = {"WWW-Authenticate": "Bearer"} if api else None
            body = _body(exc.code, exc.message, exc.field)
            return JSONResponse(body, status_code=exc.status, headers=headers)
        if _wants_page(request) and exc.status in (403, 404):  # a person: a page, not JSON
            return error_page(request, exc.status)
        return JSONResponse(_body(exc.code, exc.message, exc.field), status_code=exc.status)

    return answer


def _wants_page(request: Request) -> bool:
    return (
        request.method == "GET"
        and not request.url.path.startswith("/api/")
        and "text/html" in request.headers.get("accept", "")
    )


async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    language = request_language(request)
    details = [localise(dict(error), language) for error in exc.errors()]
    first: dict[str, Any] = details[0] if details else {"field": None, "code": "invalid"}
    message = str(first.get("message") or MESSAGES["invalid"][language])
    body = _body("invalid_input", message, first["field"], details=details)
    return JSONResponse(body, status_code=422)


async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    language = request_language(request)
    message = HTTP_MESSAGES.get(exc.status_code, {}).get(language) or str(exc.detail or "")
    code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(
        exc.status_code, "http_error"
    )
    return JSONResponse(
        _body(code, message, None),
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


async def on_unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    # The type only: the message or traceback could quote a victim's narrative.
    log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path)
    language = request_language(request)
    return JSONResponse(_body("internal", INTERNAL[language], None), status_code=500)


def install(app: FastAPI, error_page: ErrorPage) -> None:
    """Register the handlers on `app`; `error_page` shows a 403 or 404 to a person."""
    app.add_exception_handler(TiplineError, on_tipline_error(error_page))
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected_error)
