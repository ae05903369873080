"""A partner's TAXII 2.1 server, through the OASIS `taxii2-client`: its collections, their
objects page by page (with the date the server added the last object of each page), and
envelopes posted to the writable ones.

The client goes nowhere but the partner's server: API roots and redirects to another server are
refused, proxies and `.netrc` from the environment are ignored, and every request has a timeout.
Every failure becomes one `PartnerServerError` line that names no secret.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import requests
from requests.adapters import BaseAdapter, HTTPAdapter
from taxii2client.common import _HTTPConnection
from taxii2client.exceptions import TAXIIServiceException
from taxii2client.v21 import ApiRoot, Collection, Server

from tipline.errors import TiplineError
from tipline.sharing.sync.core import Credentials, envelope_text, origin, same_origin

TIMEOUT_SECONDS = 30
DATE_ADDED_LAST = "X-TAXII-Date-Added-Last"
STATUS_POLL_SECONDS = 0.2
STATUS_WAIT_SECONDS = 120
# What a server may answer a `next` it no longer knows (TAXII 2.1 leaves it to the server).
STALE_NEXT = frozenset({400, 404, 416})


class PartnerServerError(TiplineError):
    """The partner's server cannot be reached, refuses us, or does not speak TAXII 2.1
    (`http_status`: what it answered, when it did)."""

    status = 502
    code = "partner_server"

    def __init__(self, message: str, http_status: int | None = None) -> None:
        super().__init__(message)
        self.http_status = http_status


class _OffServer(Exception):
    """A request or redirect towards another server than the partner's."""


class _TimeoutAdapter(HTTPAdapter):
    def send(
        self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = TIMEOUT_SECONDS
        return super().send(request, *args, **kwargs)


class PartnerAuth(requests.auth.AuthBase):
    """HTTP Basic or `Authorization: Token …`, sent to the partner's server only; remembers the
    `X-TAXII-Date-Added-Last` of the last answer (taxii2-client returns bodies, not headers)."""

    def __init__(self, credentials: Credentials, server: str) -> None:
        self._credentials = credentials
        self._server = server
        self.date_added_last: str | None = None

    def __repr__(self) -> str:
        return f"PartnerAuth({self._credentials.auth}, {self._server!r})"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        if not same_origin(request.url or "", self._server):
            raise _OffServer(request.url)
        if self._credentials.auth == "token":
            request.headers["Authorization"] = f"Token {self._credentials.secret}"
        else:
            basic = requests.auth.HTTPBasicAuth(
                self._credentials.username, self._credentials.secret
            )
            basic(request)
        request.register_hook("response", self._remember)
        return request

    def _remember(self, response: requests.Response, *_args: Any, **_kwargs: Any) -> None:
        if response.is_redirect:
            target = urljoin(response.url, response.headers.get("Location", ""))
            if not same_origin(target, self._server):
                raise _OffServer(target)
        self.date_added_last = response.headers.get(DATE_ADDED_LAST)


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a collection's objects, the date the server added the last of them, and
    where the next page is."""

    objects: list[dict[str, Any]]
    date_added_last: str | None
    next: str | None  # the next page's token, None on the last page


@dataclass(frozen=True, slots=True)
class Pushed:
    """What a partner's server made of one envelope: the ids it accepted, and those it
    rejected (its status listed them as failed) with the reason it gave, if any."""

    accepted: set[str]
    rejected: dict[str, str]


def _where(url: str) -> str:
    scheme, host, port = origin(url)
    return f"{scheme}://{host}:{port}"


@contextmanager
def plain_errors(url: str) -> Iterator[None]:
    """Whatever goes wrong talking to the server at `url`, as one `PartnerServerError` line."""
    where = _where(url)
    try:
        yield
    except _OffServer as error:
        message = f"{where} sent us to another server ({_where(str(error))}): refused"
        raise PartnerServerError(message) from None
    except requests.HTTPError as error:
        code = error.response.status_code if error.response is not None else 0
        if code in (401, 403):
            message = f"{where} refused our credentials (HTTP {code}): check the endpoint's"
            raise PartnerServerError(message + " user and password or token") from None
        raise PartnerServerError(f"{where} answered HTTP {code}", code) from None
    except (requests.ConnectionError, requests.Timeout):
        raise PartnerServerError(f"cannot reach {where}: is the URL right and up?") from None
    except requests.RequestException as error:
        raise PartnerServerError(f"{where}: {type(error).__name__}") from None
    except (TAXIIServiceException, ValueError, KeyError, TypeError):
        raise PartnerServerError(f"{where} does not answer as a TAXII 2.1 server") from None


class PartnerServer:
    """The TAXII 2.1 server at `url` (its discovery, or one API root), signed in to with
    `credentials`. Use it as a context manager: it closes its connections. (`transport`: how
    requests travel, a timed HTTP adapter unless a test gives its own.)"""

    def __init__(
        self, url: str, credentials: Credentials, transport: BaseAdapter | None = None
    ) -> None:
        self.url = url
        self.auth = PartnerAuth(credentials, url)
        self._conn = _HTTPConnection(version="2.1", auth=self.auth)
        self._conn.session.trust_env = False  # no proxy or .netrc from the environment
        for scheme in ("http://", "https://"):
            self._conn.session.mount(scheme, transport or _TimeoutAdapter())

    def __enter__(self) -> PartnerServer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._conn.close()

    def api_roots(self) -> list[ApiRoot]:
        """The API roots on this server: those its discovery lists, or the URL itself."""
        with plain_errors(self.url):
            listed = [r.url for r in Server(self.url, conn=self._conn).api_roots]
            urls = [u for u in listed if same_origin(u, self.url)]
            if listed and not urls:
                raise _OffServer(listed[0])
            roots = [ApiRoot(u, conn=self._conn) for u in urls or [self.url]]
            for root in roots:
                root.refresh_information()
            return roots

    def collections(self) -> list[Collection]:
        """Every collection of every API root, in the server's order."""
        with plain_errors(self.url):
            return [c for root in self.api_roots() for c in root.collections]

    def pages(
        self, collection: Collection, added_after: str | None, limit: int,
        resume: str | None = None,
    ) -> Iterator[Page]:  # fmt: skip
        """The collection's objects added after `added_after`, oldest first, `limit` a page;
        from the page `resume` (a `next` kept from an interrupted run) when the server still
        knows it, else from the start."""
        cursor = resume
        while True:
            try:
                envelope = self._objects(collection, added_after, limit, cursor)
            except PartnerServerError as error:
                if cursor is None or cursor != resume or error.http_status not in STALE_NEXT:
                    raise
                cursor = resume = None  # the server forgot the page: from `added_after` again
                continue
            objects = list(envelope.get("objects", []))
            cursor = envelope.get("next") if envelope.get("more") else None
            yield Page(objects, self.auth.date_added_last, cursor)
            if cursor is None:
                return

    def _objects(
        self, collection: Collection, added_after: str | None, limit: int, cursor: str | None
    ) -> dict[str, Any]:
        with plain_errors(self.url):
            self.auth.date_added_last = None
            filters: dict[str, Any] = {"limit": limit}
            if added_after:
                filters["added_after"] = added_after
            if cursor:
                filters["next"] = cursor
            envelope: dict[str, Any] = collection.get_objects(**filters)
            return envelope

    def push(self, collection: Collection, batch: list[tuple[str, str]]) -> Pushed:
        """Post one envelope: the ids of its objects the server accepted (not reported as
        failed or pending), and those it reported as failed with the reason it gave."""
        with plain_errors(self.url):
            status = collection.add_objects(
                envelope_text(batch),
                wait_for_completion=True,
                poll_interval=STATUS_POLL_SECONDS,
                timeout=STATUS_WAIT_SECONDS,
            )
            unsure = status.failure_count + status.pending_count
            failures = [f for f in status.failures if isinstance(f, dict) and f.get("id")]
            pending = {p.get("id") for p in status.pendings if isinstance(p, dict)}
        sent = {stix_id for stix_id, _ in batch}
        rejected = {str(f["id"]): str(f.get("message") or "") for f in failures if f["id"] in sent}
        if unsure and not failures and not pending:  # counts without ids: take none as sent
            return Pushed(set(), {})
        return Pushed(sent - set(rejected) - pending, rejected)
