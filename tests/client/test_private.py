"""The private check's client half (prepare, open_answer) against a server half made here from
the same pure functions: what it sends, what it reads, and answers it refuses."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tipline.client import oprf
from tipline.client.private import (
    Parameters,
    PrivateCheckError,
    bucket_number,
    decode_bytes,
    encode_bytes,
    entry_for,
    open_answer,
    oprf_input,
    prepare,
    read_bucket,
    verdict_plaintext,
)

KEY = oprf.derive_key(b"\x07" * 32, b"tipline test key")
PARAMETERS = {"suite": "ristretto255-SHA512", "mode": "oprf", "prefix_bits": 16, "key_id": "k1"}
REPORTED = ("phone", "+84912345678")
PLAINTEXT = verdict_plaintext("reported", True, False, 3, {"investment_scam": 2, "other": 1})


def answer_for(
    request: dict[str, str], listed: list[tuple[str, str, bytes]], bits: int = 16
) -> dict[str, Any]:
    """What a server holding KEY answers: the evaluated element and the bucket's entries."""
    evaluated = oprf.blind_evaluate(KEY, decode_bytes(request["blinded"], 32))
    entries = []
    for kind, value, plaintext in listed:
        if bucket_number(kind, value, bits) == read_bucket(request["bucket"], bits):
            tag, sealed = entry_for(oprf.evaluate(KEY, oprf_input(kind, value)), plaintext)
            entries.append([encode_bytes(tag), encode_bytes(sealed)])
    return {"key_id": "k1", "evaluated": encode_bytes(evaluated), "entries": entries}


def test_a_reported_value_opens_its_verdict() -> None:
    prepared = prepare(*REPORTED, PARAMETERS)
    verdict = open_answer(prepared, answer_for(prepared.request, [(*REPORTED, PLAINTEXT)]))
    assert (verdict.kind, verdict.value, verdict.verdict) == ("phone", "+84912345678", "reported")
    assert (verdict.confirmed, verdict.allowlisted, verdict.report_count) == (True, False, 3)
    assert verdict.categories == {"investment_scam": 2, "other": 1}
    assert verdict.key_id == "k1"


def test_an_unreported_value_is_not_reported_even_beside_its_buckets_others() -> None:
    prepared = prepare("phone", "+84900000001", {**PARAMETERS, "prefix_bits": 8})
    # Many other values of its bucket reported: none of their entries is its own.
    neighbours = [("phone", f"+849{n:08d}", PLAINTEXT) for n in range(2, 3000)]
    answer = answer_for(prepared.request, neighbours, bits=8)
    assert len(answer["entries"]) > 3, "the test needs a bucket with other values in it"
    verdict = open_answer(prepared, answer)
    assert verdict.verdict == "not_reported"
    assert (verdict.report_count, verdict.categories, verdict.confirmed) == (0, {}, False)


def test_the_request_holds_no_value_only_a_bucket_and_an_element() -> None:
    prepared = prepare(*REPORTED, PARAMETERS)
    body = json.dumps(prepared.request)
    assert set(prepared.request) == {"bucket", "blinded"}
    assert "912345678" not in body
    assert "phone" not in body
    assert len(prepared.bucket) == 4
    assert len(decode_bytes(prepared.blinded)) == 32
    # Blinded afresh each time: two requests for one value do not look alike.
    assert prepare(*REPORTED, PARAMETERS).blinded != prepared.blinded


def test_the_bucket_follows_the_prefix_bits() -> None:
    narrow = prepare(*REPORTED, {**PARAMETERS, "prefix_bits": 10})
    assert len(narrow.bucket) == 3
    assert int(narrow.bucket, 16) == bucket_number(*REPORTED, 16) >> 6


def test_a_tampered_entry_fails_cleanly() -> None:
    prepared = prepare(*REPORTED, PARAMETERS)
    answer = answer_for(prepared.request, [(*REPORTED, PLAINTEXT)])
    tag, sealed = answer["entries"][0]
    flipped = bytearray(decode_bytes(sealed))
    flipped[-1] ^= 1
    answer["entries"] = [[tag, encode_bytes(bytes(flipped))]]
    with pytest.raises(PrivateCheckError, match="does not open"):
        open_answer(prepared, answer)


@pytest.mark.parametrize(
    "change",
    [
        {"evaluated": encode_bytes(b"\xff" * 32)},  # no element
        {"evaluated": "not base64!"},
        {"entries": [["short", "AAAA"]]},
        {"entries": "none"},
        {"key_id": None, "evaluated": None},
    ],
)
def test_a_malformed_answer_fails_cleanly(change: dict[str, Any]) -> None:
    prepared = prepare(*REPORTED, PARAMETERS)
    answer = {**answer_for(prepared.request, [(*REPORTED, PLAINTEXT)]), **change}
    with pytest.raises(PrivateCheckError):
        open_answer(prepared, answer)


def test_an_entry_that_is_no_verdict_is_refused() -> None:
    prepared = prepare(*REPORTED, PARAMETERS)
    answer = answer_for(prepared.request, [(*REPORTED, b'["safe",0,0,0,{}]')])
    with pytest.raises(PrivateCheckError, match="not a verdict"):
        open_answer(prepared, answer)


@pytest.mark.parametrize(
    "body",
    [
        {**PARAMETERS, "suite": "P256-SHA256"},
        {**PARAMETERS, "mode": "voprf"},
        {**PARAMETERS, "prefix_bits": 0},
        {"suite": "ristretto255-SHA512"},
    ],
)
def test_parameters_it_cannot_use_are_refused(body: dict[str, Any]) -> None:
    with pytest.raises(PrivateCheckError):
        Parameters.from_json(body)


@pytest.mark.parametrize("text", ["0x1f", "ABCD", "12345", "fg00", ""])
def test_a_bucket_text_of_other_bits_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="bucket"):
        read_bucket(text, 16)


def test_base64url_round_trips_and_refuses_other_text() -> None:
    assert decode_bytes(encode_bytes(b"\x00\xfb\xff")) == b"\x00\xfb\xff"
    for text in ("+/==", "a b", "A"):
        with pytest.raises(ValueError, match="base64url"):
            decode_bytes(text)
