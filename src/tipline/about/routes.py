"""Who we are, the privacy notice, the operator's logo and the site's icon."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from tipline.about.service import operator_profile
from tipline.access import PUBLIC
from tipline.errors import NotFound
from tipline.html.rendering import render

pages = APIRouter(include_in_schema=False, dependencies=[Depends(PUBLIC)])

# An SVG logo is shown in <img>, where its scripts never run; opened on its own it is still
# sandboxed.
IMAGE_HEADERS = {
    "Cache-Control": "public, max-age=3600",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox"
    ),
}


@pages.get("/about", response_class=HTMLResponse)
def about(request: Request) -> HTMLResponse:
    profile = operator_profile(request.app.state.settings)
    return render(request, "about/about.html", "about", {"profile": profile})


@pages.get("/privacy", response_class=HTMLResponse)
def privacy(request: Request) -> HTMLResponse:
    profile = operator_profile(request.app.state.settings)
    return render(request, "about/privacy.html", "privacy", {"profile": profile})


@pages.get("/about/logo")
def logo(request: Request) -> Response:
    profile = operator_profile(request.app.state.settings)
    if profile.logo_path is None or profile.logo_type is None:
        raise NotFound("This site has no logo.")
    return Response(
        profile.logo_path.read_bytes(), media_type=profile.logo_type, headers=IMAGE_HEADERS
    )


@lru_cache(maxsize=1)
def _icon() -> bytes:
    return resources.files("tipline.about").joinpath("favicon.ico").read_bytes()


@pages.get("/favicon.ico")
def favicon() -> Response:
    return Response(_icon(), media_type="image/x-icon", headers=IMAGE_HEADERS)
