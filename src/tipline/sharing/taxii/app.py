"""The TAXII 2.1 server as its own application, mounted at /taxii2 (`tipline.sharing.routes`):
its media type, its authentication and its error objects for every error, tipline's own
handlers never reached.

    /taxii2/                                              discovery
    /taxii2/tipline/                                      the API root
    /taxii2/tipline/collections/                          the caller's collections
    /taxii2/tipline/collections/{id}/                     one of them (by id or alias)
    /taxii2/tipline/collections/{id}/objects/             GET a page, POST an envelope
    /taxii2/tipline/collections/{id}/objects/{object}/    one object
    /taxii2/tipline/collections/{id}/objects/{object}/versions/
    /taxii2/tipline/collections/{id}/manifest/
    /taxii2/tipline/status/{id}/                          a POSTed envelope's status
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from tipline.principals import Principal
from tipline.server.limits import API_BODY_BYTES
from tipline.server.protocols import ProtocolContext
from tipline.sharing.taxii import service
from tipline.sharing.taxii.auth import authenticate
from tipline.sharing.taxii.collections import API_ROOT, api_root, discovery
from tipline.sharing.taxii.core import (
    MEDIA_TYPE,
    ObjectQuery,
    TaxiiError,
    accepts_taxii,
    date_added_headers,
    envelope_json,
    error_object,
    is_taxii_content,
    object_query,
)
from tipline.sharing.taxii.imports import import_objects

HTTP_TITLES = {404: "not found", 405: "method not allowed", 413: "request too large"}
BODY_LIMIT = API_BODY_BYTES  # a POSTed envelope; the API root says it (`max_content_length`)


class TaxiiResponse(Response):
    media_type = MEDIA_TYPE


def answer(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    content = body if isinstance(body, bytes) else json.dumps(body, separators=(",", ":"))
    return TaxiiResponse(content, status, dict(headers or {}))


def answer_page(page: service.Page, body: bytes | dict[str, Any]) -> Response:
    return answer(body, headers=date_added_headers(page.first, page.last))


@dataclass(frozen=True, slots=True)
class Taxii:
    """The server's endpoints, on the app's settings, sessions and credential checks."""

    context: ProtocolContext
    body_limit: int
    importer: service.Importer

    @contextmanager
    def call(self, request: Request) -> Iterator[tuple[Session, Principal]]:
        """A session and the authenticated caller of a request that accepts TAXII 2.1."""
        with self.context.session_factory() as session:
            caller = authenticate(session, request, self.context)
            if not accepts_taxii(request.headers.get("accept")):
                raise TaxiiError(406, "not acceptable", f"this server answers in {MEDIA_TYPE}",
                                 code="not_acceptable")  # fmt: skip
            root = request.path_params.get("root")
            if root is not None and root != API_ROOT:
                raise TaxiiError(404, "no such API root", code="api_root_not_found")
            yield session, caller

    def discovery(self, request: Request) -> Response:
        with self.call(request):
            return answer(discovery(request.scope.get("root_path", "")))

    def api_root(self, request: Request) -> Response:
        with self.call(request):
            return answer(api_root(self.body_limit))

    def collections(self, request: Request) -> Response:
        with self.call(request) as (session, caller):
            found = service.collections_of(session, caller)
            return answer({"collections": [c.resource() for c in found]} if found else {})

    def collection(self, request: Request) -> Response:
        with self.call(request) as (session, caller):
            collection_id = request.path_params["collection"]
            return answer(service.collection_for(session, caller, collection_id).resource())

    def objects(self, request: Request) -> Response:
        with self.call(request) as (session, caller):
            query = _query(request)
            page = service.objects_page(session, caller, request.path_params["collection"], query)
            return answer_page(page, envelope_json(page.items, page.more, page.next))

    def one_object(self, request: Request) -> Response:
        with self.call(request) as (session, caller):
            collection, object_id = request.path_params["collection"], request.path_params["object"]
            query = _query(request)
            page = service.one_object(session, caller, collection, object_id, query)
            return answer_page(page, envelope_json(page.items, page.more, page.next))

    def versions(self, request: Request) -> Response:
        with self.call(request) as (session, caller):
            collection, object_id = request.path_params["collection"], request.path_params["object"]
            page = service.versions_of(session, caller, collection, object_id, _query(request))
            versions = [record["version"] for record in page.items]
            return answer_page(page, _paged_body(page, "versions", versions))

    def manifest(self, request: Request) -> Response:
        with self.call(request) as (session, caller):
            query = _query(request)
            page = service.manifest_page(session, caller, request.path_params["collection"], query)
            return answer_page(page, _paged_body(page, "objects", page.items))

    def status(self, request: Request) -> Response:
        with self.call(request) as (session, caller):
            return answer(service.status_of(session, caller, request.path_params["status"]))

    async def add_objects(self, request: Request) -> Response:
        body = await request.body()  # at most the body limit, or a 413
        return await run_in_threadpool(self._add, request, body)

    def _add(self, request: Request, body: bytes) -> Response:
        with self.call(request) as (session, caller):
            if not is_taxii_content(request.headers.get("content-type")):
                raise TaxiiError(415, "unsupported media type",
                                 f"send the envelope as {MEDIA_TYPE}",
                                 code="unsupported_media_type")  # fmt: skip
            try:
                envelope = json.loads(body)
            except ValueError:
                raise TaxiiError(400, "the body is not JSON", code="invalid_json") from None
            collection = request.path_params["collection"]
            status = service.add_objects(session, caller, collection, envelope, self.importer)
            return answer(status, 202)

    def routes(self) -> list[Route]:
        objects = "/{root}/collections/{collection}/objects/"
        return [
            Route("/", self.discovery),
            Route("/{root}/", self.api_root),
            Route("/{root}/collections/", self.collections),
            Route("/{root}/collections/{collection}/", self.collection),
            Route(objects, self.objects, methods=["GET"]),
            Route(objects, self.add_objects, methods=["POST"]),
            Route(objects + "{object}/", self.one_object),
            Route(objects + "{object}/versions/", self.versions),
            Route("/{root}/collections/{collection}/manifest/", self.manifest),
            Route("/{root}/status/{status}/", self.status),
        ]


def _query(request: Request) -> ObjectQuery:
    parameters: dict[str, Sequence[str]] = {
        name: request.query_params.getlist(name) for name in request.query_params
    }
    return object_query(parameters)


def _paged_body(page: service.Page, name: str, items: list[Any]) -> dict[str, Any]:
    body: dict[str, Any] = {"more": page.more}
    if page.more and page.next:
        body["next"] = page.next
    return body | ({name: items} if items else {})


async def on_taxii_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TaxiiError)
    return answer(error_object(exc.status, exc.title, exc.description, exc.code), exc.status,
                  exc.headers)  # fmt: skip


async def on_http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own (an unknown path, a method, a body over the limit) as TAXII's."""
    assert isinstance(exc, HTTPException)
    title = HTTP_TITLES.get(exc.status_code, "request refused")
    return answer(error_object(exc.status_code, title, str(exc.detail)), exc.status_code,
                  exc.headers)  # fmt: skip


async def on_crash(request: Request, exc: Exception) -> Response:
    return answer(error_object(500, "internal error", code="internal_error"), 500)


def build(context: ProtocolContext, importer: service.Importer | None = None) -> ASGIApp:
    """The TAXII server on the app's context (what `ProtocolMount` mounts at /taxii2)."""
    taxii = Taxii(context, BODY_LIMIT, importer or import_objects)
    handlers: dict[Any, Callable[[Request, Exception], Any]] = {
        TaxiiError: on_taxii_error,
        HTTPException: on_http_error,
        Exception: on_crash,
    }
    return Starlette(routes=taxii.routes(), exception_handlers=handlers)
