"""The feed's use cases: keep it in step with the database (`refresh`), and pull it
(`open_pull`, then `stream` its text).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from tipline.cursors import make_cursor, read_cursor
from tipline.db_types import utc_now
from tipline.errors import NotPermitted
from tipline.feeds import core, formats, repository
from tipline.feeds.core import Facts, FeedFilter, State
from tipline.feeds.formats import FeedRow
from tipline.feeds.repository import Span, Stored
from tipline.principals import Caller
from tipline.settings import Settings
from tipline.sharing.patterns import observable
from tipline.sharing.shares import definitions
from tipline.sharing.stix import identity_id, indicator_id
from tipline.sharing.tlp import parse_tlp

log = logging.getLogger("tipline.feeds")
# Indicator ids read at once by a full refresh: its memory holds this many facts.
REFRESH_CHUNK = 20_000
# Rows a pull's server-side cursor fetches at once.
STREAM_BATCH = 5_000


@dataclass
class Refreshed:
    """What a refresh changed: entries that came, changed (in or out of the feed) and left."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    last: int = 0  # the feed's latest change after it


def _spans(session: Session, ids: Collection[int] | None) -> list[Span]:
    if ids is not None:
        return [Span(0, 0, tuple(sorted(ids)))] if ids else []
    low, high = repository.id_span(session)
    return [Span(start, start + REFRESH_CHUNK - 1) for start in range(low, high + 1, REFRESH_CHUNK)]


def _stix_id(kind: str, value: str) -> str | None:
    item = observable(kind, value)
    return None if item is None else indicator_id(item)


def _values(state: State) -> dict[str, Any]:
    return {
        "present": state.present, "reason": state.reason, "category_mask": state.category_mask,
        "confidence": state.confidence, "tlp": state.tlp, "first_seen": state.first_seen,
        "last_seen": state.last_seen,
    }  # fmt: skip


def _fresh(known: Facts | None, before: State | None, now: datetime, settings: Settings) -> State:
    """The feed's word on an indicator now; an entry whose indicator no longer exists is
    withdrawn."""
    if known is None:
        assert before is not None, "an id comes from the facts or the stored entries"
        return replace(before, present=False, reason=core.WITHDRAWN)
    expiry = timedelta(days=settings.feed_expiry_days)
    return core.state_of(known, now, expiry, settings.sharing_default_tlp)


def _stix_body(
    ident: int, known: Facts, state: State, added_at: datetime, changed_at: datetime
) -> str | None:
    """The entry's STIX indicator as a pull splices it (formats.stix_template), written
    while it is present; None while it is not."""
    if not state.present:
        return None
    seconds = formats.seconds_text
    row = FeedRow(
        ident, True, known.kind, known.value, state.category_mask, state.confidence, state.tlp,
        seconds(state.first_seen), seconds(state.last_seen), seconds(added_at),
        seconds(changed_at), None, None,
    )  # fmt: skip
    return formats.stix_template(row)


def _new_row(ident: int, known: Facts, fresh: State, seq: int, now: datetime) -> dict[str, Any]:
    return {
        "indicator_id": ident, "kind": known.kind, "value": known.value,
        "stix_id": _stix_id(known.kind, known.value), **_values(fresh),
        "shown_mask": fresh.category_mask, "peak_confidence": fresh.confidence,
        "added_at": now, "changed_at": now, "seq": seq,
        "stix_body": _stix_body(ident, known, fresh, now, now),
    }  # fmt: skip


def _changed_row(
    ident: int, known: Facts | None, before: Stored, fresh: State, seq: int, now: datetime
) -> dict[str, Any]:
    shown, peak = before.shown_mask, before.peak_confidence
    body = None
    if fresh.present:
        assert known is not None, "an indicator no longer there is not present"
        shown, peak = shown | fresh.category_mask, max(peak, fresh.confidence)
        body = _stix_body(ident, known, fresh, before.added_at, now)
    return {
        "indicator_id": ident, **_values(fresh), "shown_mask": shown, "peak_confidence": peak,
        "changed_at": now, "seq": seq, "stix_body": body,
    }  # fmt: skip


def _refresh_span(
    session: Session, span: Span, now: datetime, settings: Settings, done: Refreshed
) -> None:
    facts: dict[int, Facts] = repository.facts_of(session, span)
    stored = repository.stored_states(session, span)
    inserts, updates, written = [], [], []
    for ident in sorted(set(facts) | set(stored)):
        before, known = stored.get(ident), facts.get(ident)
        fresh = _fresh(known, before.state if before else None, now, settings)
        if before is None and known is not None and fresh.present:
            done.last += 1
            done.added += 1
            inserts.append(_new_row(ident, known, fresh, done.last, now))
        elif before is not None and core.differs(before.state, fresh):
            done.last += 1
            done.changed += 1
            done.removed += before.state.present and not fresh.present
            updates.append(_changed_row(ident, known, before, fresh, done.last, now))
        elif before is not None and before.unwritten and known is not None:
            # Stored before its STIX indicator was: written now, as it stands (no change).
            body = _stix_body(ident, known, before.state, before.added_at, before.changed_at)
            written.append({"indicator_id": ident, "stix_body": body})
    repository.insert_entries(session, inserts)
    repository.update_entries(session, updates)
    repository.update_entries(session, written)


def refresh(
    session: Session,
    settings: Settings,
    ids: Collection[int] | None = None,
    now: datetime | None = None,
) -> Refreshed:
    """Bring the feed in step with the database (only the indicators `ids`, when given), in the
    caller's transaction: each entry that came, left or changed takes the next change number.
    The caller commits."""
    repository.lock_refresh(session)
    done = Refreshed(last=repository.last_change(session))
    moment = now or utc_now()
    for span in _spans(session, ids):
        _refresh_span(session, span, moment, settings, done)
    return done


# A full refresh at least this often, whatever the fingerprint says (expiries; a TLP changed).
FULL_REFRESH_EVERY = timedelta(hours=1)


@dataclass
class Refresher:
    """`tipline serve`'s refresher: every `feed_refresh_seconds`, the whole feed when what it is
    made of changed (`repository.sources_fingerprint`: imported lists, new sightings, reviews…)
    or an hour went by; otherwise nothing (a full refresh of a million indicators costs tens
    of CPU seconds: bench/README.md). Analysts' reviews refresh their indicator at once."""

    session_factory: sessionmaker[Session]
    settings: Settings
    fingerprint: tuple[Any, ...] | None = None
    done_at: datetime | None = None

    def round(self, now: datetime) -> Refreshed | None:
        with self.session_factory() as session, session.begin():
            fingerprint = repository.sources_fingerprint(session)
            due = self.done_at is None or now - self.done_at >= FULL_REFRESH_EVERY
            if fingerprint == self.fingerprint and not due:
                return None
            done = refresh(session, self.settings, now=now)
        self.fingerprint, self.done_at = fingerprint, now
        return done


@dataclass(frozen=True, slots=True)
class Pull:
    """A pull, checked: who, what, since which change and up to which (`cursor` names it)."""

    caller: Caller
    format: str
    wanted: FeedFilter
    since: int | None
    bound: int

    @property
    def cursor(self) -> str:
        return make_cursor("after", self.bound) if self.bound else ""

    @property
    def media_type(self) -> str:
        return formats.MEDIA_TYPES[self.format]


@dataclass(frozen=True, slots=True)
class PullRequest:
    """What a pull asked for, as the API's parameters say it."""

    format: str = "jsonl"
    kind: str | None = None
    category: str | None = None
    min_confidence: int | None = None
    since: str | None = None


def open_pull(session: Session, caller: Caller, asked: PullRequest) -> Pull:
    """Check a pull against the caller's agreement and fix the change it reads up to.
    NotPermitted for a caller without one, or asking outside it; InvalidInput for a bad
    cursor or word."""
    agreement = repository.caller_agreement(session, caller)
    if agreement is None:
        raise NotPermitted("Feeds are for organisations' tokens.")
    wanted = core.narrowed(agreement, asked.kind, asked.category, asked.min_confidence)
    since = read_cursor(asked.since)[1] if asked.since else None
    bound = repository.last_change(session)
    return Pull(caller, asked.format, wanted, since, max(bound, since or 0))


def _rows(session_factory: sessionmaker[Session], pull: Pull) -> Iterator[FeedRow]:
    """The pull's entries, read through a server-side cursor a batch at a time."""
    with session_factory() as session:
        stix = pull.format == "stix"
        statement = repository.readable_entries(
            session, pull.caller, pull.wanted, pull.since, pull.bound, stix
        )
        # Core, not the ORM: plain tuples, no entities.
        connection = session.connection()
        result = connection.execute(statement, execution_options={"yield_per": STREAM_BATCH})
        make = FeedRow._make
        for row in result:
            yield make(row)


def stream(session_factory: sessionmaker[Session], settings: Settings, pull: Pull) -> Iterator[str]:
    """The text of a pull, block by block, in its format."""
    rows = _rows(session_factory, pull)
    if pull.format == "csv":
        return formats.csv_text(rows, pull.cursor)
    if pull.format == "stix":
        head = [item.body for item in definitions(settings.sharing_identity_name)]
        marks = {parse_tlp(t).marking_id for t in core.FEED_TLPS}
        head = [
            body for body in head if body["type"] != "marking-definition" or body["id"] in marks
        ]
        return formats.stix_bundle(rows, identity_id(settings.sharing_identity_name), head)
    return formats.jsonl(rows, pull.cursor)
