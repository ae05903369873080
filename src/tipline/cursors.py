"""Opaque keyset cursors of the API: a direction and the key of the row a page starts from.

A client passes back what it was given and reads nothing in it; the server may change what a
cursor holds without breaking anyone.
"""

from __future__ import annotations

import base64
import binascii

from tipline.errors import InvalidInput

DIRECTIONS = ("after", "before")
MAX_KEY = 2**63 - 1


def make_cursor(direction: str, key: int) -> str:
    """The cursor of the page `direction` ("after" or "before") the row of `key`."""
    return base64.urlsafe_b64encode(f"{direction}:{key}".encode()).decode().rstrip("=")


def read_cursor(cursor: str) -> tuple[str, int]:
    """(direction, key) of a cursor `make_cursor` made; InvalidInput on any other text."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    direction, _, number = text.partition(":")
    if direction in DIRECTIONS and number.isdigit() and 0 < int(number) <= MAX_KEY:
        return direction, int(number)
    raise InvalidInput("this cursor is not one the API gave", field="cursor")
