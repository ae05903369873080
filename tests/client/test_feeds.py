"""Reading a feed's JSON lines (docs/feeds.md): adds and removes in order, the cursor only once
the end line is read, and bodies that are cut short or wrong."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from tipline.client import BadAnswer, Client, FeedAdd, FeedRemove

ADD = (
    b'{"op":"add","id":42,"kind":"phone","value":"+84912345678",'
    b'"categories":["fraud.investment"],"confidence":80,"first_seen":"2026-11-02T08:30:00Z",'
    b'"last_seen":"2026-12-01T10:00:00Z","changed":"2026-12-01T10:05:00Z"}\n'
)
REMOVE = (
    b'{"op":"remove","id":43,"kind":"url","reason":"rejected","changed":"2026-12-01T11:00:00Z"}\n'
)
END = b'{"op":"end","cursor":"YWZ0ZXI6MTIz","count":2}\n'


def feed_client(body: bytes, seen: list[httpx.Request]) -> Client:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=body, headers={"X-Tipline-Cursor": "YWZ0ZXI6MTIz"})

    return Client("http://tipline.test", "tok", transport=httpx.MockTransport(answer))


@pytest.fixture
def seen() -> list[httpx.Request]:
    return []


def test_entries_come_in_order_and_the_cursor_at_the_end(seen: list[httpx.Request]) -> None:
    with feed_client(ADD + REMOVE + END, seen) as tipline:
        pull = tipline.feed(since="b2xk", kinds=["phone", "url"], categories=["fraud.investment"],
                            min_confidence=80)  # fmt: skip
        entries = list(pull)
    assert entries == [
        FeedAdd(42, "phone", "+84912345678", ("fraud.investment",), 80,
                datetime(2026, 11, 2, 8, 30, tzinfo=UTC), datetime(2026, 12, 1, 10, tzinfo=UTC),
                datetime(2026, 12, 1, 10, 5, tzinfo=UTC)),
        FeedRemove(43, "url", "rejected", datetime(2026, 12, 1, 11, tzinfo=UTC)),
    ]  # fmt: skip
    assert (pull.cursor, pull.count) == ("YWZ0ZXI6MTIz", 2)
    params = dict(seen[0].url.params)
    assert params == {"format": "jsonl", "since": "b2xk", "kind": "phone,url",
                      "category": "fraud.investment", "min_confidence": "80"}  # fmt: skip
    assert seen[0].headers["authorization"] == "Bearer tok"


def test_a_pull_is_asked_for_only_when_read(seen: list[httpx.Request]) -> None:
    with feed_client(END, seen) as tipline:
        pull = tipline.feed()
        assert seen == []
        assert pull.cursor is None


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (ADD + REMOVE, "cut short"),
        (ADD + END, "counts 2 entries, 1 came"),
        (b'{"op":"delete","id":1}\n' + END, "unknown op"),
        (ADD[:40] + b"\n" + END, "not answer JSON"),
        (b'{"op":"add","id":"42","kind":"phone"}\n' + END, "no int 'id'"),
    ],
)
def test_a_broken_feed_is_a_bad_answer_and_gives_no_cursor(
    body: bytes, reason: str, seen: list[httpx.Request]
) -> None:
    with feed_client(body, seen) as tipline:
        pull = tipline.feed()
        with pytest.raises(BadAnswer) as bad:
            list(pull)
    assert reason in bad.value.message
    assert pull.cursor is None
