"""`Client.feed` against a live server: a platform token's full pull, then the changes since
its cursor; a token that may not pull is refused."""

from __future__ import annotations

import pytest
from tests.client.conftest import BLOCKLISTED, LiveFeed, LiveServer

from tipline.client import Client, FeedAdd, InvalidValue, NotAuthorised


def test_a_full_pull_then_an_incremental_one(live_feed: LiveFeed) -> None:
    with Client(live_feed.url, live_feed.token, language="en") as tipline:
        pull = tipline.feed(kinds=["domain"])
        entries = list(pull)
        assert pull.cursor is not None
        assert pull.count == len(entries) == 2
        assert all(isinstance(entry, FeedAdd) for entry in entries)
        assert sorted(e.value for e in entries if isinstance(e, FeedAdd)) == sorted(BLOCKLISTED)
        first = entries[0]
        assert isinstance(first, FeedAdd)
        assert (first.kind, first.categories, first.confidence) == (
            "domain",
            ("fraud.phishing",),
            50,
        )
        later = tipline.feed(since=pull.cursor, kinds=["domain"])
        assert list(later) == []
        assert (later.count, later.cursor is not None) == (0, True)


def test_a_pull_is_read_once(live_feed: LiveFeed) -> None:
    with Client(live_feed.url, live_feed.token) as tipline:
        pull = tipline.feed()
        list(pull)
        with pytest.raises(RuntimeError):
            list(pull)


def test_a_kind_outside_the_agreement_is_refused(live_feed: LiveFeed) -> None:
    with Client(live_feed.url, live_feed.token, language="en") as tipline:
        with pytest.raises(NotAuthorised) as refused:
            list(tipline.feed(kinds=["phone"]))
    assert (refused.value.status, refused.value.code) == (403, "not_permitted")


def test_no_token_may_not_pull(live_server: LiveServer) -> None:
    with Client(live_server.url) as tipline, pytest.raises(NotAuthorised) as refused:
        list(tipline.feed())
    assert refused.value.status == 401


def test_a_bad_cursor_is_refused(live_feed: LiveFeed) -> None:
    with Client(live_feed.url, live_feed.token, language="en") as tipline:
        with pytest.raises(InvalidValue) as refused:
            list(tipline.feed(since="not-a-cursor"))
    assert (refused.value.status, refused.value.field) == (422, "cursor")
