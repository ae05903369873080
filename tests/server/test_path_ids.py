"""Every whole-number path parameter of every route is bounded in its schema: an id past what
a database integer holds is refused (422), not a server error."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from annotated_types import Ge, Le, Lt
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute

from tipline.app import create_app
from tipline.settings import Settings

BIGINT_MAX = 2**63 - 1


def bounded(metadata: list[object]) -> bool:
    lower = any(isinstance(m, Ge) and m.ge >= 0 for m in metadata)
    upper = any(
        (isinstance(m, Le) and m.le <= BIGINT_MAX) or (isinstance(m, Lt) and m.lt <= BIGINT_MAX)
        for m in metadata
    )
    return lower and upper


def api_routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    """Every APIRoute, inside included routers too (FastAPI keeps those as their own routes)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from api_routes(included.routes)


def test_every_integer_path_parameter_is_bounded(settings: Settings) -> None:
    routes = list(api_routes(create_app(settings=settings).routes))
    unbounded = [
        f"{route.path} {param.name}"
        for route in routes
        for param in route.dependant.path_params
        if param.field_info.annotation is int and not bounded(param.field_info.metadata)
    ]
    assert len(routes) > 50
    assert unbounded == []


def test_an_id_past_a_bigint_is_refused(client: TestClient) -> None:
    answer = client.get("/api/v1/campaigns/9223372036854775808/graph")
    assert answer.status_code in (401, 422)
