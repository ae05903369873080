"""The pure rules of syncing with a partner's TAXII server: what an endpoint may be, which URLs
the client may follow (the partner's server only), and how objects are cut into envelopes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

AUTHS = ("basic", "token")
MAX_URL_LENGTH = 500
MAX_USERNAME_LENGTH = 200
MAX_SECRET_LENGTH = 1000
# A TAXII page asked for (the server may give fewer) and a pushed envelope's objects.
PAGE_LIMIT = 1000
PUSH_OBJECTS = 500
# An envelope's bytes when the API root states no max_content_length.
PUSH_BYTES = 10 * 1024 * 1024
_ENVELOPE_OVERHEAD = len('{"objects":[]}')


@dataclass(frozen=True, slots=True)
class Credentials:
    """How we sign in to a partner's server; the secret is never shown by repr."""

    auth: str  # basic or token
    username: str
    secret: str = field(repr=False)


def origin(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL: `http://Host:80/x` → ('http', 'host', 80)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or (443 if scheme == "https" else 80)
    return scheme, (parts.hostname or "").lower(), port


def same_origin(url: str, allowed: str) -> bool:
    """Whether `url` is on the server of `allowed` (same scheme, host and port)."""
    return origin(url) == origin(allowed)


def url_problem(url: str) -> str | None:
    """Why a server's URL cannot be used, or None."""
    if len(url) > MAX_URL_LENGTH:
        return f"a URL has at most {MAX_URL_LENGTH} characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError on a port out of range)
    except ValueError:
        return f"not a URL: {url!r}"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "a TAXII server's URL starts with https:// (or http://) and names a host"
    if parts.username or parts.password:
        return "give the credentials with --user and a password or --token, not in the URL"
    return None


def credentials_problem(credentials: Credentials) -> str | None:
    """Why credentials cannot be stored, or None."""
    if credentials.auth not in AUTHS:
        return f"the authentication is one of {', '.join(AUTHS)}"
    if credentials.auth == "basic" and not credentials.username:
        return "HTTP Basic needs a username (--user)"
    if len(credentials.username) > MAX_USERNAME_LENGTH:
        return f"a username has at most {MAX_USERNAME_LENGTH} characters"
    if not credentials.secret:
        return "a password or a token is needed"
    if len(credentials.secret) > MAX_SECRET_LENGTH:
        return f"a password or token has at most {MAX_SECRET_LENGTH} characters"
    return None


def normal_url(url: str) -> str:
    """A server's URL as stored: trimmed, with the trailing slash TAXII's URLs end with."""
    clean = url.strip()
    return clean if clean.endswith("/") else clean + "/"


def envelopes(
    bodies: Iterable[tuple[str, str]], max_objects: int = PUSH_OBJECTS, max_bytes: int = PUSH_BYTES
) -> Iterator[list[tuple[str, str]]]:
    """(stix id, JSON) pairs cut into envelopes of at most `max_objects` objects and about
    `max_bytes` bytes (a single larger object goes alone, and the server may refuse it)."""
    batch: list[tuple[str, str]] = []
    size = _ENVELOPE_OVERHEAD
    for stix_id, body in bodies:
        length = len(body.encode("utf-8")) + 1
        if batch and (len(batch) >= max_objects or size + length > max_bytes):
            yield batch
            batch, size = [], _ENVELOPE_OVERHEAD
        batch.append((stix_id, body))
        size += length
    if batch:
        yield batch


def envelope_text(batch: list[tuple[str, str]]) -> str:
    """The JSON of a TAXII envelope holding these objects (their JSON as published)."""
    return '{"objects":[' + ",".join(body for _, body in batch) + "]}"
