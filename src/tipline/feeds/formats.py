"""The feed's lines as each format writes them (docs/feeds.md): JSON lines, CSV, a STIX 2.1
bundle. Pure: rows in, text out.

A million rows are written in a few seconds, so the common parts are made once (a category
mask's JSON), the database writes the timestamps as text (`repository.iso_seconds`), and each
line is one f-string or one csv-writer call. An entry's STIX indicator is written when the
entry changes (`stix_template`, stored with it): a pull splices in only what is the reader's
(the creator's id, the categories its filters keep).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from json.encoder import encode_basestring_ascii as json_string
from typing import Any, NamedTuple
from uuid import uuid4

from tipline.sharing.patterns import observable
from tipline.sharing.policy import categories_of
from tipline.sharing.stix import (
    KIND_WORDS,
    IndicatorShare,
    Version,
    indicator_id,
    indicator_object,
    revoked,
    timestamp,
)
from tipline.sharing.tlp import Tlp, parse_tlp

CSV_COLUMNS = (
    "op", "id", "kind", "value", "categories", "confidence", "first_seen", "last_seen",
    "changed", "reason",
)  # fmt: skip
MEDIA_TYPES = {
    "jsonl": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "stix": "application/stix+json;version=2.1",
}
# Lines a block of the stream holds: big enough that a block is one write to the socket,
# small enough that memory stays flat.
BLOCK_LINES = 2000
# Where a stored STIX template takes the creator's id, then the categories as text and as a
# JSON list: a control character, which JSON text always writes escaped, so never one of its own.
SPLICE = "\x1f"


class FeedRow(NamedTuple):
    """One entry as a pull reads it: `add` (present within the reader's filters) or not, with
    only the reader's categories, and no value for a removal (the query leaves it out). Its
    times are UTC text to the second, `2026-12-01T10:05:00Z`."""

    id: int
    add: bool
    kind: str
    value: str | None
    category_mask: int
    confidence: int
    tlp: str
    first_seen: str
    last_seen: str
    added_at: str
    changed_at: str
    reason: str | None
    stix_id: str | None
    # Its STIX indicator as `stix_template` wrote it ("": STIX cannot carry it; None: not
    # written, or not read: the pull is not STIX, or the row is a removal).
    stix_body: str | None = None


def moment(text: str) -> datetime:
    """A row's time as a datetime: `2026-12-01T10:05:00Z` → 2026-12-01 10:05 UTC."""
    return datetime.fromisoformat(text)


def seconds_text(when: datetime) -> str:
    """A time as a pull reads it (`repository.iso_seconds`): 2026-12-01 10:05:00.7 UTC →
    `2026-12-01T10:05:00Z`."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@lru_cache(maxsize=1024)
def categories_json(mask: int) -> str:
    return json.dumps(list(categories_of(mask)))


@lru_cache(maxsize=1024)
def categories_text(mask: int) -> str:
    return " ".join(categories_of(mask))


def jsonl_line(row: FeedRow) -> str:
    if not row.add:
        reason = json.dumps(row.reason)
        return (
            f'{{"op":"remove","id":{row.id},"kind":"{row.kind}","reason":{reason},'
            f'"changed":"{row.changed_at}"}}\n'
        )
    return (
        f'{{"op":"add","id":{row.id},"kind":"{row.kind}","value":{json.dumps(row.value)},'
        f'"categories":{categories_json(row.category_mask)},"confidence":{row.confidence},'
        f'"first_seen":"{row.first_seen}","last_seen":"{row.last_seen}",'
        f'"changed":"{row.changed_at}"}}\n'
    )


def jsonl(rows: Iterable[FeedRow], cursor: str) -> Iterator[str]:
    """Blocks of JSON lines, the last line `{"op":"end","cursor":…,"count":…}`."""
    count = 0
    for block in _blocks(rows):
        count += len(block)
        yield "".join(jsonl_line(row) for row in block)
    yield json.dumps({"op": "end", "cursor": cursor, "count": count}) + "\n"


def csv_fields(row: FeedRow) -> tuple[Any, ...]:
    changed = row.changed_at
    if not row.add:
        return ("remove", row.id, row.kind, "", "", "", "", "", changed, row.reason)
    return (
        "add", row.id, row.kind, row.value, categories_text(row.category_mask), row.confidence,
        row.first_seen, row.last_seen, changed, "",
    )  # fmt: skip


def csv_text(rows: Iterable[FeedRow], cursor: str) -> Iterator[str]:
    """Blocks of CSV: the header, a row an entry, and the `end` row (count, cursor)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for block in _blocks(rows):
        count += len(block)
        writer.writerows(csv_fields(row) for row in block)
        yield _taken(buffer)
    writer.writerow(("end", count, "", cursor, "", "", "", "", "", ""))
    yield _taken(buffer)


def _taken(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


@lru_cache(maxsize=8)
def _tlp(text: str) -> Tlp:
    return parse_tlp(text)


def stix_template(row: FeedRow) -> str:
    """An entry's STIX indicator (`stix_indicator` of the row as it is present, byte for byte)
    with `SPLICE` where the creator's id and the reader's categories go; "" where STIX cannot
    carry the value. Written when the entry changes, so a pull of a million does not build a
    million indicators."""
    item = observable(row.kind, row.value or "")
    if item is None:
        return ""
    created, changed = moment(row.added_at), moment(row.changed_at)
    kind_word = KIND_WORDS[row.kind]
    return (
        f'{{"type":"indicator","spec_version":"2.1","id":"{indicator_id(item)}",'
        f'"created_by_ref":"{SPLICE}","created":"{timestamp(created)}",'
        f'"modified":"{timestamp(max(changed, created))}",'
        f'"object_marking_refs":["{_tlp(row.tlp).marking_id}"],'
        f'"name":{json_string(f"{kind_word} {row.value}")},'
        f'"description":"In tipline\'s indicator feed ({SPLICE}).",'
        f'"indicator_types":["malicious-activity"],"pattern":{json_string(item.pattern)},'
        f'"pattern_type":"stix","pattern_version":"2.1",'
        f'"valid_from":"{timestamp(moment(row.first_seen))}","confidence":{row.confidence},'
        f'"labels":{SPLICE}}}'
    )


@lru_cache(maxsize=1024)
def _labels(mask: int) -> tuple[str, str]:
    """A category mask as the indicator's description says it and as its labels."""
    labels = categories_of(mask)
    return json_string(", ".join(labels))[1:-1], json.dumps(list(labels), separators=(",", ":"))


def stix_text(row: FeedRow, creator: str) -> str | None:
    """An entry's STIX indicator as JSON text, from its stored template when it has one."""
    body = row.stix_body
    if body is None or not row.add:
        found = stix_indicator(row, creator)
        return None if found is None else json.dumps(found, separators=(",", ":"))
    if not body:
        return None
    head, middle, tail, end = body.split(SPLICE)
    text, listed = _labels(row.category_mask)
    return f"{head}{creator}{middle}{text}{tail}{listed}{end}"


def stix_indicator(row: FeedRow, creator: str) -> dict[str, Any] | None:
    """An entry's STIX indicator: as sharing builds it (its confidence the feed's), or its
    revoked version without the value; None where STIX cannot carry the value."""
    added, changed = moment(row.added_at), moment(row.changed_at)
    version = Version(added, max(changed, added))
    tlp = _tlp(row.tlp)
    if not row.add:
        if row.stix_id is None:
            return None
        body = {
            "type": "indicator", "spec_version": "2.1", "id": row.stix_id,
            "created_by_ref": creator, "created": timestamp(version.created),
            "object_marking_refs": [tlp.marking_id], "indicator_types": ["malicious-activity"],
            "pattern_type": "stix", "pattern_version": "2.1",
            "valid_from": timestamp(moment(row.first_seen)),
        }  # fmt: skip
        return revoked(body, version.modified)
    item = observable(row.kind, row.value or "")
    if item is None:
        return None
    labels = categories_of(row.category_mask)
    first, last = moment(row.first_seen), moment(row.last_seen)
    share = IndicatorShare(row.kind, row.value or "", tlp, labels, 0, first, last)
    return indicator_object(share, item, creator, version) | {
        "confidence": row.confidence,
        "description": f"In tipline's indicator feed ({', '.join(labels)}).",
    }


def stix_bundle(
    rows: Iterable[FeedRow], creator: str, head: Sequence[dict[str, Any]]
) -> Iterator[str]:
    """One bundle, in blocks: the `head` objects (the instance's identity, the markings: at
    least one), then an indicator an entry."""
    assert head, "a bundle starts with the objects its indicators refer to"
    yield f'{{"type":"bundle","id":"bundle--{uuid4()}","objects":['
    yield ",".join(json.dumps(item, separators=(",", ":")) for item in head)
    for block in _blocks(rows):
        texts = [text for text in (stix_text(row, creator) for row in block) if text is not None]
        if texts:
            yield "," + ",".join(texts)
    yield "]}"


def _blocks(rows: Iterable[FeedRow]) -> Iterator[list[FeedRow]]:
    block: list[FeedRow] = []
    for row in rows:
        block.append(row)
        if len(block) >= BLOCK_LINES:
            yield block
            block = []
    if block:
        yield block
