"""Self-reference cues: the words right before a value that call it the reporter's own."""

from __future__ import annotations

import pytest

from tipline.indicators import extract
from tipline.indicators.ownership import names_own


def own_values(narrative: str) -> dict[str, bool]:
    return {item.value: names_own(narrative, item.span) for item in extract(narrative)}


@pytest.mark.parametrize(
    ("narrative", "expected"),
    [
        (
            "Email của em là be.lan2012@gmail.com , số của em 0987 123 456.",
            {"be.lan2012@gmail.com": True, "+84987123456": True},
        ),
        (
            "Email cua em la be.lan2012@gmail.com, so cua em 0987123456",
            {"be.lan2012@gmail.com": True, "+84987123456": True},
        ),
        ("sđt của tôi: 0912345678", {"+84912345678": True}),
        ("zalo của mình 0912345678", {"+84912345678": True}),
        ("My email: lan@example.com", {"lan@example.com": True}),
        (
            "my number is 0912345678 and he called me from 0987654321",
            {"+84912345678": True, "+84987654321": False},
        ),
        ("số của nó là 0987654321", {"+84987654321": False}),
        ("Nó bảo chuyển vào tài khoản của em 0123456789 Vietcombank", {"VCB:0123456789": False}),
        (
            "Có người gọi từ số 0987 654 321 bảo tôi chuyển 15.000.000đ vào STK 0123456789",
            {"+84987654321": False, "UNKNOWN:0123456789": False},
        ),
    ],
)
def test_cues_mark_the_reporters_own_values(narrative: str, expected: dict[str, bool]) -> None:
    assert own_values(narrative) == expected


def test_a_listed_value_has_no_cue() -> None:
    assert names_own("số của em 0987123456", None) is False
