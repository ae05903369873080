"""Retries: a server that answers 429 (with Retry-After) or 5xx, then 200; one that is down;
and answers no tipline server gives. The client's waits are recorded, not slept."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from tests.client.stub_server import CHECK_BODY, Answer, stub_server
from tests.live_server import free_port

from tipline.client import (
    Backoff,
    BadAnswer,
    Client,
    InvalidValue,
    NotAuthorised,
    RateLimited,
    ServerError,
    Unreachable,
)
from tipline.client import api as client_api

OK: Answer = (200, {"Content-Type": "application/json"}, CHECK_BODY)
LIMITED = (
    b'{"error":{"code":"too_many_requests",'
    b'"message":"Too many requests: try again in 7 seconds.","field":null}}'
)
FAILED = b'{"error":{"code":"internal","message":"Server error"}}'
STEADY = Backoff(retries=3, first_wait=0.5, longest_wait=30, jitter=0)


@contextmanager
def client_of(url: str, waits: list[float], backoff: Backoff = STEADY) -> Iterator[Client]:
    with Client(url, backoff=backoff, sleep=waits.append) as client:
        yield client


def test_a_429_is_waited_out_as_retry_after_says_then_answered() -> None:
    waits: list[float] = []
    with stub_server([(429, {"Retry-After": "7"}, LIMITED), OK]) as stub:
        with client_of(stub.url, waits) as tipline:
            result = tipline.check("0987654321")
    assert (result.verdict, result.report_count) == ("reported", 2)
    assert result.categories == {"fraud.impersonation": 2}
    assert result.first_seen == datetime(2026, 12, 1, 8, tzinfo=UTC)
    assert waits == [7.0]
    assert [path for _, path, _ in stub.requests] == ["/api/v1/check?value=0987654321"] * 2


def test_retry_after_as_an_http_date() -> None:
    waits: list[float] = []
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=20), usegmt=True)
    with stub_server([(503, {"Retry-After": later}, b""), OK]) as stub:
        with client_of(stub.url, waits) as tipline:
            assert tipline.check("0987654321").verdict == "reported"
    assert len(waits) == 1
    assert 15 < waits[0] <= 20


def test_5xx_is_tried_again_with_growing_waits() -> None:
    waits: list[float] = []
    failing: Answer = (502, {}, b"<html>bad gateway</html>")
    with stub_server([failing, failing, failing, OK]) as stub:
        with client_of(stub.url, waits) as tipline:
            assert tipline.check("0987654321").reported
    assert waits == [0.5, 1.0, 2.0]
    assert len(stub.requests) == 4


def test_a_server_that_keeps_failing_raises_server_error_after_the_retries() -> None:
    waits: list[float] = []
    with stub_server([(500, {}, FAILED)]) as stub:
        with client_of(stub.url, waits) as tipline, pytest.raises(ServerError) as failed:
            tipline.check("0987654321")
    assert (failed.value.status, failed.value.message) == (500, "Server error")
    assert waits == [0.5, 1.0, 2.0]
    assert len(stub.requests) == 4


def test_a_retry_after_longer_than_the_longest_wait_raises_at_once() -> None:
    waits: list[float] = []
    with stub_server([(429, {"Retry-After": "3600"}, LIMITED), OK]) as stub:
        with client_of(stub.url, waits) as tipline, pytest.raises(RateLimited) as limited:
            tipline.check_many(["0987654321"])
    assert limited.value.retry_after == 3600
    assert limited.value.code == "too_many_requests"
    assert "try again in 7 seconds" in limited.value.message
    assert (waits, len(stub.requests)) == ([], 1)


def test_a_429_on_every_try_raises_rate_limited() -> None:
    waits: list[float] = []
    with stub_server([(429, {"Retry-After": "1"}, LIMITED)]) as stub:
        with client_of(stub.url, waits) as tipline, pytest.raises(RateLimited) as limited:
            tipline.check("0987654321")
    assert limited.value.retry_after == 1
    assert (waits, len(stub.requests)) == ([1.0, 1.0, 1.0], 4)


@pytest.mark.parametrize(
    ("status", "error"), [(401, NotAuthorised), (403, NotAuthorised), (422, InvalidValue)]
)
def test_a_refusal_is_not_tried_again(status: int, error: type[Exception]) -> None:
    body = b'{"error":{"code":"nope","message":"Not for you.","field":"value"}}'
    waits: list[float] = []
    with stub_server([(status, {}, body), OK]) as stub:
        with client_of(stub.url, waits) as tipline, pytest.raises(error) as refused:
            tipline.check("0987654321")
    assert str(refused.value) == f"Not for you. ({status} nope)"
    assert (waits, len(stub.requests)) == ([], 1)


def test_a_server_that_is_down_is_unreachable_after_the_retries() -> None:
    waits: list[float] = []
    with client_of(f"http://127.0.0.1:{free_port()}", waits) as tipline:
        with pytest.raises(Unreachable) as down:
            tipline.check("0987654321")
    assert "no answer from http://127.0.0.1:" in down.value.message
    assert waits == [0.5, 1.0, 2.0]


@pytest.mark.parametrize(
    "body",
    [
        b"<html>a login page</html>",
        b"[1, 2]",
        b'{"verdict": "reported"}',
        b'{"input":"x","kind":"phone","value":"+1","verdict":"pwned","confirmed":false,'
        b'"allowlisted":false,"report_count":1,"categories":{},"sources":[],"feeds":[],'
        b'"first_seen":null,"last_seen":null}',
        b'{"input":"x","kind":"phone","value":"+1","verdict":"reported","confirmed":"yes",'
        b'"allowlisted":false,"report_count":1,"categories":{},"sources":[],"feeds":[],'
        b'"first_seen":null,"last_seen":null}',
        b'{"input":"x","kind":"phone","value":"+1","verdict":"reported","confirmed":false,'
        b'"allowlisted":false,"report_count":1,"categories":{},"sources":[],"feeds":[],'
        b'"first_seen":"yesterday","last_seen":null}',
        b"\xff\xfe not even text",
    ],
)
def test_an_answer_no_tipline_server_gives_is_a_bad_answer(body: bytes) -> None:
    with stub_server([(200, {}, body)]) as stub, client_of(stub.url, []) as tipline:
        with pytest.raises(BadAnswer):
            tipline.check("0987654321")


def test_an_answer_larger_than_the_limit_is_a_bad_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client_api, "MAX_ANSWER_BYTES", 1000)
    with stub_server([(200, {}, b"[" + b"1," * 2000 + b"1]")]) as stub:
        with client_of(stub.url, []) as tipline, pytest.raises(BadAnswer) as bad:
            tipline.check("0987654321")
    assert "larger than 1,000 bytes" in bad.value.message


def test_a_bulk_answer_that_skips_values_is_a_bad_answer() -> None:
    answer = b'{"results": [' + CHECK_BODY + b"]}"
    with stub_server([(200, {}, answer)]) as stub, client_of(stub.url, []) as tipline:
        with pytest.raises(BadAnswer):
            tipline.check_many(["0987654321", "0912000111"])
    assert stub.requests[0][2] == b'{"values":["0987654321","0912000111"]}'


def test_the_token_and_language_are_sent() -> None:
    with stub_server([OK]) as stub:
        with Client(stub.url, "secret-token", language="vi") as tipline:
            tipline.check("0987654321")
    sent = stub.headers[0]
    assert sent["authorization"] == "Bearer secret-token"
    assert sent["accept-language"] == "vi"
    assert sent["user-agent"].startswith("tipline-client/")
