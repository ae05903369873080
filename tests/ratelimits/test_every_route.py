"""Every public and platform API route is rate limited, and a platform token counts apart, at
its own higher limits.

The routes are read from the app, so a route added tomorrow without `limited(...)` fails here
by name, unless it is in `EXEMPT` with its reason.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Depends, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from tests.accounts.test_access_matrix import Endpoint, endpoints

from tipline.access import PUBLIC
from tipline.accounts import service as accounts
from tipline.app import create_app
from tipline.partners.service import add_organisation
from tipline.principals import Role
from tipline.ratelimits.dependencies import RateLimited
from tipline.settings import Settings

# Routes open to the public or to platform tokens that are not counted, and why.
EXEMPT = {
    # A load balancer's and an operator's probe: one `SELECT 1`, and it must answer while a
    # flood is refused elsewhere, or the server is taken out of rotation.
    "GET /api/v1/health",
    # The API's documentation page: a fixed HTML page from memory, no database, no work.
    "GET /api/v1/docs",
}


def limits_in(dependant: Dependant) -> Iterator[str]:
    """The name of every rate limit anywhere in a route's dependency tree."""
    for sub in dependant.dependencies:
        if isinstance(sub.call, RateLimited):
            yield sub.call.name
        yield from limits_in(sub)


def is_open(endpoint: Endpoint) -> bool:
    """Whether anonymous callers or platform tokens may call the route."""
    audience = endpoint.audience
    return audience.admits(None) or audience.admits(Role.PLATFORM)


def unlimited_routes(app: FastAPI) -> list[str]:
    found = []
    for endpoint in endpoints(app):
        for method in sorted(endpoint.methods):
            name = f"{method} {endpoint.path}"
            if (
                endpoint.path.startswith("/api/")
                and is_open(endpoint)
                and name not in EXEMPT
                and not any(limits_in(endpoint.dependant))
            ):
                found.append(name)
    return found


def test_every_public_and_platform_api_route_is_limited(
    settings: Settings, session_factory: sessionmaker[Session]
) -> None:
    app = create_app(settings=settings, session_factory=session_factory)
    open_routes = [e for e in endpoints(app) if e.path.startswith("/api/") and is_open(e)]
    assert len(open_routes) >= 10  # checks, reports, requests, feeds, health…
    assert unlimited_routes(app) == []


def test_a_route_without_a_limit_is_found_and_named(
    settings: Settings, session_factory: sessionmaker[Session]
) -> None:
    app = create_app(settings=settings, session_factory=session_factory)

    @app.get("/api/v1/forgotten", dependencies=[Depends(PUBLIC)])
    def forgotten() -> dict[str, str]:
        return {}

    assert unlimited_routes(app) == ["GET /api/v1/forgotten"]


LOW = {"rate_limit_checks": "5/minute", "rate_limit_platform_checks": "50/minute"}


def test_the_public_check_past_its_limit_answers_429_and_a_platform_token_is_served(
    settings: Settings, session_factory: sessionmaker[Session], db_session: Session
) -> None:
    add_organisation(db_session, "cli:test", "Bank X", "bank")
    accounts.create_user(
        db_session, "cli:test", "bankx", "platform", "correct horse battery", organisation="Bank X"
    )
    token = accounts.create_token(db_session, "cli:test", "bankx", "checks").plaintext
    db_session.commit()
    bank = {"Authorization": f"Bearer {token}"}
    app = create_app(settings=settings.model_copy(update=LOW), session_factory=session_factory)
    check = "/api/v1/check"
    with TestClient(app, client=("203.0.113.5", 5000)) as client:
        statuses = [client.get(check, params={"value": "0912345678"}).status_code for _ in range(8)]
        assert statuses == [200] * 5 + [429] * 3
        refused = client.get(check, params={"value": "0912345678"})
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert refused.json()["error"]["code"] == "too_many_requests"
        # The same address with the bank's token: counted against the token, 50 a minute.
        served = [
            client.get(check, params={"value": "0912345678"}, headers=bank).status_code
            for _ in range(20)
        ]
        assert served == [200] * 20
