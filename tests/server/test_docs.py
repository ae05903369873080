"""/api/v1/docs: Swagger UI from tipline's own origin, under a CSP that names no other host."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

REFERENCE = re.compile(r"""(?:src|href|url)\s*[=:]\s*["']([^"']*)["']""")


def test_docs_page_references_no_other_host(client: TestClient) -> None:
    answer = client.get("/api/v1/docs")
    assert answer.status_code == 200
    page = answer.text
    references = REFERENCE.findall(page)
    assert sorted(references) == [
        "/api/v1/openapi.json",
        "/static/vendor/swagger-ui-bundle.js",
        "/static/vendor/swagger-ui.css",
        "data:,",
    ]
    assert re.search(r"https?:|//", page) is None
    assert '"validatorUrl": null' in page


def test_docs_inline_script_runs_only_by_its_nonce(client: TestClient) -> None:
    answer = client.get("/api/v1/docs")
    policy = answer.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce is not None
    assert "script-src 'self' 'nonce-" in policy
    assert "http" not in policy
    scripts = re.findall(r"<script([^>]*)>", answer.text)
    assert scripts == [' src="/static/vendor/swagger-ui-bundle.js"', f' nonce="{nonce.group(1)}"']
    assert client.get("/api/v1/docs").headers["content-security-policy"] != policy


def test_swagger_assets_are_served_by_tipline(client: TestClient) -> None:
    script = client.get("/static/vendor/swagger-ui-bundle.js")
    assert script.status_code == 200
    assert script.headers["content-type"] == "text/javascript; charset=utf-8"
    assert "SwaggerUIBundle" in script.text
    style = client.get("/static/vendor/swagger-ui.css")
    assert style.status_code == 200
    assert style.headers["content-type"] == "text/css; charset=utf-8"
    assert ".swagger-ui" in style.text
