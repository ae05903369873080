"""Lone surrogates in JSON bodies: made U+FFFD before the application reads them."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tipline.server.surrogates import storable_json


def test_lone_surrogates_become_replacement_characters() -> None:
    assert json.loads(storable_json(b'{"n": "a\\udc80", "\\ud800k": ["\\ud83d\\ude00"]}')) == {
        "n": "a\ufffd",
        "\ufffdk": ["😀"],
    }
    assert json.loads(storable_json('{"n": "b\udc80"}'.encode("utf-8", "surrogatepass"))) == {
        "n": "b\ufffd"
    }


def test_bodies_without_surrogates_or_not_json_pass_unchanged() -> None:
    for body in (b'{"n": "T\xc3\xb4i \\u0000"}', b'{"n": "\\udc80"', b"\xff\xfe"):
        assert storable_json(body) is body


def test_the_api_answers_a_body_with_a_lone_surrogate(client: TestClient) -> None:
    body = b'{"values": ["0912345678\\udc80", "\\ud800"]}'
    answer = client.post(
        "/api/v1/check/bulk", content=body, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 200
    assert [r["input"] for r in answer.json()["results"]] == ["0912345678\ufffd", "\ufffd"]
