from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tipline.triage.contract import BadLine, json_line, read_line


def test_reads_a_full_line() -> None:
    line = {
        "id": 7,
        "text": "xin chào",
        "victim_age": 15,
        "loss_amount": "1500000.50",
        "loss_currency": "vnd",
    }
    request = read_line(json.dumps(line).encode())
    assert (request.ident, request.text, request.victim_age) == (7, "xin chào", 15)
    assert request.loss_amount == Decimal("1500000.50")
    assert request.loss_currency == "VND"


@pytest.mark.parametrize(
    ("raw", "ident", "message"),
    [
        (b"not json", None, "not valid JSON"),
        (b"[1, 2]", None, "a line must be a JSON object"),
        (b'{"id": 1}', 1, "missing 'text'"),
        (b'{"id": 2, "text": "   "}', 2, "missing 'text'"),
        (b'{"id": 3, "text": 5}', 3, "missing 'text'"),
        (b'{"id": 4, "text": "x", "victim_age": "12"}', 4, "'victim_age'"),
        (b'{"id": 5, "text": "x", "victim_age": true}', 5, "'victim_age'"),
        (b'{"id": 6, "text": "x", "victim_age": 12.5}', 6, "'victim_age'"),
        (b'{"id": 7, "text": "x", "loss_amount": "lots"}', 7, "'loss_amount'"),
        (b'{"id": 8, "text": "x", "loss_amount": -1}', 8, "'loss_amount'"),
        (b'{"id": 9, "text": "x", "loss_amount": [1]}', 9, "'loss_amount'"),
        (b'{"id": 10, "text": "x", "loss_currency": 5}', 10, "'loss_currency'"),
        (b'{"id": 11, "text": "x"}\x00', None, "not valid JSON"),
        (b'\xff{"id": 12, "text": "x"}', None, "not valid UTF-8 at byte 0"),
        (b"[" * 100_000, None, "not valid JSON"),
    ],
)
def test_bad_lines(raw: bytes, ident: object, message: str) -> None:
    with pytest.raises(BadLine) as caught:
        read_line(raw)
    assert caught.value.ident == ident
    assert message in caught.value.message


def test_nul_and_lone_surrogates_are_cleaned() -> None:
    request = read_line(b'{"id": 1, "text": "a\\u0000b \\ud800 c"}')
    assert request.text == "a b ? c"


def test_too_long_text_is_refused() -> None:
    with pytest.raises(BadLine, match="longer than"):
        read_line(json.dumps({"id": 1, "text": "x" * 100_001}).encode())


def test_json_line_escapes_what_utf8_cannot_carry() -> None:
    assert json_line({"id": "\ud800"}) == b'{"id": "\\ud800"}\n'
    assert json_line({"id": "bé"}) == '{"id": "bé"}\n'.encode()
