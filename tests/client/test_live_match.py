"""`Client.match_hashes` against a live server's bank, with a platform token it granted."""

from __future__ import annotations

import pytest
from tests.client.conftest import BANKED_MD5, BANKED_PDQ, LiveFeed, LiveServer

from tipline.client import Client, InvalidValue, NotAuthorised

# BANKED_PDQ with its first 3 bits flipped (0xf8 -> 0x18).
NEAR_PDQ = "18" + BANKED_PDQ[2:]


def test_hashes_match_exactly_and_within_a_distance(live_bank: LiveFeed) -> None:
    with Client(live_bank.url, live_bank.token, language="en") as tipline:
        results = tipline.match_hashes(
            [{"md5": BANKED_MD5}, {"pdq": NEAR_PDQ, "quality": 100}, {"md5": "0" * 32}]
        )
    assert [(r.index, r.signal) for r in results] == [(0, "md5"), (1, "pdq"), (2, "md5")]
    (exact,) = results[0].matches
    assert (exact.bank, exact.bank_kind, exact.value, exact.distance) == (
        "NCII reported",
        "ncii",
        BANKED_MD5,
        0,
    )
    (near,) = results[1].matches
    assert (near.value, near.distance) == (BANKED_PDQ, 3)
    assert results[2].matches == ()


def test_a_distance_below_the_gap_finds_nothing(live_bank: LiveFeed) -> None:
    with Client(live_bank.url, live_bank.token) as tipline:
        (result,) = tipline.match_hashes([{"pdq": NEAR_PDQ}], max_distance=2)
    assert result.matches == ()


def test_a_malformed_hash_is_refused(live_bank: LiveFeed) -> None:
    with Client(live_bank.url, live_bank.token, language="en") as tipline:
        with pytest.raises(InvalidValue) as refused:
            tipline.match_hashes([{"pdq": "not hex"}])
    assert refused.value.status == 422


def test_matching_needs_a_token(live_server: LiveServer) -> None:
    with Client(live_server.url) as tipline, pytest.raises(NotAuthorised) as refused:
        tipline.match_hashes([{"md5": BANKED_MD5}])
    assert refused.value.status == 401
