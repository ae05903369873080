"""Every query of the feed. What a caller may pull is decided here, in the statement, from the
caller: a `platform` principal's organisation's agreement (kinds, categories, lowest
confidence) bounds every read; anyone else reads nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    Table,
    and_,
    case,
    false,
    func,
    insert,
    literal,
    null,
    select,
    true,
    update,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from tipline.db import serialise_appends
from tipline.feeds.core import (
    NO_AGREEMENT,
    OUT_OF_SCOPE,
    Agreement,
    Facts,
    FeedFilter,
    State,
    words,
)
from tipline.feeds.models import FeedEntry
from tipline.indicators.models import IndicatorRecord, IndicatorReview, IndicatorSource
from tipline.indicators.models import ReportIndicator as Link
from tipline.partners.models import Organisation
from tipline.principals import Caller, Principal, Role
from tipline.reports.models import Report
from tipline.sharing.policy import category_mask
from tipline.triage.models import TriageCorrection


class iso_seconds(FunctionElement[str]):  # noqa: N801 (a SQL function, named as one)
    """A UTC time column as text to the second, `2026-12-01T10:05:00Z`, written by the
    database: a pull of a million entries would spend seconds making datetimes to print."""

    type = String()
    inherit_cache = True


@compiles(iso_seconds, "sqlite")
def _iso_seconds_sqlite(element: iso_seconds, compiler: Any, **kw: Any) -> str:
    # SQLite holds naive UTC text (tipline.db_types.UtcDateTime).
    return f"strftime('%Y-%m-%dT%H:%M:%SZ', {compiler.process(element.clauses, **kw)})"


@compiles(iso_seconds, "postgresql")
def _iso_seconds_postgresql(element: iso_seconds, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""


# pg_advisory_xact_lock key of the feed's refresh ("tl feeds" as a 63-bit number).
REFRESH_LOCK_KEY = 0x746C2066_65656473


def agreement_of(organisation: Organisation) -> Agreement:
    """An organisation's stored agreement as plain values."""
    return Agreement(
        frozenset(words(organisation.feed_kinds)),
        frozenset(words(organisation.feed_categories)),
        organisation.feed_min_confidence,
    )


def caller_agreement(session: Session, caller: Caller) -> Agreement | None:
    """The agreement the caller pulls under: its organisation's, for a `platform` principal
    (none that allows anything when it has no organisation); None for anyone else."""
    if not isinstance(caller, Principal) or caller.role is not Role.PLATFORM:
        return None
    found = caller.organisation_id and session.get(Organisation, caller.organisation_id)
    return agreement_of(found) if found else NO_AGREEMENT


def _within(agreement: Agreement, wanted: FeedFilter) -> tuple[list[str], int, int]:
    """The kinds, categories' mask and floor of a pull: what it asked for, cut to the
    agreement (the service refuses what is outside it; this makes sure)."""
    kinds = sorted(set(wanted.kinds) & agreement.kinds)
    mask = wanted.category_mask & agreement.category_mask
    return kinds, mask, max(wanted.min_confidence, agreement.min_confidence)


def readable_entries(
    session: Session,
    caller: Caller,
    wanted: FeedFilter,
    since: int | None,
    bound: int,
    stix: bool = False,
) -> Select[Any]:
    """The entries this caller may pull, in change order, up to `bound` (the last change when
    the pull began): without `since`, those present within its filters; with it, every change
    after `since` to an entry of its kinds, each an `add` or a removal. A removal carries
    neither the value nor categories; an `add` only the caller's categories (and, `stix`, its
    stored STIX indicator)."""
    agreement = caller_agreement(session, caller)
    kinds: list[str] = []
    mask, floor = 0, 101
    allowed: ColumnElement[bool] = false()
    if agreement is not None:
        kinds, mask, floor = _within(agreement, wanted)
        allowed = true()
    bits = FeedEntry.category_mask.op("&")(literal(mask))
    adds = and_(FeedEntry.present.is_(true()), bits != 0, FeedEntry.confidence >= floor)
    # A removal only to readers it may have been shown to.
    shown = and_(
        FeedEntry.shown_mask.op("&")(literal(mask)) != 0, FeedEntry.peak_confidence >= floor
    )
    statement = select(*_feed_row(adds, bits, stix)).where(
        allowed, FeedEntry.kind.in_(kinds), FeedEntry.seq <= bound
    )
    statement = statement.where(adds if since is None else and_(FeedEntry.seq > since, shown))
    return statement.order_by(FeedEntry.seq)


def _feed_row(adds: ColumnElement[bool], bits: Any, stix: bool) -> list[Any]:
    """A pull's columns (tipline.feeds.formats.FeedRow). A STIX pull reads an `add`'s stored
    indicator instead of what it is made of; other formats do not read it."""
    template = case((adds, FeedEntry.stix_body), else_=null()) if stix else null()
    built = and_(adds, FeedEntry.stix_body.is_not(None)) if stix else false()

    def unless_built(column: Any) -> Any:
        return case((built, null()), else_=column) if stix else column

    return [
        FeedEntry.indicator_id, adds.label("add"), FeedEntry.kind,
        unless_built(case((adds, FeedEntry.value), else_=null())), case((adds, bits), else_=0),
        FeedEntry.confidence, FeedEntry.tlp, unless_built(iso_seconds(FeedEntry.first_seen)),
        unless_built(iso_seconds(FeedEntry.last_seen)),
        unless_built(iso_seconds(FeedEntry.added_at)) if stix else null(),
        unless_built(iso_seconds(FeedEntry.changed_at)),
        case((adds, null()), else_=func.coalesce(FeedEntry.reason, OUT_OF_SCOPE)),
        FeedEntry.stix_id if stix else null(), template,
    ]  # fmt: skip


def last_change(session: Session) -> int:
    """The number of the feed's latest change (0: none yet)."""
    return int(session.scalar(select(func.max(FeedEntry.seq))) or 0)


# --- refresh (tipline.feeds.service) ----------------------------------------------------------


def lock_refresh(session: Session) -> None:
    """One refresh at a time, until this transaction ends: the numbers it gives its changes
    follow every number given before, so a reader after a cursor misses none."""
    serialise_appends(session, REFRESH_LOCK_KEY, cast(Table, FeedEntry.__table__))


def id_span(session: Session) -> tuple[int, int]:
    """The lowest and highest indicator id, of indicators and of the feed's entries (an entry
    may outlive its indicator); (1, 0) when there are none."""
    ends = [
        session.execute(select(func.min(column), func.max(column))).one()
        for column in (IndicatorRecord.id, FeedEntry.indicator_id)
    ]  # each from its primary key's index
    lows = [int(low) for low, _ in ends if low is not None]
    highs = [int(high) for _, high in ends if high is not None]
    return (min(lows), max(highs)) if lows else (1, 0)


@dataclass(frozen=True, slots=True)
class Span:
    """Indicator ids `low` to `high` (inclusive), or just `ids` when given."""

    low: int
    high: int
    ids: tuple[int, ...] | None = None

    def on(self, column: Any) -> ColumnElement[bool]:
        if self.ids is not None:
            return cast(ColumnElement[bool], column.in_(self.ids))
        return cast(ColumnElement[bool], column.between(self.low, self.high))


def facts_of(session: Session, span: Span) -> dict[int, Facts]:
    """The facts of every indicator of the span that a report confirms or a list names, or
    that a report calls its reporter's own or an analyst rejected."""
    facts: dict[int, Facts] = {}
    record = select(
        IndicatorRecord.id, IndicatorRecord.kind, IndicatorRecord.value,
        IndicatorRecord.allowlisted, IndicatorRecord.tlp,
    ).where(span.on(IndicatorRecord.id))  # fmt: skip
    for ident, kind, value, allowlisted, tlp in session.execute(record):
        facts[ident] = Facts(kind, value, bool(allowlisted), tlp)
    confirmed = (
        select(Link.indicator_id, Report.category, func.count(), func.min(Report.created_at),
               func.max(Report.created_at))
        .join(Report, Report.id == Link.report_id)
        .where(span.on(Link.indicator_id), Link.confirmed.is_(true()),
               Link.reporter_own.is_(false()))
        .group_by(Link.indicator_id, Report.category)
    )  # fmt: skip
    for ident, category, count, first, last in session.execute(confirmed):
        item = facts[ident]
        item.confirmed += count
        item.confirmed_mask |= category_mask([category])
        item.seen(first, last)
    listed = (
        select(IndicatorSource.indicator_id, IndicatorSource.category,
               func.min(IndicatorSource.first_seen), func.max(IndicatorSource.last_seen))
        .where(span.on(IndicatorSource.indicator_id))
        .group_by(IndicatorSource.indicator_id, IndicatorSource.category)
    )  # fmt: skip
    for ident, category, first, last in session.execute(listed):
        facts[ident].listed_mask |= category_mask([category])
        facts[ident].seen(first, last)
    own = select(Link.indicator_id).where(span.on(Link.indicator_id), Link.reporter_own.is_(true()))
    for ident in session.scalars(own.distinct()):
        facts[ident].own = True
    rejected = select(IndicatorReview.indicator_id).where(
        span.on(IndicatorReview.indicator_id), IndicatorReview.state == "rejected"
    )
    for ident in session.scalars(rejected.distinct()):
        facts[ident].rejected = True
    return facts


@dataclass(frozen=True, slots=True)
class Stored:
    """An entry as the feed last said it, with what it was while present."""

    state: State
    shown_mask: int
    peak_confidence: int
    added_at: datetime
    changed_at: datetime
    unwritten: bool  # present, and its STIX indicator not written yet


def stored_states(session: Session, span: Span) -> dict[int, Stored]:
    """The feed's entries of the span."""
    unwritten = and_(FeedEntry.present.is_(true()), FeedEntry.stix_body.is_(None))
    statement = select(
        FeedEntry.indicator_id, FeedEntry.present, FeedEntry.reason, FeedEntry.category_mask,
        FeedEntry.confidence, FeedEntry.tlp, FeedEntry.first_seen, FeedEntry.last_seen,
        FeedEntry.shown_mask, FeedEntry.peak_confidence, FeedEntry.added_at,
        FeedEntry.changed_at, unwritten,
    ).where(span.on(FeedEntry.indicator_id))  # fmt: skip
    return {
        row[0]: Stored(
            State(bool(row[1]), *row[2:8]), row[8], row[9], row[10], row[11], bool(row[12])
        )
        for row in session.execute(statement)
    }


def sources_fingerprint(session: Session) -> tuple[Any, ...]:
    """What changes when an indicator's feed entry may: new indicators and sightings, lists
    imported, analysts' reviews, values called a reporter's own, reports recategorised. Equal
    fingerprints: a full refresh would find nothing to do (but expiries, which time brings)."""
    aggregates = (
        select(func.max(IndicatorRecord.id), func.max(IndicatorRecord.last_seen)),
        select(func.count(), func.max(IndicatorSource.last_seen)).select_from(IndicatorSource),
        select(func.count(), func.max(IndicatorReview.reviewed_at)).select_from(IndicatorReview),
        select(func.count()).select_from(Link).where(Link.reporter_own.is_(true())),
        select(func.max(TriageCorrection.id)),
    )
    return tuple(value for statement in aggregates for value in session.execute(statement).one())


def insert_entries(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(FeedEntry), list(rows))


def update_entries(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Rows by their `indicator_id`, with the columns to set."""
    if rows:
        session.execute(update(FeedEntry), list(rows))
