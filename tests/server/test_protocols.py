"""A protocol's API mounted beside /api/v1 keeps its own media type, authentication, errors and
OpenAPI document; the body limit still applies. Proven on a test-only sample protocol."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from types import ModuleType

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from tests.server import sample_protocol
from tests.server.sample_protocol import BODY_LIMIT, MEDIA_TYPE, TOKEN

import tipline.app
from tipline.app import create_app
from tipline.server.protocols import ProtocolMount
from tipline.settings import Settings

AUTH = {"authorization": f"Token {TOKEN}"}


@pytest.fixture
def client(
    settings: Settings,
    session_factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[TestClient]:
    """The app with the sample protocol among the capabilities' routes modules."""
    found = tipline.app.capability_routes()

    def with_sample() -> list[ModuleType]:
        return [*found, sample_protocol]

    monkeypatch.setattr(tipline.app, "capability_routes", with_sample)
    app = create_app(settings=settings, session_factory=session_factory)
    with TestClient(app) as test_client:
        yield test_client


def test_the_protocol_answers_in_its_own_media_type(client: TestClient) -> None:
    answer = client.get("/sample/", headers=AUTH)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == MEDIA_TYPE
    assert answer.json() == {"title": "sample", "default": "/sample/root/", "caller": "token"}


def test_basic_authentication_is_the_protocols_own(client: TestClient) -> None:
    basic = base64.b64encode(b"partner:sample-password").decode()
    answer = client.get("/sample/", headers={"authorization": f"Basic {basic}"})
    assert answer.json()["caller"] == "partner"
    refused = client.get("/sample/", headers={"authorization": "Token wrong"})
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == "Basic"
    assert refused.headers["content-type"] == MEDIA_TYPE
    assert refused.json() == {
        "title": "authentication required",
        "description": "",
        "http_status": "401",
    }


def test_errors_inside_the_protocol_are_its_own_not_tiplines(client: TestClient) -> None:
    missing = client.get("/sample/nowhere", headers=AUTH)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == MEDIA_TYPE
    assert missing.json()["http_status"] == "404"
    assert "error" not in missing.json()
    invalid = client.get("/sample/root/collections/abc/", headers=AUTH)
    assert invalid.status_code == 400
    assert invalid.json()["title"] == "invalid request"
    # …while tipline's own paths keep tipline's error format.
    assert client.get("/api/v1/nowhere").json()["error"]["code"] == "not_found"


def test_each_has_its_own_openapi_document(client: TestClient) -> None:
    tiplines = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/health" in tiplines
    assert not any("sample" in path for path in tiplines)
    samples = client.get("/sample/openapi.json").json()
    assert samples["info"]["title"] == "sample protocol"
    assert set(samples["paths"]) == {
        "/",
        "/root/collections/{number}/",
        "/root/collections/{number}/objects/",
    }


def test_the_body_limit_applies_and_the_protocol_answers_it(client: TestClient) -> None:
    path = "/sample/root/collections/1/objects/"
    small = client.post(path, headers=AUTH, content=b"x" * BODY_LIMIT)
    assert small.json() == {"received": BODY_LIMIT}
    declared = client.post(path, headers=AUTH, content=b"x" * (BODY_LIMIT + 1))
    assert declared.status_code == 413
    assert declared.headers["content-type"] == MEDIA_TYPE
    assert declared.json()["http_status"] == "413"

    def chunks() -> Iterator[bytes]:
        yield b"x" * BODY_LIMIT
        yield b"x"

    streamed = client.post(path, headers=AUTH, content=chunks())
    assert streamed.status_code == 413
    assert streamed.json()["http_status"] == "413"


@pytest.mark.parametrize("prefix", ["/", "/taxii2/", "taxii2", "/api/v1/taxii", "/Taxii2"])
def test_a_protocol_gets_a_path_of_its_own(prefix: str) -> None:
    with pytest.raises(ValueError, match="a protocol's prefix is a path of its own"):
        ProtocolMount(prefix, sample_protocol.build)


def test_taxii_shaped_prefixes_are_accepted() -> None:
    assert ProtocolMount("/taxii2", sample_protocol.build).body_limit == 3 * 1024 * 1024
