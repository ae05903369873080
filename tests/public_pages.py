"""The public pages, listed from the app itself: every GET route anyone may use (its `Access` is
public), outside the JSON API and the protocols' own applications, minus `NOT_PAGES` (what
answers a file, a feed or a redirect, each with its reason). A new public page is therefore
checked by the accessibility test without editing it; a new public route that is not a page
makes the test fail until it is named in `NOT_PAGES`.

A route with path parameters is filled from seeded objects by `FILLERS`; one that has none
there fails the test by name, so that its pages are never skipped in silence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from tipline.access import Access

API_PREFIX = "/api/"
NOT_PAGES = {
    "/static/{folder_or_name}": "style sheets, scripts and images, not pages",
    "/static/{folder_or_name}/{name}": "style sheets, scripts and images, not pages",
    "/favicon.ico": "the site's icon (an ICO file)",
    "/about/logo": "the operator's logo (an image) shown on the pages checked",
    "/report/receipt/download": "the receipt as a text file (an attachment)",
    "/alerts.atom": "the alerts' Atom feed (XML for feed readers)",
    "/alerts/feed.atom": "the alerts' Atom feed (XML for feed readers)",
    "/lessons/{slug}/handout.pdf": "a lesson's handout (a PDF file)",
}


@dataclass(frozen=True, slots=True)
class PublicRoute:
    path: str
    name: str

    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(part[1:-1] for part in self.path.split("/") if part.startswith("{"))


def _routes(routes: Iterable[BaseRoute], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    """Every APIRoute with its full path, inside included routers too."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        included = getattr(route, "original_router", None)
        if included is not None:
            context = getattr(route, "include_context", None)
            yield from _routes(included.routes, prefix + getattr(context, "prefix", ""))


def _is_public(route: APIRoute) -> bool:
    calls = [dependency.call for dependency in route.dependant.dependencies]
    return any(isinstance(call, Access) and call.is_public for call in calls)


def public_routes(app: FastAPI) -> list[PublicRoute]:
    """The public GET routes outside the API, minus `NOT_PAGES`, in path order."""
    found = {
        path: PublicRoute(path, route.name)
        for path, route in _routes(app.routes)
        if "GET" in route.methods and _is_public(route)
        if not path.startswith(API_PREFIX) and path not in NOT_PAGES
    }
    return [found[path] for path in sorted(found)]
