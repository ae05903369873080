"""The queue's pure rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tipline.errors import InvalidInput
from tipline.workspace.core import (
    PAGE_SIZE,
    PageRequest,
    QueueFilter,
    day_bounds,
    fts5_query,
    ordered_filter,
    page_cursor,
    postgres_query,
    read_cursor,
    read_filter,
    read_page,
    snippet,
    waiting,
)


def test_read_filter_keeps_known_values_and_drops_unknown_ones() -> None:
    flt = read_filter(
        {"category": "fraud.loan", "status": "closed", "province": " Huế ", "from": "2026-01-02",
         "to": "2026-01-05", "q": "  công   an "}
    )  # fmt: skip
    assert flt == QueueFilter(
        "fraud.loan", "closed", "Huế", date(2026, 1, 2), date(2026, 1, 5), "công an"
    )
    odd = read_filter({"category": "nope", "status": "open", "from": "2026-13-01", "province": ""})
    assert odd == QueueFilter()


def test_query_items_round_trip() -> None:
    flt = QueueFilter("fraud.loan", None, "Huế", date(2026, 1, 2), None, "zalo")
    assert read_filter(dict(flt.query_items())) == flt
    assert QueueFilter().query_items() == []


def test_read_page() -> None:
    assert read_page({"after": "12"}).after == 12
    assert read_page({"before": "7"}).before == 7
    assert read_page({"after": "x", "before": "-1"}) == read_page({})
    assert read_page({}).size == PAGE_SIZE


def test_queries_need_every_word_under_any_key() -> None:
    """Each word of a search is its keyed hashes (tipline.keyring), one per data key."""
    assert fts5_query([["a1", "b1"], ["c2"]]) == '("a1" OR "b1") AND ("c2")'
    assert fts5_query([]) is None
    assert postgres_query([["a1", "b1"], ["c2"]]) == "(a1 | b1) & (c2)"
    assert postgres_query([]) is None


def test_day_bounds_are_vietnam_days_in_order() -> None:
    low, high = day_bounds(QueueFilter(date_from=date(2026, 3, 5), date_to=date(2026, 3, 1)))
    assert low == datetime(2026, 2, 28, 17, 0, tzinfo=UTC)
    assert high == datetime(2026, 3, 5, 17, 0, tzinfo=UTC)
    assert day_bounds(QueueFilter()) == (None, None)
    swapped = ordered_filter(QueueFilter(date_from=date(2026, 3, 5), date_to=date(2026, 3, 1)))
    assert (swapped.date_from, swapped.date_to) == (date(2026, 3, 1), date(2026, 3, 5))


def test_snippet_cuts_at_a_word() -> None:
    assert snippet("short\n text") == "short text"
    assert snippet("word " * 100, length=12) == "word word…"
    assert snippet("x" * 30, length=10) == "x" * 10 + "…"


def test_waiting() -> None:
    now = datetime(2026, 1, 10, tzinfo=UTC)
    assert waiting(now - timedelta(minutes=5), now) == (5, "minutes")
    assert waiting(now - timedelta(hours=30), now) == (30, "hours")
    assert waiting(now - timedelta(days=4, hours=3), now) == (4, "days")
    assert waiting(now + timedelta(minutes=1), now) == (0, "minutes")


def test_a_cursor_names_its_page_and_a_forged_one_is_refused() -> None:
    assert read_cursor(page_cursor("after", 42), 10) == PageRequest(after=42, size=10)
    assert read_cursor(page_cursor("before", 7)) == PageRequest(before=7)
    assert read_cursor(None, 5) == PageRequest(size=5)
    for forged in ("!!!", page_cursor("after", -1), page_cursor("back", 3), "YWZ0ZXI6"):
        with pytest.raises(InvalidInput) as refused:
            read_cursor(forged)
        assert refused.value.field == "cursor"
