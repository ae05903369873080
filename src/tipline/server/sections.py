"""Routers that let a request pass by when its path is not theirs.

Starlette tries an app's routes one after the other, and FastAPI walks an included router's
routes one by one too: a page at the end of the list (`/queue`) was matched against the API's
two hundred routes and a hundred pages before it, some 8 % of the queue page's instructions
(issue 10's figures). A `SectionRouter` holds one capability's pages (or the whole API) and
answers "no match" at once for a path whose first segment none of its routes starts with.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.routing import APIRoute
from starlette._utils import get_route_path
from starlette.routing import Match, Route
from starlette.types import Scope


def first_segments(router: APIRouter) -> frozenset[str] | None:
    """The first path segments of the router's routes (`queue`, `reports`); None when one of
    them is not a plain route or starts with a parameter (then every path may be its)."""
    segments = set()
    for route in router.routes:
        if not isinstance(route, APIRoute | Route):
            return None
        segment = first_segment(route.path)
        if "{" in segment:
            return None
        segments.add(segment)
    return frozenset(segments)


def first_segment(path: str) -> str:
    return path.lstrip("/").split("/", 1)[0]


class SectionRouter(APIRouter):
    """A router whose routes all live under a few first segments of the path (`sections`);
    None: any path is tried against them, as by a plain router."""

    def __init__(self, sections: frozenset[str] | None, prefix: str = "") -> None:
        super().__init__(prefix=prefix)
        self.sections = sections

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if self.sections is not None and first_segment(get_route_path(scope)) not in self.sections:
            return Match.NONE, {}
        return super().matches(scope)


def sectioned(router: APIRouter) -> APIRouter:
    """`router` inside a `SectionRouter` of its routes' first segments, or itself when they
    cannot tell (a parameter first, a mount, a router of routers)."""
    sections = first_segments(router)
    if sections is None:
        return router
    section = SectionRouter(sections)
    section.include_router(router)
    return section
