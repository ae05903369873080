"""Routers that let a path that is not theirs pass by (tipline.server.sections)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from tipline.server.sections import SectionRouter, first_segments, sectioned


def _answer(path: str) -> Callable[[], dict[str, str]]:
    return lambda: {"path": path}


def _router(*paths: str) -> APIRouter:
    router = APIRouter()
    for path in paths:
        router.add_api_route(path, _answer(path), methods=["GET"])
    return router


def test_first_segments_are_the_routes_first_segments_or_none() -> None:
    assert first_segments(_router("/queue", "/reports/{report_id}", "/")) == {
        "queue",
        "reports",
        "",
    }
    assert first_segments(_router("/queue", "/{code}")) is None  # a parameter first: any path


def test_a_section_router_is_not_tried_outside_its_sections() -> None:
    app = FastAPI()
    api = SectionRouter(frozenset({"api"}))
    api.include_router(_router("/{anything}"))  # would take any path, were it tried
    app.include_router(api)
    app.include_router(_router("/about"))
    client = TestClient(app)
    assert client.get("/api").json() == {"path": "/{anything}"}
    assert client.get("/about").json() == {"path": "/about"}
    assert client.get("/queue").status_code == 404
    section = sectioned(_router("/queue", "/reports/{report_id}"))
    assert isinstance(section, SectionRouter)
    assert section.sections == {"queue", "reports"}
    assert sectioned(router := _router("/{code}")) is router


def test_an_app_of_sections_still_finds_every_route_and_answers_404_and_405() -> None:
    app = FastAPI()
    api = SectionRouter(frozenset({"api"}), prefix="/api/v1")
    api.include_router(_router("/queue"))
    app.include_router(api)
    for pages in (_router("/about"), _router("/queue", "/reports/{report_id}"), _router("/{code}")):
        app.include_router(sectioned(pages))
    client = TestClient(app)
    assert client.get("/api/v1/queue").json() == {"path": "/queue"}
    assert client.get("/queue").json() == {"path": "/queue"}
    assert client.get("/reports/7").json() == {"path": "/reports/{report_id}"}
    assert client.get("/TL0001").json() == {"path": "/{code}"}  # the router of a parameter
    assert client.get("/api/v1/nothing").status_code == 404
    assert client.post("/queue").status_code == 405
