"""The app's plumbing: body limits (declared or streamed), error bodies, pages mounted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tipline.app import create_app
from tipline.settings import Settings
from tipline.vocabulary import API_BODY_BYTES


def chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    yield b'{"values": ["'
    sent = 0
    while sent < total:
        yield b"a" * size
        sent += size
    yield b'"]}'


def test_a_streamed_body_over_the_limit_is_refused(client: TestClient) -> None:
    answer = client.post(
        "/api/v1/check/bulk",
        content=chunks(API_BODY_BYTES + 1024),
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "too_large"


def test_a_streamed_body_under_the_limit_is_read(client: TestClient) -> None:
    body = iter([b'{"values": ', b'["0912345678"]}'])
    answer = client.post(
        "/api/v1/check/bulk", content=body, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 200
    assert answer.json()["results"][0]["value"] == "+84912345678"


def test_wrong_method_is_a_json_error(client: TestClient) -> None:
    answer = client.delete("/api/v1/check?lang=en")
    assert answer.status_code == 405
    assert answer.json()["error"]["code"] == "method_not_allowed"


def test_citizen_pages_are_mounted(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")


def test_a_declared_body_over_the_limit_is_refused_in_the_readers_language(
    client: TestClient,
) -> None:
    body = b"x" * (API_BODY_BYTES + 1)
    headers = {"content-type": "application/json"}
    vi = client.post("/api/v1/check/bulk", content=body, headers=headers)
    assert vi.status_code == 413
    assert vi.json()["error"] == {
        "code": "too_large",
        "message": "Yêu cầu quá lớn: tối đa 3 MB.",
        "field": None,
    }
    en = client.post("/api/v1/check/bulk?lang=en", content=body, headers=headers)
    assert en.json()["error"]["message"] == "Request too large: at most 3 MB."


def test_a_started_server_freezes_its_heap_and_collects_young_objects_less_often() -> None:
    import gc
    import sys

    from tipline.app import SERVE_GC_THRESHOLD, SERVE_SWITCH_INTERVAL, warm_up_and_freeze

    threshold, interval = gc.get_threshold(), sys.getswitchinterval()
    try:
        warm_up_and_freeze()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (SERVE_GC_THRESHOLD, *threshold[1:])
        assert sys.getswitchinterval() == pytest.approx(SERVE_SWITCH_INTERVAL) != interval
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
        sys.setswitchinterval(interval)


def test_the_read_heavy_paths_read_the_replica_when_one_is_configured(tmp_path: Path) -> None:
    primary, replica = tmp_path / "primary.db", tmp_path / "replica.db"
    alone = Settings(data_dir=tmp_path, database_url=f"sqlite:///{primary}")
    app = create_app(settings=alone)
    assert app.state.read_session_factory is app.state.session_factory
    app.state.session_factory.kw["bind"].dispose()

    paired = alone.model_copy(update={"replica_url": f"sqlite:///{replica}"})
    app = create_app(settings=paired)
    engines = [app.state.session_factory.kw["bind"], app.state.read_session_factory.kw["bind"]]
    assert [engine.url.database for engine in engines] == [str(primary), str(replica)]
    for engine in engines:
        engine.dispose()
