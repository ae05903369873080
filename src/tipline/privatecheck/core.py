"""The keyed set, pure: which indicators are in it, with what verdict, and their entries.

An indicator is in the set when the public check would answer `reported` or `allowlisted` for
it, counting its reports as the public check does (the reporter's own left out, the privacy
rules of tipline.indicators.disclosure applied), with two differences the set needs: a report
link an analyst rejected is not counted (a rejected indicator leaves), and an indicator not seen
for `expiry_days` is not in it (an expired one leaves).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tipline.client import oprf
from tipline.client.private import (
    bucket_number,
    encode_bytes,
    entry_for,
    oprf_input,
    verdict_plaintext,
)
from tipline.indicators.disclosure import disclosed


@dataclass(frozen=True, slots=True)
class Facts:
    """What the set needs to know of one indicator: its value, whether it is allowlisted, when
    it was last seen, its counted reports by category, whether an analyst confirmed it in one,
    and the categories of the feeds that list it."""

    id: int
    kind: str
    value: str
    allowlisted: bool
    last_seen: datetime
    categories: Mapping[str, int] = field(default_factory=dict)
    confirmed: bool = False
    feed_categories: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class Listed:
    """An indicator the set lists, before its key is applied: what the worker seals."""

    id: int
    kind: str
    value: str
    plaintext: bytes
    last_seen: datetime


@dataclass(frozen=True, slots=True)
class Entry:
    """One row of a key's set."""

    indicator_id: int
    bucket: int
    tag: bytes
    sealed: bytes
    last_seen: datetime

    @property
    def answer_json(self) -> str:
        return answer_json(self.tag, self.sealed)


def answer_json(tag: bytes, sealed: bytes) -> str:
    """An entry as an answer lists it, `["tag","sealed"]` in base64url: written with the entry,
    so that a check joins its bucket's in the database and encodes nothing."""
    return f'["{encode_bytes(tag)}","{encode_bytes(sealed)}"]'


def expired_before(now: datetime, expiry_days: int) -> datetime | None:
    """The moment before which an indicator has expired (None: nothing expires)."""
    return now - timedelta(days=expiry_days) if expiry_days > 0 else None


def verdict(facts: Facts) -> bytes | None:
    """The sealed verdict's plaintext of an indicator, or None when it is not in the set (the
    public check would answer `not_reported`)."""
    categories: Mapping[str, int] = {} if facts.allowlisted else facts.categories
    confirmed = facts.confirmed and not facts.allowlisted
    shown = disclosed(categories, confirmed)
    counts = dict(shown.categories)
    for category in facts.feed_categories:
        counts[category] = counts.get(category, 0) + 1
    if shown.report_count > 0 or facts.feed_categories:
        answer = "reported"
    elif facts.allowlisted:
        answer = "allowlisted"
    else:
        return None
    return verdict_plaintext(answer, confirmed, facts.allowlisted, shown.report_count, counts)


def listed(facts: Sequence[Facts], expired: datetime | None) -> list[Listed]:
    """The indicators among `facts` that the set lists now."""
    found = []
    for item in facts:
        if expired is not None and item.last_seen < expired:
            continue
        plaintext = verdict(item)
        if plaintext is not None:
            found.append(Listed(item.id, item.kind, item.value, plaintext, item.last_seen))
    return found


def fingerprint(item: Listed) -> int:
    """What an item's entry is made of but its random nonce: an entry sealed from an item of
    the same fingerprint answers the same."""
    return hash((item.id, item.kind, item.value, item.plaintext, item.last_seen))


def sealed_entries(key: bytes, prefix_bits: int, items: Sequence[Listed]) -> list[Entry]:
    """Each listed indicator's entry under `key`: the OPRF of its value, evaluated by the key's
    holder, gives its tag and the key its verdict is sealed with. (The bulk build runs this in
    worker processes: it is the set's cost, ~70 µs an indicator.)"""
    entries = []
    nonces = os.urandom(12 * len(items))
    for index, item in enumerate(items):
        output = oprf.evaluate(key, oprf_input(item.kind, item.value))
        tag, sealed = entry_for(output, item.plaintext, nonces[12 * index : 12 * index + 12])
        bucket = bucket_number(item.kind, item.value, prefix_bits)
        entries.append(Entry(item.id, bucket, tag, sealed, item.last_seen))
    return entries


def sealed_batch(job: tuple[bytes, int, Sequence[Listed]]) -> list[Entry]:
    """`sealed_entries` of one job, as a process pool's `imap` calls it."""
    key, prefix_bits, items = job
    return sealed_entries(key, prefix_bits, items)
