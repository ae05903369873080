"""The keyed set's pure rules: who is in it, with the public check's verdict detail, and the
entries a client half opens."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from tipline.client import oprf
from tipline.client.private import decode_bytes, encode_bytes, open_answer, prepare
from tipline.privatecheck.core import Facts, expired_before, listed, sealed_entries, verdict

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
KEY = oprf.derive_key(b"\x01" * 32, b"core test")


def facts(**fields: object) -> Facts:
    base: dict[str, object] = {
        "id": 1, "kind": "phone", "value": "+84912345678", "allowlisted": False, "last_seen": NOW,
    }  # fmt: skip
    return Facts(**{**base, **fields})  # type: ignore[arg-type]


def test_an_indicator_no_report_counts_is_not_in_the_set() -> None:
    assert verdict(facts()) is None


def test_one_unconfirmed_report_says_reported_without_its_category() -> None:
    assert json.loads(verdict(facts(categories={"investment_scam": 1})) or b"") == [
        "reported", 0, 0, 1, {},
    ]  # fmt: skip


def test_two_reports_show_their_categories_but_never_an_unconfirmed_childs() -> None:
    counted = {"investment_scam": 1, "sextortion": 1}
    assert json.loads(verdict(facts(categories=counted)) or b"") == [
        "reported", 0, 0, 2, {"investment_scam": 1},
    ]  # fmt: skip
    confirmed = json.loads(verdict(facts(categories=counted, confirmed=True)) or b"")
    assert confirmed == ["reported", 1, 0, 2, {"investment_scam": 1, "sextortion": 1}]


def test_a_feed_reports_and_an_allowlisted_value_keeps_no_report() -> None:
    listed_only = facts(feed_categories=["phishing"])
    assert json.loads(verdict(listed_only) or b"") == ["reported", 0, 0, 0, {"phishing": 1}]
    allowlisted = facts(allowlisted=True, categories={"investment_scam": 5}, confirmed=True)
    assert json.loads(verdict(allowlisted) or b"") == ["allowlisted", 0, 1, 0, {}]


def test_an_indicator_not_seen_since_the_expiry_leaves() -> None:
    old = facts(id=2, categories={"x": 1}, last_seen=NOW - timedelta(days=181))
    fresh = facts(id=3, categories={"x": 1}, last_seen=NOW - timedelta(days=179))
    assert [item.id for item in listed([old, fresh], expired_before(NOW, 180))] == [3]
    assert [item.id for item in listed([old, fresh], expired_before(NOW, 0))] == [2, 3]


def test_an_entry_opens_for_its_value_only() -> None:
    reported = listed([facts(categories={"investment_scam": 2}, confirmed=True)], None)
    entries = sealed_entries(KEY, 16, reported)
    parameters = {"suite": oprf.SUITE, "mode": "oprf", "prefix_bits": 16, "key_id": "k"}

    def ask(value: str) -> str:
        prepared = prepare("phone", value, parameters)
        evaluated = oprf.blind_evaluate(KEY, decode_bytes(prepared.blinded, 32))
        answer = {
            "key_id": "k",
            "evaluated": encode_bytes(evaluated),
            "entries": [[encode_bytes(e.tag), encode_bytes(e.sealed)] for e in entries],
        }
        return open_answer(prepared, answer).verdict

    assert entries[0].bucket == int(prepare("phone", "+84912345678", parameters).bucket, 16)
    assert ask("+84912345678") == "reported"
    assert ask("+84912345679") == "not_reported"
