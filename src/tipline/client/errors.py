"""What can go wrong talking to a tipline server, each with what the server said.

`Refused` is the server's own answer to a request it will not serve (4xx): its `status`, its
stable `code` and its `message` (in the client's language), and the `field` it names. The
others are the network's and the server's failures, raised once the retries are spent.
"""

from __future__ import annotations


class ClientError(Exception):
    """Base of every error the tipline client raises."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Refused(ClientError):
    """The server refused the request (4xx): `status`, `code`, `message`, `field`."""

    def __init__(
        self, message: str, *, status: int, code: str = "refused", field: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.field = field

    def __str__(self) -> str:
        return f"{self.message} ({self.status} {self.code})"


class InvalidValue(Refused):
    """The value (or another parameter) is not one the server reads (422), or a value the
    client read itself, the server's way, and found to be no indicator."""


class NotAuthorised(Refused):
    """No token, a bad token (401), or a token whose role may not use the endpoint (403)."""


class NotFound(Refused):
    """No such endpoint or object (404): often a server without that capability."""


class RateLimited(Refused):
    """Over the server's rate limit (429) for longer than the client was told to wait;
    `retry_after` is the server's `Retry-After` in seconds (None when it gave none)."""

    def __init__(self, message: str, *, retry_after: float | None, code: str = "") -> None:
        super().__init__(message, status=429, code=code or "too_many_requests")
        self.retry_after = retry_after


class ServerError(ClientError):
    """The server failed (5xx) on every try."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


class Unavailable(ServerError):
    """The server cannot answer this yet (503 `not_ready`: a private check whose keyed set
    was never built): not tried again."""


class Unreachable(ClientError):
    """No answer from the server on every try: refused connection, timeout, bad address."""


class BadAnswer(ClientError):
    """An answer that is not what a tipline server sends (not JSON, missing fields): the URL
    is probably not a tipline server's."""
