"""Every route declares its audience, and the declarations hold: roles × routes, all of them.

The routes are discovered from the app, so a route another capability adds tomorrow is covered
without touching this file. For each route and each caller (every role, and anonymous):
- a caller the declaration does not admit gets 401 (anonymous) or 403 (a signed-in wrong role),
  never the page or a redirect to it;
- a caller it admits never gets 401 or 403. Requests carry a valid CSRF token and dummy path
  values, so an admitted caller gets the page, a 404 for a made-up id, or a 422 for a missing
  field. (A route that refuses an admitted role for a made-up id should answer 404, not 403:
  that also tells no one which ids exist.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import fastapi.routing
import pytest
from fastapi import Depends, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tipline.access import (
    PUBLIC,
    STAFF_ROLES,
    Access,
    Principal,
    Role,
    Staff,
    get_principal,
)
from tipline.app import create_app
from tipline.html import csrf
from tipline.settings import Settings

CALLERS: tuple[Role | None, ...] = (None, *Role)


def declarations(dependant: Dependant) -> Iterator[Access]:
    """Every Access anywhere in a route's dependency tree."""
    for sub in dependant.dependencies:
        if isinstance(sub.call, Access):
            yield sub.call
        yield from declarations(sub)


@dataclass(frozen=True)
class Audience:
    """Who may call a route: every declaration in its tree must admit the caller."""

    declared: tuple[Access, ...]

    def admits(self, role: Role | None) -> bool:
        return all(access.admits(role) for access in self.declared)


@dataclass(frozen=True)
class Endpoint:
    """One API route as the app serves it (its path and dependencies after inclusion)."""

    path: str
    path_format: str
    methods: frozenset[str]
    dependant: Dependant

    @property
    def audience(self) -> Audience:
        return Audience(tuple(declarations(self.dependant)))


def endpoints(app: FastAPI) -> list[Endpoint]:
    """Every APIRoute of the app, however deeply routers were included."""
    if hasattr(fastapi.routing, "iter_route_contexts"):  # FastAPI ≥ 0.16x: included routers
        found = [
            (context.path, context.path_format, context.methods, context.dependant)
            for context in fastapi.routing.iter_route_contexts(app.routes)
            if isinstance(context.original_route, APIRoute)
        ]
    else:
        found = [
            (route.path, route.path_format, route.methods, route.dependant)
            for route in app.routes
            if isinstance(route, APIRoute)
        ]
    return [Endpoint(p, fmt, frozenset(methods), dep) for p, fmt, methods, dep in found]


def undeclared_routes(app: FastAPI) -> list[str]:
    """`METHOD /path` of every route without an Access declaration."""
    return [
        f"{','.join(sorted(endpoint.methods))} {endpoint.path}"
        for endpoint in endpoints(app)
        if not endpoint.audience.declared
    ]


def dummy_path(endpoint: Endpoint) -> str:
    """The route's path with plausible values: 1 for numbers, `x1` for text."""
    path = endpoint.path_format
    for param in endpoint.dependant.path_params:
        value = "1" if param.field_info.annotation in (int, "int") else "x1"
        path = path.replace(f"{{{param.name}}}", value)
    return path


def principal_of(role: Role | None) -> Principal | None:
    return None if role is None else Principal(1, "lan", role, "session")


def caller(principal: Principal | None) -> Callable[[], Principal | None]:
    """An override of `get_principal` (no parameters, so FastAPI reads nothing from the request)."""
    return lambda: principal


@pytest.fixture
def app(settings: Settings, session_factory: sessionmaker[Session]) -> FastAPI:
    return create_app(settings=settings, session_factory=session_factory)


def test_every_route_declares_its_audience(app: FastAPI) -> None:
    assert len(endpoints(app)) >= 15  # the citizen pages, the API, sign-in, admin …
    assert undeclared_routes(app) == []


def test_an_undeclared_route_is_found_and_named() -> None:
    synthetic = FastAPI()

    @synthetic.get("/open", dependencies=[Depends(PUBLIC)])
    def declared_open() -> dict[str, str]:
        return {}

    @synthetic.get("/staff")
    def declared_staff(principal: Staff) -> dict[str, str]:
        return {}

    @synthetic.post("/forgotten/{item_id}")
    def forgotten(item_id: int) -> dict[str, str]:
        return {}

    assert undeclared_routes(synthetic) == ["POST /forgotten/{item_id}"]


def request_as(client: TestClient, endpoint: Endpoint, method: str, form: dict[str, str]) -> Any:
    path = dummy_path(endpoint)
    if method in ("GET", "HEAD", "DELETE", "OPTIONS"):
        return client.request(method, path, follow_redirects=False)
    return client.request(method, path, data=form, follow_redirects=False)


def test_every_role_meets_every_route_as_declared(app: FastAPI, settings: Settings) -> None:
    key = csrf.signing_key(settings.secret_key, settings.data_dir)
    nonce = csrf.new_nonce()
    form = {csrf.CSRF_FIELD: csrf.issue_token(key, nonce)}
    declared = [endpoint for endpoint in endpoints(app) if endpoint.audience.declared]
    wrong: list[str] = []
    answered: dict[str, int] = {}  # 2xx answers per caller: the harness itself reaches pages
    with TestClient(app, raise_server_exceptions=False) as client:
        client.cookies.set(csrf.CSRF_COOKIE, nonce)
        for role in CALLERS:
            app.dependency_overrides[get_principal] = caller(principal_of(role))
            for endpoint in declared:
                admitted = endpoint.audience.admits(role)
                for method in sorted(endpoint.methods):
                    status = request_as(client, endpoint, method, form).status_code
                    who = role or "anonymous"
                    answered[who] = answered.get(who, 0) + (200 <= status < 300)
                    if problem := judge(admitted, role, status):
                        wrong.append(f"{method} {endpoint.path} as {who}: {problem}")
    assert wrong == []
    assert all(answered[role or "anonymous"] > 0 for role in CALLERS), answered


def judge(admitted: bool, role: Role | None, status: int) -> str | None:
    """What is wrong with answering `status` to this caller, or None."""
    if admitted:
        return f"admitted but got {status}" if status in (401, 403) else None
    expected = 401 if role is None else 403
    return None if status == expected else f"not admitted, expected {expected}, got {status}"


def test_the_judge_of_the_matrix() -> None:
    assert judge(False, Role.PLATFORM, 200) == "not admitted, expected 403, got 200"
    assert judge(False, None, 303) == "not admitted, expected 401, got 303"
    assert judge(True, Role.ANALYST, 403) == "admitted but got 403"
    assert judge(True, None, 404) is None
    assert judge(False, Role.PARTNER, 403) is None


# The API that does what the analyst pages do (issue 10): staff only, the audit log admins only.
STAFF_API = (
    "GET /api/v1/queue",
    "GET /api/v1/reports/{report_id}/view",
    "GET /api/v1/reports/{report_id}/cases",
    "GET /api/v1/reports/{report_id}/evidence",
    "POST /api/v1/reports/{report_id}/evidence",
    "PUT /api/v1/reports/{report_id}/indicators/{indicator_id}/review",
    "POST /api/v1/reports/{report_id}/corrections",
    "POST /api/v1/reports/{report_id}/notes",
    "POST /api/v1/reports/{report_id}/status",
    "GET /api/v1/campaigns",
    "GET /api/v1/campaigns/{uid}",
    "GET /api/v1/campaigns/{uid}/graph",
    "GET /api/v1/indicators",
    "GET /api/v1/indicators/{indicator_id}",
    "PATCH /api/v1/indicators/{indicator_id}",
    "GET /api/v1/cases",
    "POST /api/v1/cases",
    "GET /api/v1/cases/{case_id}",
    "PATCH /api/v1/cases/{case_id}",
    "GET /api/v1/evidence/{evidence_id}",
    "GET /api/v1/evidence/{evidence_id}/content",
    "POST /api/v1/evidence/{evidence_id}/transfers",
    # Cooperation requests between countries (issue 15): partners abroad read none of them.
    "GET /api/v1/cooperation",
    "POST /api/v1/cooperation",
    "GET /api/v1/cooperation/overview",
    "GET /api/v1/cooperation/{reference}",
    "POST /api/v1/cooperation/{reference}/status",
    "POST /api/v1/cooperation/{reference}/extension",
    "GET /api/v1/cooperation/{reference}/document",
    # The weekly trends (issue 19).
    "GET /trends",
    "GET /trends/{figure}.csv",
)
ADMIN_API = (
    "GET /api/v1/audit/entries",
    "GET /api/v1/audit/verification",
    # The administration of partner agencies and their sharing policies (issue 14).
    "GET /admin/partners",
    "POST /admin/partners",
    "GET /admin/partners/{partner_id}/policy",
    "POST /admin/partners/{partner_id}/policy",
    "GET /admin/organisations",
)


def test_the_analyst_api_is_for_staff_and_the_audit_log_for_admins(app: FastAPI) -> None:
    audiences = {
        f"{method} {endpoint.path}": endpoint.audience
        for endpoint in endpoints(app)
        for method in endpoint.methods
    }

    def admitted(route: str) -> list[Role | None]:
        return [role for role in CALLERS if audiences[route].admits(role)]

    assert {route: admitted(route) for route in STAFF_API} == {
        route: list(STAFF_ROLES) for route in STAFF_API
    }
    assert {route: admitted(route) for route in ADMIN_API} == {
        route: [Role.ADMIN] for route in ADMIN_API
    }


# Requests to organisations (issue 15): staff draft, send and cancel; the organisation asked
# (role `platform`) reads its own and answers; which request is whose is the repository's.
REQUESTS_READ = (
    "GET /api/v1/requests",
    "GET /api/v1/requests/{reference}",
    "GET /requests",
    "GET /requests/{reference}",
)
REQUESTS_STAFF = (
    "POST /api/v1/requests",
    "GET /api/v1/requests/figures",
    "POST /api/v1/requests/{reference}/send",
    "POST /api/v1/requests/{reference}/cancel",
    "GET /requests/new",
    "POST /requests",
    "GET /requests/dashboard",
    "POST /requests/{reference}/send",
    "POST /requests/{reference}/cancel",
)
REQUESTS_ANSWER = (
    "POST /api/v1/requests/{reference}/answer",
    "POST /api/v1/requests/{reference}/files",
    "POST /requests/{reference}/answer",
)


def test_requests_are_for_staff_and_the_organisation_asked(app: FastAPI) -> None:
    audiences = {
        f"{method} {endpoint.path}": endpoint.audience
        for endpoint in endpoints(app)
        for method in endpoint.methods
    }

    def admitted(routes: tuple[str, ...]) -> dict[str, list[Role | None]]:
        return {route: [r for r in CALLERS if audiences[route].admits(r)] for route in routes}

    both = [*STAFF_ROLES, Role.PLATFORM]
    assert admitted(REQUESTS_READ) == {route: both for route in REQUESTS_READ}
    assert admitted(REQUESTS_STAFF) == {route: list(STAFF_ROLES) for route in REQUESTS_STAFF}
    assert admitted(REQUESTS_ANSWER) == {route: [Role.PLATFORM] for route in REQUESTS_ANSWER}
