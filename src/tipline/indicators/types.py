"""The value an extraction yields: a kind, one canonical value, and where it came from."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple


class Kind(StrEnum):
    PHONE = "phone"
    BANK_ACCOUNT = "bank_account"
    URL = "url"
    DOMAIN = "domain"
    EMAIL = "email"
    IP = "ip"
    CRYPTO = "crypto"
    HASH = "hash"
    SOCIAL = "social"


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator found in a text; `span` is the [start, end) offset of its first occurrence."""

    kind: Kind
    value: str
    allowlisted: bool
    span: tuple[int, int]

    def to_json(self) -> dict[str, Any]:
        """The object the spec's `extract` contract writes, one per line."""
        return {
            "kind": self.kind.value,
            "value": self.value,
            "allowlisted": self.allowlisted,
            "span": [self.span[0], self.span[1]],
        }


# Longest canonical value stored: PostgreSQL's unique b-tree index takes at most ~2,700 bytes.
MAX_STORED_VALUE_BYTES = 2000


class FoundIndicator(NamedTuple):
    """An indicator of a report; `span` is None for a value listed apart from the narrative;
    `own`: the narrative calls it the reporter's own (tipline.indicators.ownership).

    A named tuple: bulk import sends many of them back from its worker processes, and tuples
    pickle fast.
    """

    kind: str
    value: str
    allowlisted: bool
    span: tuple[int, int] | None
    own: bool = False
