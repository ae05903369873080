"""One error hierarchy: each error carries a message, an HTTP status and a stable code."""

from __future__ import annotations


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
