"""A small TAXII 2.1 server written from the spec, in memory, for the client's tests: one API
root with a readable and a writable collection, `added_after`/`limit`/`next`, the
`X-TAXII-Date-Added-*` headers, HTTP Basic or Token authentication, envelopes POSTed into a
list; and a `requests` transport that hands requests to it without a socket."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

MEDIA = "application/taxii+json;version=2.1"
READ_ID = "91a7b528-80eb-42ed-a74d-c6fbd5a26116"
WRITE_ID = "472c94ae-3113-4e3e-a4dd-a9f4ac7471d4"
URL = "https://partner.example/taxii2/"


@dataclass
class FakeTaxii:
    """The server's state: the objects it serves (date added, object) and those posted to it."""

    objects: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    posted: list[dict[str, Any]] = field(default_factory=list)
    username: str = "tipline"
    secret: str = "s3cret-at-partner"
    token: bool = False
    api_roots: tuple[str, ...] = ("/taxii2/root/",)
    fail_on_page: int | None = None  # answer HTTP 500 to this objects request (1-based)
    requests_seen: list[dict[str, str]] = field(default_factory=list)
    object_requests: int = 0
    reject: frozenset[str] = frozenset()  # ids the POST reports as failed
    reason: str = "pattern type not supported"  # the message of each failure
    generation: int = 0  # in every `next`; raise it to forget those given (as a restart would)

    def add(self, date_added: str, obj: dict[str, Any]) -> None:
        self.objects.append((date_added, obj))
        self.objects.sort(key=lambda pair: pair[0])

    def authorised(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        if self.token:
            return header == f"Token {self.secret}"
        pair = base64.b64encode(f"{self.username}:{self.secret}".encode()).decode()
        return header == f"Basic {pair}"

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/taxii2/", self.discovery),
                Route("/taxii2/root/", self.root),
                Route("/taxii2/root/collections/", self.collections),
                Route("/taxii2/root/collections/{cid}/objects/", self.get_objects, methods=["GET"]),
                Route(
                    "/taxii2/root/collections/{cid}/objects/", self.post_objects, methods=["POST"]
                ),  # fmt: skip
            ]
        )

    def _answer(self, body: dict[str, Any], status: int = 200, **headers: str) -> Response:
        return Response(json.dumps(body), status, headers=headers, media_type=MEDIA)

    def _denied(self, request: Request) -> Response | None:
        self.requests_seen.append(dict(request.query_params))
        if not self.authorised(request):
            return self._answer({"title": "unauthorised", "http_status": "401"}, 401)
        return None

    async def discovery(self, request: Request) -> Response:
        denied = self._denied(request)
        return denied or self._answer({"title": "partner", "api_roots": list(self.api_roots)})

    async def root(self, request: Request) -> Response:
        body = {"title": "root", "versions": [MEDIA], "max_content_length": 10_000_000}
        return self._denied(request) or self._answer(body)

    async def collections(self, request: Request) -> Response:
        def one(cid: str, read: bool) -> dict[str, Any]:
            title = "indicators" if read else "inbox"
            return {"id": cid, "title": title, "can_read": read, "can_write": not read}

        body = {"collections": [one(READ_ID, True), one(WRITE_ID, False)]}
        return self._denied(request) or self._answer(body)

    async def get_objects(self, request: Request) -> Response:
        if (denied := self._denied(request)) is not None:
            return denied
        self.object_requests += 1
        if self.object_requests == self.fail_on_page:
            return self._answer({"title": "broken", "http_status": "500"}, 500)
        generation, _, offset = request.query_params.get("next", f"{self.generation}:0").partition(
            ":"
        )
        if int(generation) != self.generation:
            return self._answer({"title": "unknown next", "http_status": "400"}, 400)
        after, start = request.query_params.get("added_after", ""), int(offset)
        limit = int(request.query_params.get("limit", "100"))
        chosen = [pair for pair in self.objects if pair[0] > after][start : start + limit]
        more = start + limit < len([p for p in self.objects if p[0] > after])
        body: dict[str, Any] = {"more": more, "objects": [obj for _, obj in chosen]}
        if more:
            body["next"] = f"{self.generation}:{start + limit}"
        headers = {}
        if chosen:
            headers = {"X-TAXII-Date-Added-First": chosen[0][0],
                       "X-TAXII-Date-Added-Last": chosen[-1][0]}  # fmt: skip
        return self._answer(body, **headers)

    async def post_objects(self, request: Request) -> Response:
        if (denied := self._denied(request)) is not None:
            return denied
        objects = json.loads(await request.body())["objects"]
        self.posted.extend(o for o in objects if o["id"] not in self.reject)
        failed = [{"id": o["id"], "version": o.get("modified", ""), "message": self.reason}
                  for o in objects if o["id"] in self.reject]  # fmt: skip
        body = {"id": "status-1", "status": "complete", "total_count": len(objects),
                "success_count": len(objects) - len(failed), "failure_count": len(failed),
                "pending_count": 0, "failures": failed}  # fmt: skip
        return self._answer(body, 202)


class AsgiTransport(BaseAdapter):
    """A `requests` adapter that gives each request to an ASGI application in-process."""

    def __init__(self, app: Starlette) -> None:
        super().__init__()
        self._client = TestClient(app, base_url="https://partner.example")

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        body = request.body.encode() if isinstance(request.body, str) else request.body
        answer = self._client.request(
            request.method or "GET", request.url or "", headers=dict(request.headers),
            content=body, follow_redirects=False,
        )  # fmt: skip
        response = requests.Response()
        response.status_code = answer.status_code
        response.reason = answer.reason_phrase
        response.headers = CaseInsensitiveDict(answer.headers)
        response._content = answer.content
        response.url = request.url or ""
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self) -> None:
        self._client.close()
