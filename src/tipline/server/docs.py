"""The API's interactive docs: Swagger UI served by tipline itself (no CDN: the workspace's origin
loads no other host's script), under a Content-Security-Policy that allows only tipline's own
scripts and the one inline script that starts Swagger UI (by its nonce)."""

from __future__ import annotations

import secrets

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

# Copied from npm's swagger-ui-dist by scripts/build-assets.sh (build output, not committed).
SWAGGER_JS = "/static/vendor/swagger-ui-bundle.js"
SWAGGER_CSS = "/static/vendor/swagger-ui.css"
NO_FAVICON = "data:,"  # the default is an image on fastapi.tiangolo.com


def docs_policy(nonce: str) -> str:
    return (
        f"default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
        "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    )


def docs_router(docs_url: str, openapi_url: str, title: str) -> APIRouter:
    """The route answering `docs_url` with Swagger UI reading `openapi_url` (its access is
    declared where the app includes it)."""
    router = APIRouter(include_in_schema=False)

    @router.get(docs_url, response_class=HTMLResponse)
    def swagger_ui() -> HTMLResponse:
        nonce = secrets.token_urlsafe(16)
        page = get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{title} API",
            swagger_js_url=SWAGGER_JS,
            swagger_css_url=SWAGGER_CSS,
            swagger_favicon_url=NO_FAVICON,
            swagger_ui_parameters={"validatorUrl": None},  # else a badge from validator.swagger.io
        )
        body = bytes(page.body).decode().replace("<script>", f'<script nonce="{nonce}">')
        headers = {"Content-Security-Policy": docs_policy(nonce), "Referrer-Policy": "same-origin"}
        return HTMLResponse(body, headers=headers)

    return router
