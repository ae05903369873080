"""The security headers on every answer: every GET route of the app and of its mounted protocol
applications (anonymous and as an admin), the static files, the docs, and the errors 404, 405,
413, 429 and 500. Each answer carries `nosniff`, a Referrer-Policy, and a Content-Security-Policy
whose scripts exclude `unsafe-inline` and whose `frame-ancestors` is `'none'`; HSTS over HTTPS
only, a trusted proxy's `X-Forwarded-Proto` included."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session, sessionmaker
from starlette.routing import Mount, Route
from tests.accounts.test_access_matrix import caller, dummy_path, endpoints, principal_of

from tipline.access import PUBLIC, Role, get_principal
from tipline.app import create_app
from tipline.server.headers import DEFAULT_POLICY, forwarded_scheme
from tipline.settings import Settings
from tipline.vocabulary import API_BODY_BYTES

FILLED = re.compile(r"\{[^}]+\}")  # a path value `dummy_path` left (a string alias's)


def directives(policy: str) -> dict[str, list[str]]:
    """A Content-Security-Policy as {directive: its sources}."""
    found: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            found.setdefault(words[0].lower(), words[1:])
    return found


def header_problems(answer: Response) -> list[str]:
    """What the answer lacks of the security headers (empty when it has them all)."""
    headers = answer.headers
    problems = []
    if headers.get("x-content-type-options") != "nosniff":
        problems.append("nosniff")
    if not headers.get("referrer-policy"):
        problems.append("Referrer-Policy")
    policy = directives(headers.get("content-security-policy", ""))
    if not policy:
        return [*problems, "Content-Security-Policy"]
    scripts = policy.get("script-src", policy.get("default-src"))
    if scripts is None or "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts:
        problems.append(f"script-src {scripts}")
    if policy.get("frame-ancestors") != ["'none'"]:
        problems.append(f"frame-ancestors {policy.get('frame-ancestors')}")
    return problems


def test_the_judge_of_headers() -> None:
    good = {
        "x-content-type-options": "nosniff",
        "referrer-policy": "same-origin",
        "content-security-policy": DEFAULT_POLICY,
    }
    assert header_problems(Response(200, headers=good)) == []
    inline = good | {"content-security-policy": "script-src 'self' 'unsafe-inline'"}
    assert header_problems(Response(200, headers=inline)) == [
        "script-src [\"'self'\", \"'unsafe-inline'\"]",
        "frame-ancestors None",
    ]
    assert header_problems(Response(200, headers={})) == [
        "nosniff",
        "Referrer-Policy",
        "Content-Security-Policy",
    ]


def mounted_paths(app: FastAPI) -> Iterator[str]:
    """The GET paths of every mounted application (TAXII …), with dummy path values."""
    for mount in app.routes:
        if not isinstance(mount, Mount):
            continue
        sub_routes = getattr(mount.app, "routes", None) or []
        yield mount.path + "/"
        for route in sub_routes:
            if isinstance(route, Route) and "GET" in (route.methods or ()):
                path = route.path
                for name in route.param_convertors:
                    path = path.replace(f"{{{name}}}", "x1")
                yield mount.path + path


@pytest.fixture
def app(settings: Settings, session_factory: sessionmaker[Session]) -> FastAPI:
    return create_app(settings=settings, session_factory=session_factory)


def walk(client: TestClient, app: FastAPI, paths: list[str]) -> dict[str, list[str]]:
    """GET every path as anonymous and as an admin: the problems of each answer that has any."""
    found: dict[str, list[str]] = {}
    for role in (None, Role.ADMIN):
        app.dependency_overrides[get_principal] = caller(principal_of(role))
        for path in paths:
            answer = client.get(path, follow_redirects=False)
            if problems := header_problems(answer):
                found[f"{path} as {role or 'anonymous'} ({answer.status_code})"] = problems
    return found


def test_every_get_route_and_mount_answers_with_the_headers(app: FastAPI) -> None:
    pages = [FILLED.sub("x1", dummy_path(e)) for e in endpoints(app) if "GET" in e.methods]
    mounted = sorted(set(mounted_paths(app)))
    extra = ["/static/tipline.css", "/static/workspace.css", "/static/receipt.js"]
    assert (len(pages) >= 90, len(mounted) >= 5) == (True, True), (len(pages), mounted)
    assert ("/api/v1/docs" in pages, "/taxii2/" in mounted) == (True, True)
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/static/tipline.css").status_code == 200
        assert walk(client, app, pages + mounted + extra) == {}


def test_errors_carry_the_headers(settings: Settings, app: FastAPI) -> None:
    @app.get("/api/v1/broken", dependencies=[Depends(PUBLIC)])
    def broken() -> None:
        raise RuntimeError("a bug")

    page = {"accept": "text/html"}
    with TestClient(app, raise_server_exceptions=False) as client:
        answers = {
            "404": client.get("/no-such-page", headers=page),
            "404 json": client.get("/api/v1/no-such-thing"),
            "405": client.delete("/check"),
            "413": client.post("/api/v1/reports", content=b"x" * (API_BODY_BYTES + 1)),
            "500 json": client.get("/api/v1/broken"),
            "500 page": client.get("/api/v1/broken", headers=page),
        }
    statuses = {name: answer.status_code for name, answer in answers.items()}
    assert statuses == {
        "404": 404, "404 json": 404, "405": 405, "413": 413, "500 json": 500, "500 page": 500,
    }  # fmt: skip
    assert {name: header_problems(answer) for name, answer in answers.items()} == {
        name: [] for name in answers
    }


def test_too_many_requests_carries_the_headers(
    settings: Settings, session_factory: sessionmaker[Session]
) -> None:
    strict = settings.model_copy(update={"rate_limit_checks": "1/minute"})
    with TestClient(create_app(settings=strict, session_factory=session_factory)) as client:
        found = [client.get("/api/v1/check", params={"value": "0912345678"}) for _ in range(2)]
        page = client.get("/check", params={"value": "0912345678"})
    assert [answer.status_code for answer in (*found, page)] == [200, 429, 429]
    assert (header_problems(found[1]), header_problems(page)) == ([], [])


def test_json_answers_are_nosniff_and_plain_http_gets_no_hsts(client: TestClient) -> None:
    answer = client.get("/api/v1/check", params={"value": "0912345678"})
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["content-security-policy"] == DEFAULT_POLICY
    assert "strict-transport-security" not in answer.headers
    refused = client.get("/api/v1/check")
    assert (refused.status_code, refused.headers["x-content-type-options"]) == (422, "nosniff")


def test_https_answers_carry_hsts(settings: Settings) -> None:
    with TestClient(create_app(settings=settings), base_url="https://tipline.test") as client:
        answer = client.get("/api/v1/openapi.json")
    assert answer.headers["strict-transport-security"] == "max-age=31536000"
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_a_trusted_proxys_https_counts_and_an_untrusted_one_does_not(
    settings: Settings, session_factory: sessionmaker[Session]
) -> None:
    proxied = {"x-forwarded-proto": "https"}
    with TestClient(create_app(settings=settings, session_factory=session_factory)) as client:
        assert (
            "strict-transport-security" not in client.get("/api/v1/health", headers=proxied).headers
        )
    behind = settings.model_copy(update={"trusted_proxies": 1})
    with TestClient(create_app(settings=behind, session_factory=session_factory)) as client:
        assert client.get("/api/v1/health", headers=proxied).headers["strict-transport-security"]
        assert "strict-transport-security" not in client.get("/api/v1/health").headers


def test_forwarded_scheme_reads_the_trusted_hop() -> None:
    def scope(value: bytes) -> dict[str, object]:
        return {"headers": [(b"x-forwarded-proto", value)]}

    assert forwarded_scheme(scope(b"https"), 1) == "https"
    assert forwarded_scheme(scope(b"https, http"), 1) == "http"  # the client wrote the first
    assert forwarded_scheme(scope(b"https, http"), 2) == "https"
    assert forwarded_scheme(scope(b"gopher"), 1) is None
    assert forwarded_scheme({"headers": []}, 1) is None
