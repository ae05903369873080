"""One error hierarchy: each error carries a message, an HTTP status and a stable code."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class TiplineError(Exception):
    """Base of every error tipline raises on purpose."""

    status: int = 400
    code: str = "bad_request"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(TiplineError):
    status = 422
    code = "invalid_input"


class NotFound(TiplineError):
    status = 404
    code = "not_found"


class NotAuthenticated(TiplineError):
    status = 401
    code = "not_authenticated"


class NotPermitted(TiplineError):
    status = 403
    code = "not_permitted"


class Conflict(TiplineError):
    status = 409
    code = "conflict"


class TooLarge(TiplineError):
    status = 413
    code = "too_large"


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None


class ErrorBody(BaseModel):
    """How the API answers every error (tipline.server.problems writes it)."""

    error: ErrorDetail


_MEANINGS = {
    400: "The body is not well-formed (e.g. a broken multipart upload).",
    401: "Not signed in: no session and no valid bearer token.",
    403: "The caller's role may not use this endpoint.",
    404: "No such object.",
    409: "The change conflicts with the object's state.",
    413: "The body or file is larger than allowed.",
    422: "A parameter or the body is invalid; `field` names it.",
    429: "Too many requests from this address: wait the `Retry-After` header's seconds.",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI `responses` of a route that answers these error statuses."""
    return {status: {"model": ErrorBody, "description": _MEANINGS[status]} for status in statuses}


class TooManyRequests(TiplineError):
    """Over a rate limit: `retry_after` seconds until the caller may try again."""

    status = 429
    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
