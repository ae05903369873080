"""The audit log as a hash chain: each entry's hash covers its fields and the previous hash.

An entry's hash is SHA-256 over one canonical serialisation: the compact JSON array

    [sequence, recorded_at, actor, action, target_type, target_id, details, previous_hash]

with `recorded_at` as `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC, microseconds: what both databases keep)
and `details` as canonical JSON text (keys sorted, no spaces, UTF-8, no NaN). The first entry has
sequence 1 and links to `GENESIS_HASH` (64 zeros). A JSON array needs no delimiter that a
field could forge, so two different entries never serialise alike.

`verify` walks the entries in the order given and names the first one that is wrong:

- `hash_mismatch`: its fields no longer give its hash (the entry was edited);
- `sequence_gap`: its sequence number skips ahead (entries before it were deleted);
- `out_of_order`: its sequence number repeats or goes back (reordered, duplicated or inserted);
- `broken_link`: its `previous_hash` is not the hash of the entry before (an entry before it was
  edited and re-hashed, or one was inserted or deleted and the rest renumbered);
- `truncated`: the chain ends before a head recorded elsewhere (entries deleted at the end);
- `bad_checkpoint`: a signed checkpoint of the head is not signed by the key (see checkpoints).

A chain alone cannot reveal entries cut from its end, nor a whole chain rewritten by someone
who can write the table; pass `head` (a sequence and hash kept elsewhere, e.g. printed in a
report or sent to a partner) to detect those.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from tipline.errors import InvalidInput, TooLarge
from tipline.vocabulary import VIETNAM_TIME

GENESIS_HASH = "0" * 64
MAX_DETAILS_BYTES = 64 * 1024
FIELD_LIMITS = {"actor": 200, "action": 64, "target_type": 64, "target_id": 200}


@dataclass(frozen=True)
class AuditRecord:
    """One entry of the chain, as stored."""

    sequence: int
    recorded_at: datetime
    actor: str
    action: str
    target_type: str
    target_id: str
    details_json: str
    previous_hash: str
    entry_hash: str

    @property
    def details(self) -> Any:
        return json.loads(self.details_json)


@dataclass(frozen=True)
class ChainPoint:
    """A place in the chain: an entry's sequence number and hash (sequence 0 is the genesis)."""

    sequence: int
    entry_hash: str


GENESIS = ChainPoint(0, GENESIS_HASH)


class Problem(StrEnum):
    HASH_MISMATCH = "hash_mismatch"
    SEQUENCE_GAP = "sequence_gap"
    OUT_OF_ORDER = "out_of_order"
    BROKEN_LINK = "broken_link"
    TRUNCATED = "truncated"
    BAD_CHECKPOINT = "bad_checkpoint"


@dataclass(frozen=True)
class VerifyResult:
    """Whether the chain is intact and, if not, the first entry found wrong and why."""

    intact: bool
    checked: int
    last: ChainPoint
    problem: Problem | None = None
    sequence: int | None = None  # the stored sequence number of the first entry found wrong
    message: str = "intact"


def canonical_details(details: Mapping[str, Any]) -> str:
    """Details as canonical JSON text; refuses what JSON cannot carry exactly."""
    try:
        text = json.dumps(
            details, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"audit details must be plain JSON: {exc}", field="details") from exc
    if len(text.encode("utf-8")) > MAX_DETAILS_BYTES:
        raise TooLarge(f"audit details exceed {MAX_DETAILS_BYTES} bytes", field="details")
    return text


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise InvalidInput("an audit timestamp must carry a time zone", field="recorded_at")
    return moment.astimezone(UTC)


def canonical_timestamp(moment: datetime) -> str:
    return _utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(
    sequence: int,
    recorded_at: datetime,
    actor: str,
    action: str,
    target_type: str,
    target_id: str,
    details_json: str,
    previous_hash: str,
) -> str:
    """SHA-256 (hex) of the canonical serialisation of an entry's fields and the previous hash."""
    fields = [
        sequence,
        canonical_timestamp(recorded_at),
        actor,
        action,
        target_type,
        target_id,
        details_json,
        previous_hash,
    ]
    payload = json.dumps(fields, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _check_fields(values: Mapping[str, str]) -> None:
    for name, value in values.items():
        if not isinstance(value, str):
            raise InvalidInput(f"{name} must be text", field=name)
        if len(value) > FIELD_LIMITS[name]:
            raise TooLarge(f"{name} is longer than {FIELD_LIMITS[name]} characters", field=name)
        if name != "target_id" and not value.strip():
            raise InvalidInput(f"{name} must not be empty", field=name)


def next_entry(
    previous: ChainPoint,
    *,
    recorded_at: datetime,
    actor: str,
    action: str,
    target_type: str,
    target_id: str,
    details: Mapping[str, Any],
) -> AuditRecord:
    """The entry that follows `previous` (use `GENESIS` for the first)."""
    names = {"actor": actor, "action": action, "target_type": target_type, "target_id": target_id}
    _check_fields(names)
    details_json = canonical_details(details)
    moment = _utc(recorded_at)
    sequence = previous.sequence + 1
    digest = entry_hash(
        sequence, moment, actor, action, target_type, target_id, details_json,
        previous.entry_hash,
    )  # fmt: skip
    return AuditRecord(
        sequence, moment, actor, action, target_type, target_id, details_json,
        previous.entry_hash, digest,
    )  # fmt: skip


def recomputed_hash(record: AuditRecord) -> str:
    return entry_hash(
        record.sequence, record.recorded_at, record.actor, record.action, record.target_type,
        record.target_id, record.details_json, record.previous_hash,
    )  # fmt: skip


def _fault(record: AuditRecord, before: ChainPoint) -> tuple[Problem, str] | None:
    """What is wrong with `record` when the chain so far ends at `before`, if anything."""
    expected = before.sequence + 1
    if record.sequence > expected:
        missing = record.sequence - expected
        return Problem.SEQUENCE_GAP, (
            f"entry {record.sequence} follows entry {before.sequence}: "
            f"{missing} entr{'y' if missing == 1 else 'ies'} missing"
        )
    if record.sequence < expected:
        return Problem.OUT_OF_ORDER, (
            f"entry {record.sequence} comes after entry {before.sequence}: "
            "entries reordered, duplicated or inserted"
        )
    try:
        content_ok = recomputed_hash(record) == record.entry_hash
    except InvalidInput:
        content_ok = False
    if not content_ok:
        return Problem.HASH_MISMATCH, f"entry {record.sequence} does not match its hash: edited"
    if record.previous_hash != before.entry_hash:
        return Problem.BROKEN_LINK, (
            f"entry {record.sequence} does not link to the entry before it: an earlier entry "
            "was edited and re-hashed, or entries were inserted or deleted and renumbered"
        )
    return None


def _head_fault(head: ChainPoint, last: ChainPoint, label: str) -> tuple[Problem, int, str]:
    if last.sequence < head.sequence:
        missing = head.sequence - last.sequence
        message = (
            f"missing entries after entry {last.sequence}: {missing} "
            f"entr{'y' if missing == 1 else 'ies'} up to {label} (entry {head.sequence}) are gone"
        )
        return Problem.TRUNCATED, last.sequence + 1, message
    message = f"entry {head.sequence} does not match {label}'s hash: the log was rewritten"
    return Problem.HASH_MISMATCH, head.sequence, message


def verify(
    records: Iterable[AuditRecord],
    *,
    start: ChainPoint = GENESIS,
    head: ChainPoint | None = None,
    head_label: str = "the recorded head",
) -> VerifyResult:
    """Check the chain from `start`; with `head`, also that it passes through that entry
    (`head_label` names it in the message, e.g. "checkpoint 7")."""
    last = start
    checked = 0
    head_seen: str | None = None
    for record in records:
        fault = _fault(record, last)
        if fault is not None:
            problem, message = fault
            return VerifyResult(False, checked, last, problem, record.sequence, message)
        last = ChainPoint(record.sequence, record.entry_hash)
        checked += 1
        if head is not None and record.sequence == head.sequence:
            head_seen = record.entry_hash
    if head is not None and head_seen != head.entry_hash:
        problem, sequence, message = _head_fault(head, last, head_label)
        return VerifyResult(False, checked, last, problem, sequence, message)
    return VerifyResult(True, checked, last)


@dataclass(frozen=True, slots=True)
class EntryFilter:
    """Which entries a reader asks for; None means any."""

    actor: str | None = None
    action: str | None = None
    target_type: str | None = None
    target_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


# The audit page's search fields (query parameters), as typed.
PAGE_FIELDS = ("actor", "type", "id", "from", "to")


def _day_start(value: str, days_later: int = 0) -> datetime | None:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return datetime.combine(day + timedelta(days=days_later), time(), VIETNAM_TIME)


def page_filter(params: Mapping[str, str]) -> tuple[EntryFilter, dict[str, str]]:
    """The audit page's search: by actor (`analyst:lan`), object (type and id) and Vietnam days
    `from`–`to` inclusive; and the fields as typed (a date that is not one is dropped)."""
    shown = {name: (params.get(name) or "").strip()[:200] for name in PAGE_FIELDS}
    since, until = _day_start(shown["from"]), _day_start(shown["to"], 1)
    shown["from"] = shown["from"] if since else ""
    shown["to"] = shown["to"] if until else ""
    flt = EntryFilter(
        actor=shown["actor"] or None, target_type=shown["type"] or None,
        target_id=shown["id"] or None, since=since, until=until,
    )  # fmt: skip
    return flt, {name: value for name, value in shown.items() if value}
