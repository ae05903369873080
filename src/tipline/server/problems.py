"""Every error the API answers, as `{"error": {"code", "message", "field"}}`, in vi or en.

Validation errors name the field and say what is wrong in the reader's language (the pages' rule:
`tipline.html.language`); an unexpected error says nothing of the request (reports
are personal data) and is logged by its type only.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from tipline.errors import NotAuthenticated, TiplineError, TooManyRequests
from tipline.html.language import request_language as page_language
from tipline.html.protection import FormExpired
from tipline.html.rendering import error_page
from tipline.messages import MESSAGES, localise
from tipline.server.headers import complete
from tipline.vocabulary import LANGUAGES

log = logging.getLogger("tipline.server")

HTTP_MESSAGES: dict[int, dict[str, str]] = {
    404: {"vi": "Không tìm thấy.", "en": "Not found."},
    405: {"vi": "Phương thức không được hỗ trợ.", "en": "Method not allowed."},
    413: {"vi": "Yêu cầu quá lớn.", "en": "Request too large."},
    429: {
        "vi": "Quá nhiều yêu cầu: hãy thử lại sau {seconds} giây.",
        "en": "Too many requests: try again in {seconds} seconds.",
    },
}
INTERNAL = {"vi": "Lỗi máy chủ; vui lòng thử lại sau.", "en": "Server error; please try again."}


def request_language(request: Request) -> str:
    """The reader's language (the pages' rule) when the API's messages speak it, else English."""
    language = page_language(request)
    return language if language in LANGUAGES else "en"


def _body(code: str, message: str, field: str | None, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field, **extra}}


async def on_tipline_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TiplineError)
    if isinstance(exc, NotAuthenticated):
        if _wants_page(request):  # a person opening a staff page: to the sign-in page, and back
            here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            back = f"?{urlencode({'next': here})}" if request.method == "GET" else ""
            return RedirectResponse(f"/login{back}", status_code=303)
        headers = {"WWW-Authenticate": "Bearer"} if request.url.path.startswith("/api/") else None
        body = _body(exc.code, exc.message, exc.field)
        return JSONResponse(body, status_code=exc.status, headers=headers)
    if isinstance(exc, TooManyRequests):
        return _too_many(request, exc)
    if isinstance(exc, FormExpired) and not request.url.path.startswith("/api/"):
        return error_page(request, exc.status, "error.form_expired")
    if _wants_page(request):  # a person: a page, not JSON
        return error_page(request, exc.status)
    return JSONResponse(_body(exc.code, exc.message, exc.field), status_code=exc.status)


def _too_many(request: Request, exc: TooManyRequests) -> Response:
    """429 with `Retry-After`: a page on page paths, else JSON, in the reader's language."""
    headers = {"Retry-After": str(exc.retry_after)}
    if not request.url.path.startswith("/api/"):
        page = error_page(request, exc.status, "error.too_many_requests")
        page.headers.update(headers)
        return page
    message = HTTP_MESSAGES[429][request_language(request)].format(seconds=exc.retry_after)
    return JSONResponse(_body(exc.code, message, None), status_code=exc.status, headers=headers)


def _wants_page(request: Request) -> bool:
    """A person's browser (it asks for HTML) off the API: every error answers it a page."""
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
        "accept", ""
    )


async def on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if _wants_page(request):
        return error_page(request, 422)
    language = request_language(request)
    details = [localise(dict(error), language) for error in exc.errors()]
    first: dict[str, Any] = details[0] if details else {"field": None, "code": "invalid"}
    message = str(first.get("message") or MESSAGES["invalid"][language])
    body = _body("invalid_input", message, first["field"], details=details)
    return JSONResponse(body, status_code=422)


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if _wants_page(request):  # an unknown address, a wrong method: a page
        page = error_page(request, exc.status_code)
        page.headers.update(getattr(exc, "headers", None) or {})
        return page
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


async def on_unexpected_error(request: Request, exc: Exception) -> Response:
    # The type only: the message or traceback could quote a victim's narrative.
    log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path)
    if _wants_page(request):
        answer: Response = error_page(request, 500)
    else:
        body = _body("internal", INTERNAL[request_language(request)], None)
        answer = JSONResponse(body, status_code=500)
    # Starlette answers an unexpected error outside every middleware: its headers are added here.
    complete(answer.headers, request.url.scheme == "https")
    return answer


def install(app: FastAPI) -> None:
    """Register the handlers on `app`."""
    app.add_exception_handler(TiplineError, on_tipline_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected_error)
