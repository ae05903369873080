"""Opaque keyset cursors of the API: a direction and the key of the row a page starts from.

A client passes back what it was given and reads nothing in it; the server may change what a
cursor holds without breaking anyone. A key is one positive integer (a row's id) or a few (the
sort key of a row that no single column orders, such as a campaign's size and newest report).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from tipline.errors import InvalidInput

DIRECTIONS = ("after", "before")
MAX_KEY = 2**63 - 1
_Row = TypeVar("_Row")


def make_cursor(direction: str, *key: int) -> str:
    """The cursor of the page `direction` ("after" or "before") the row whose key is `key`."""
    text = ":".join([direction, *(str(part) for part in key)])
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def read_key(cursor: str, length: int) -> tuple[str, tuple[int, ...]]:
    """(direction, key of `length` integers) of a cursor `make_cursor` made; InvalidInput on
    any other text."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    direction, *numbers = text.split(":")
    if (
        direction in DIRECTIONS
        and len(numbers) == length
        and all(n.isdigit() and 0 < int(n) <= MAX_KEY for n in numbers)
    ):
        return direction, tuple(int(n) for n in numbers)
    raise InvalidInput("this cursor is not one the API gave", field="cursor")


def read_cursor(cursor: str) -> tuple[str, int]:
    """(direction, key) of a cursor of a one-integer key."""
    direction, (key,) = read_key(cursor, 1)
    return direction, key


@dataclass(frozen=True, slots=True)
class Keyset:
    """A page asked for: `size` rows after (or before, `backwards`) the row whose sort key is
    `anchor`; no anchor: the first page."""

    size: int
    anchor: tuple[int, ...] | None = None
    backwards: bool = False


def read_keyset(cursor: str | None, size: int, length: int) -> Keyset:
    """The page a cursor names (the first page: None), its key `length` integers long."""
    if not cursor:
        return Keyset(size)
    direction, key = read_key(cursor, length)
    return Keyset(size, key, direction == "before")


@dataclass(frozen=True, slots=True)
class Window(Generic[_Row]):
    """The rows of a page, and whether there is a page before and after them."""

    rows: list[_Row]
    has_previous: bool
    has_next: bool


def window(rows: Sequence[_Row], keyset: Keyset) -> Window[_Row]:
    """What to show of the up to `size + 1` rows a keyset query read (in page order: a
    backwards query's rows already turned round): the extra row only tells that there is more
    that way."""
    more = len(rows) > keyset.size
    if keyset.backwards:
        shown = list(rows[1:] if more else rows)
        return Window(shown, more, bool(shown))
    shown = list(rows[: keyset.size])
    return Window(shown, keyset.anchor is not None and bool(shown), more)
