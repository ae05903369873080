"""`Client.private_check` against a server half made of the protocol's own pure functions
(an httpx transport): it reads the value the server's way, sends no value, opens its verdict,
and refuses answers that do not open. Against a live server: tests/client/test_live_private.py."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from tipline.client import BadAnswer, Client, InvalidValue, NotFound, oprf
from tipline.client.private import (
    bucket_number,
    decode_bytes,
    encode_bytes,
    entry_for,
    oprf_input,
    read_bucket,
    verdict_plaintext,
)

KEY = oprf.derive_key(b"\x05" * 32, b"client test key")
BITS = 12
REPORTED = {
    ("phone", "+84987654321"): verdict_plaintext("reported", True, False, 3, {"fraud.bank": 3}),
    ("bank_account", "VCB:0123456789"): verdict_plaintext("reported", False, False, 1, {}),
}


class PrivateServer:
    """GET and POST /api/v1/private-check as the protocol says, recording what it was sent."""

    def __init__(self, bits: int = BITS) -> None:
        self.bits = bits
        self.sent: list[bytes] = []
        self.tamper = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(bytes(request.url.query) + request.content)
        if request.url.path != "/api/v1/private-check":
            return httpx.Response(404, json={"error": {"code": "not_found", "message": "No."}})
        if request.method == "GET":
            parameters = {"suite": oprf.SUITE, "mode": "oprf", "prefix_bits": self.bits,
                          "key_id": "k1"}  # fmt: skip
            return httpx.Response(200, json=parameters)
        body = json.loads(request.content)
        evaluated = oprf.blind_evaluate(KEY, decode_bytes(body["blinded"], 32))
        entries = []
        for (kind, value), plaintext in REPORTED.items():
            if bucket_number(kind, value, BITS) == read_bucket(body["bucket"], BITS):
                tag, sealed = entry_for(oprf.evaluate(KEY, oprf_input(kind, value)), plaintext)
                sealed = sealed[:-1] + bytes([sealed[-1] ^ 1]) if self.tamper else sealed
                entries.append([encode_bytes(tag), encode_bytes(sealed)])
        answer = {"key_id": "k1", "evaluated": encode_bytes(evaluated), "entries": entries}
        return httpx.Response(200, json=answer)


@pytest.fixture
def server() -> PrivateServer:
    return PrivateServer()


@pytest.fixture
def tipline(server: PrivateServer) -> Iterator[Client]:
    with Client("http://tipline.test", transport=httpx.MockTransport(server)) as client:
        yield client


def test_a_reported_value_is_opened_with_its_verdict(
    tipline: Client, server: PrivateServer
) -> None:
    result = tipline.private_check("0987 654 321")
    assert (result.input, result.kind, result.value) == ("0987 654 321", "phone", "+84987654321")
    assert (result.verdict, result.reported, result.confirmed) == ("reported", True, True)
    assert (result.report_count, result.categories, result.key_id) == (3, {"fraud.bank": 3}, "k1")


def test_the_value_never_leaves_the_client(tipline: Client, server: PrivateServer) -> None:
    tipline.private_check("0987 654 321")
    tipline.private_check("VCB 0123456789")
    sent = b"".join(server.sent)
    for leak in (b"0987", b"987654321", b"0123456789", b"+84", b"VCB", b"phone"):
        assert leak not in sent
    assert len(server.sent) == 3  # the parameters once, then one POST per check


def test_a_value_nobody_reported_is_not_reported(tipline: Client) -> None:
    result = tipline.private_check("0912 000 111")
    assert (result.verdict, result.reported, result.report_count) == ("not_reported", False, 0)
    assert result.value == "+84912000111"


def test_an_account_is_read_as_the_server_reads_it(tipline: Client) -> None:
    result = tipline.private_check("VCB:0123456789")
    assert (result.kind, result.value, result.verdict) == (
        "bank_account",
        "VCB:0123456789",
        "reported",
    )


@pytest.mark.parametrize("value", ["hello there", "", "   ", "x" * 5000])
def test_no_indicator_is_refused_before_anything_is_sent(
    tipline: Client, server: PrivateServer, value: str
) -> None:
    with pytest.raises(InvalidValue) as refused:
        tipline.private_check(value)
    assert (refused.value.status, refused.value.field) == (422, "value")
    assert server.sent == []


def test_a_tampered_entry_is_a_bad_answer(tipline: Client, server: PrivateServer) -> None:
    server.tamper = True
    with pytest.raises(BadAnswer) as bad:
        tipline.private_check("0987654321")
    assert "does not open" in bad.value.message


def test_unsupported_parameters_are_a_bad_answer(server: PrivateServer) -> None:
    server.bits = 64
    transport = httpx.MockTransport(server)
    with Client("http://tipline.test", transport=transport) as tipline:
        with pytest.raises(BadAnswer) as bad:
            tipline.private_check("0987654321")
    assert "prefix_bits out of range" in bad.value.message


def test_a_server_without_the_private_check_is_not_found() -> None:
    def public_only(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"error": {"code": "not_found", "message": "Not found."}})

    with Client("http://tipline.test", transport=httpx.MockTransport(public_only)) as tipline:
        with pytest.raises(NotFound):
            tipline.private_check("0987654321")


def test_a_changed_bucket_size_is_read_again_once(server: PrivateServer) -> None:
    """After a key rotation that changed the bucket's bits, the server refuses the old bucket:
    the client asks for the parameters again and retries once."""
    calls: list[str] = []

    def rotating(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if request.method == "POST" and calls.count("GET") == 1:
            error = {"code": "invalid_input", "message": "bad bucket", "field": "bucket"}
            return httpx.Response(422, json={"error": error})
        return server(request)

    with Client("http://tipline.test", transport=httpx.MockTransport(rotating)) as tipline:
        assert tipline.private_check("0987654321").reported
    assert calls == ["GET", "POST", "GET", "POST"]
