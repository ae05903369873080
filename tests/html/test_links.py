"""Every number and site in a line of advice can be tapped; nothing else is a link."""

from __future__ import annotations

import pytest

from tipline.html.links import tappable


def links(line: str) -> list[tuple[str, str]]:
    return [(piece.text, piece.href) for piece in tappable(line) if piece.href]


def test_pieces_join_back_to_the_line() -> None:
    line = "Call 1900 545 413 now, or text 5656; see canhbao.khonggianmang.vn."
    assert "".join(piece.text for piece in tappable(line)) == line


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("113: police emergency", [("113", "tel:113")]),
        ("Call Vietcombank on 1900 545 413 now.", [("1900 545 413", "tel:1900545413")]),
        ("Tổng đài 1800 6678 miễn phí", [("1800 6678", "tel:18006678")]),
        ("or 0912.345.678", [("0912.345.678", "tel:0912345678")]),
        (
            "156 (gọi) hoặc 5656 (tin nhắn): phản ánh",
            [("156", "tel:156"), ("5656", "sms:5656")],
        ),
        ("qua tổng đài 156 hoặc nhắn tin đến 5656.", [("156", "tel:156"), ("5656", "sms:5656")]),
        (
            "canhbao.khonggianmang.vn: report",
            [("canhbao.khonggianmang.vn", "https://canhbao.khonggianmang.vn")],
        ),
        ("StopNCII.org helps.", [("StopNCII.org", "https://StopNCII.org")]),
        ("see https://x.gov.vn/a?b=1.", [("https://x.gov.vn/a?b=1", "https://x.gov.vn/a?b=1")]),
    ],
)
def test_numbers_and_sites_become_links(line: str, expected: list[tuple[str, str]]) -> None:
    assert links(line) == expected


@pytest.mark.parametrize(
    "line",
    ["Open 24/7", "victims under 18", "Civil Code 2015", "TP.HCM", "v.v.", "e.g. this", "12 tuổi"],
)
def test_years_ages_and_abbreviations_stay_text(line: str) -> None:
    assert links(line) == []
