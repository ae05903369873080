"""A pull of an organisation's indicator feed (docs/feeds.md), read as it streams.

    pull = tipline.feed(since=saved_cursor)
    for entry in pull:
        apply(entry)          # FeedAdd: hold it by id; FeedRemove: drop that id
    saved_cursor = pull.cursor

The cursor is known only once the feed's `end` line is read: a pull cut short raises
`BadAnswer` and leaves `cursor` None, so the caller pulls again from its old cursor (applying
the same entries twice does no harm: an add replaces, a remove of an unknown id is ignored).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tipline.client.errors import BadAnswer
from tipline.client.results import _field, _texts, _time


@dataclass(frozen=True, slots=True)
class FeedAdd:
    """An indicator in the feed (new, or changed since the cursor): hold it by `id`."""

    id: int
    kind: str
    value: str
    categories: tuple[str, ...]
    confidence: int
    first_seen: datetime | None
    last_seen: datetime | None
    changed: datetime | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FeedAdd:
        return cls(
            id=_field(data, "id", int),
            kind=_field(data, "kind", str),
            value=_field(data, "value", str),
            categories=_texts(data, "categories"),
            confidence=_field(data, "confidence", int),
            first_seen=_time(data, "first_seen"),
            last_seen=_time(data, "last_seen"),
            changed=_time(data, "changed"),
        )


@dataclass(frozen=True, slots=True)
class FeedRemove:
    """An indicator that left the feed (`rejected`, `expired`, `withdrawn`, `out_of_scope`):
    drop the entry of that `id` if you hold it. It never carries the value."""

    id: int
    kind: str
    reason: str
    changed: datetime | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FeedRemove:
        return cls(
            id=_field(data, "id", int),
            kind=_field(data, "kind", str),
            reason=_field(data, "reason", str),
            changed=_time(data, "changed"),
        )


FeedEntry = FeedAdd | FeedRemove


class FeedPull:
    """One pull of the feed: iterate it once for its entries, then read `cursor` (the
    `since` of the next pull) and `count`."""

    def __init__(self, lines: Callable[[], Iterator[dict[str, Any]]]) -> None:
        self._lines = lines
        self._started = False
        self.cursor: str | None = None
        self.count: int | None = None

    def __iter__(self) -> Iterator[FeedEntry]:
        if self._started:
            raise RuntimeError("a feed pull is read once: ask for a new one")
        self._started = True
        seen = 0
        for line in self._lines():
            op = line.get("op")
            if op == "end":
                self._end(line, seen)
                return
            if op == "add":
                yield FeedAdd.from_json(line)
            elif op == "remove":
                yield FeedRemove.from_json(line)
            else:
                raise BadAnswer(f"the feed has an entry of unknown op {str(op)[:40]!r}")
            seen += 1
        raise BadAnswer("the feed was cut short (no end line): pull again from the old cursor")

    def _end(self, line: Mapping[str, Any], seen: int) -> None:
        count = _field(line, "count", int)
        if count != seen:
            raise BadAnswer(f"the feed's end line counts {count} entries, {seen} came")
        self.count, self.cursor = count, _field(line, "cursor", str)
