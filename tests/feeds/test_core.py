"""The feed's pure rules: agreements and filters, an indicator's state, what is a change."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from tipline.errors import InvalidInput, NotPermitted
from tipline.feeds.core import (
    Agreement,
    Facts,
    FeedFilter,
    differs,
    narrowed,
    state_of,
)
from tipline.sharing.policy import category_mask

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
YEAR = timedelta(days=365)
BANK = Agreement(frozenset({"phone", "url"}), frozenset({"fraud.investment", "sextortion"}), 70)


def facts(**changes: object) -> Facts:
    base = Facts("phone", "+84912345678", False, None, confirmed=2)
    base.confirmed_mask = category_mask(["fraud.investment"])
    base.seen(NOW - timedelta(days=10), NOW - timedelta(days=1))
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_pull_narrows_within_the_agreement() -> None:
    assert narrowed(BANK) == FeedFilter(("phone", "url"), BANK.category_mask, 70)
    mask = category_mask(["sextortion"])
    assert narrowed(BANK, "url", "sextortion", 90) == FeedFilter(("url",), mask, 90)
    assert narrowed(BANK, min_confidence=10).min_confidence == 70  # never below the agreement
    with pytest.raises(NotPermitted):
        narrowed(BANK, kinds="email")
    with pytest.raises(NotPermitted):
        narrowed(BANK, categories="fraud.romance")
    with pytest.raises(InvalidInput) as error:
        narrowed(BANK, categories="gambling")
    assert error.value.field == "category"


@pytest.mark.parametrize(
    ("changes", "present", "reason", "confidence"),
    [
        ({}, True, None, 80),
        ({"confirmed": 0, "confirmed_mask": 0, "listed_mask": 1}, True, None, 50),
        ({"confirmed": 0, "confirmed_mask": 0, "rejected": True}, False, "rejected", 50),
        ({"confirmed": 0, "confirmed_mask": 0, "listed_mask": 1, "rejected": True},
         False, "rejected", 50),
        ({"rejected": True}, True, None, 80),  # another report still confirms it
        ({"own": True}, False, "withdrawn", 80),
        ({"allowlisted": True}, False, "withdrawn", 80),
        ({"tlp": "red"}, False, "withdrawn", 80),
        ({"last_seen": NOW - 2 * YEAR}, False, "expired", 80),
    ],
)  # fmt: skip
def test_state_of_an_indicator(
    changes: dict[str, object], present: bool, reason: str | None, confidence: int
) -> None:
    state = state_of(facts(**changes), NOW, YEAR, "amber")
    assert (state.present, state.reason, state.confidence) == (present, reason, confidence)


def test_a_new_sighting_alone_is_no_change_but_a_category_is() -> None:
    before = state_of(facts(), NOW, YEAR, "amber")
    seen_again = state_of(facts(last_seen=NOW), NOW, YEAR, "amber")
    assert not differs(before, seen_again)
    recategorised = state_of(facts(listed_mask=category_mask(["sextortion"])), NOW, YEAR, "amber")
    assert differs(before, recategorised)
