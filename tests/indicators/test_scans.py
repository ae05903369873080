"""The scans written for speed find exactly what their plainly written patterns find."""

from __future__ import annotations

import random
import re

from tipline.indicators.crypto import _TOKEN, LONGEST_TOKEN
from tipline.indicators.extract import IPV4, _email_matches
from tipline.indicators.numbers import NUMBER_RUN, _number_runs
from tipline.indicators.urls import _HOST, _URL_BODY, WWW_URL

PLAIN_WWW = re.compile(
    rf"(?<![\w.@/-])www\.{_HOST}(?::\d{{1,5}})?(?:[/?#]{_URL_BODY})?", re.IGNORECASE
)
PLAIN_IPV4 = re.compile(r"(?=\d)(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)")
PLAIN_TOKEN = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{25,100}(?![0-9A-Za-z])")
PLAIN_EMAIL = re.compile(rf"(?<![\w.+%-])[\w.+%-]{{1,64}}@{_HOST}", re.IGNORECASE)
PIECES = (
    "www.", "WWW.", "Www.", "wWw.", "w", "W", ".", "@", "/", "-", "+", "(", ")", ",", "\\", "_",
    "a", "ví", "dụ", ".com", ".vn", ":8080", "/x?y#z", " ", "\n", "0", "1", "12", "345", "٣",
    "(+84)", "+84 ", "0901", ".234", "a" * 20, "Z9" * 8, "x" * 60, "é", "%", "·", "1.2.3.4",
    "10.", "255",
)  # fmt: skip


def _texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 16))) for _ in range(count)]


def _spans(matches: object) -> list[tuple[int, int]]:
    return [m.span() for m in matches]  # type: ignore[attr-defined]


def test_each_fast_scan_matches_its_plain_pattern_in_random_texts() -> None:
    texts = _texts(20241208, 4_000)
    tokens = [
        [s for s in _spans(_TOKEN.finditer(t)) if s[1] - s[0] <= LONGEST_TOKEN] for t in texts
    ]
    assert tokens == [_spans(PLAIN_TOKEN.finditer(t)) for t in texts]
    assert [_spans(WWW_URL.finditer(t)) for t in texts] == [
        _spans(PLAIN_WWW.finditer(t)) for t in texts
    ]
    assert [_spans(IPV4.finditer(t)) for t in texts] == [
        _spans(PLAIN_IPV4.finditer(t)) for t in texts
    ]
    assert [_spans(_email_matches(t)) for t in texts] == [
        _spans(PLAIN_EMAIL.finditer(t)) for t in texts
    ]
    assert [_spans(_number_runs(t)) for t in texts] == [
        _spans(NUMBER_RUN.finditer(t)) for t in texts
    ]
    # The forms do occur, so that the comparison can fail.
    for pattern in (PLAIN_WWW, PLAIN_IPV4, PLAIN_TOKEN, PLAIN_EMAIL, NUMBER_RUN):
        assert sum(bool(pattern.search(t)) for t in texts) > 25, pattern.pattern
