"""`nosniff` on every answer (JSON included), HSTS only over HTTPS."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tipline.app import create_app
from tipline.settings import Settings


def test_json_answers_are_nosniff_and_plain_http_gets_no_hsts(client: TestClient) -> None:
    answer = client.get("/api/v1/check", params={"value": "0912345678"})
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "strict-transport-security" not in answer.headers
    refused = client.get("/api/v1/check")
    assert (refused.status_code, refused.headers["x-content-type-options"]) == (422, "nosniff")


def test_https_answers_carry_hsts(settings: Settings) -> None:
    with TestClient(create_app(settings=settings), base_url="https://tipline.test") as client:
        answer = client.get("/api/v1/openapi.json")
    assert answer.headers["strict-transport-security"] == "max-age=31536000"
    assert answer.headers["x-content-type-options"] == "nosniff"
