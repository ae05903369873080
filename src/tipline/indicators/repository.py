"""Every query on indicators, their report links and their feed sources.

Writes are `INSERT … ON CONFLICT` on both SQLite and PostgreSQL, so that two writers naming the
same phone at once both count it, and rows are sorted before writing so that concurrent
PostgreSQL transactions take row locks in the same order (no deadlock).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    ColumnElement,
    String,
    Table,
    any_,
    bindparam,
    case,
    false,
    func,
    literal_column,
    select,
    text,
    true,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from tipline.indicators.models import IndicatorRecord, IndicatorSource, ReportIndicator
from tipline.principals import Caller, is_staff
from tipline.reports.models import Report
from tipline.reports.repository import report_scope

Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class IndicatorSighting:
    """An indicator seen `reports` times (0 for a feed entry) between two moments."""

    kind: str
    value: str
    allowlisted: bool
    first_seen: datetime
    last_seen: datetime
    reports: int


def _insert(session: Session, table: Any) -> Any:
    """The dialect's INSERT, which has `on_conflict_do_update`."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def upsert_indicators(session: Session, sightings: Iterable[IndicatorSighting]) -> dict[Key, int]:
    """Insert or update each indicator (counts add up, seen dates widen); ids by (kind, value)."""
    rows = _merge_sightings(sightings)
    if not rows:
        return {}
    result = session.execute(_upsert(session.get_bind().dialect.name), rows)
    return {(kind, value): ident for ident, kind, value in result}


@lru_cache(maxsize=4)
def _upsert(dialect: str) -> Any:
    """`upsert_indicators`' statement, built once a dialect (the rows are its parameters)."""
    table = cast(Table, IndicatorRecord.__table__)
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    excluded = stmt.excluded
    return stmt.on_conflict_do_update(
        index_elements=[table.c.kind, table.c.value],
        set_={
            "report_count": table.c.report_count + excluded.report_count,
            "allowlisted": excluded.allowlisted,
            "first_seen": case(
                (excluded.first_seen < table.c.first_seen, excluded.first_seen),
                else_=table.c.first_seen,
            ),
            "last_seen": case(
                (excluded.last_seen > table.c.last_seen, excluded.last_seen),
                else_=table.c.last_seen,
            ),
        },
    ).returning(table.c.id, table.c.kind, table.c.value)


def _merge_sightings(sightings: Iterable[IndicatorSighting]) -> list[dict[str, Any]]:
    merged: dict[Key, dict[str, Any]] = {}
    for s in sightings:
        row = merged.get((s.kind, s.value))
        if row is None:
            merged[(s.kind, s.value)] = {
                "kind": s.kind,
                "value": s.value,
                "allowlisted": s.allowlisted,
                "first_seen": s.first_seen,
                "last_seen": s.last_seen,
                "report_count": s.reports,
            }
            continue
        row["report_count"] += s.reports
        row["first_seen"] = min(row["first_seen"], s.first_seen)
        row["last_seen"] = max(row["last_seen"], s.last_seen)
    return [merged[key] for key in sorted(merged)]


def link_reports(session: Session, links: Sequence[dict[str, Any]]) -> None:
    """Insert (report_id, indicator_id, span_start, span_end) links; a repeat is kept once."""
    if not links:
        return
    table = ReportIndicator.__table__
    stmt = _insert(session, table).on_conflict_do_nothing(
        index_elements=[table.c.report_id, table.c.indicator_id]
    )
    session.execute(stmt, list(links))


def plan_for_a_growing_table(session: Session) -> None:
    """On PostgreSQL, plan each statement of this transaction for the tables as they are now.

    A feed import adds thousands of indicators in one transaction, and each listing it writes
    is checked against `indicator` by the foreign key's own query, whose plan PostgreSQL caches
    per connection: cached while `indicator` held a few rows, it is a sequential scan, and every
    check then reads the whole grown table (the re-import of ChongLuaDao inside one test
    transaction took over ten minutes). A plan made for each check uses the primary key.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def record_feed_indicators(
    session: Session, sightings: Sequence[IndicatorSighting], seen: datetime
) -> dict[Key, int]:
    """A feed's indicators, ids by (kind, value): the new ones (and any whose allowlisting
    changed) upserted, the others seen again in one statement that moves `last_seen` forward.

    A feed is imported once and then again every day: a re-import reads what is stored and
    writes only what changed, instead of an upsert a row that rewrites every row it names.
    """
    stored = find_indicators(session, ((s.kind, s.value) for s in sightings))
    changed = [
        s for s in sightings
        if (s.kind, s.value) not in stored or stored[(s.kind, s.value)].allowlisted != s.allowlisted
    ]  # fmt: skip
    ids = upsert_indicators(session, changed)
    seen_again = sorted({stored[k].id for k in {(s.kind, s.value) for s in sightings} - ids.keys()})
    if seen_again:
        postgres = session.get_bind().dialect.name == "postgresql"
        moved = (
            _INDICATOR.update()
            .where(_one_of(_INDICATOR.c.id, "ids", BigInteger(), postgres))
            .where(_INDICATOR.c.last_seen < seen)
            .values(last_seen=seen)
        )
        session.execute(moved, {"ids": seen_again})
    return {key: row.id for key, row in stored.items()} | ids


def upsert_sources(
    session: Session, indicator_ids: Iterable[int], source: str, category: str, seen: datetime
) -> None:
    """Attribute indicators to a feed; seen again, only `last_seen` and the category change.

    The listings already there are updated by one statement; only the new ones are inserted
    (`ON CONFLICT`, for an import of the same feed running at the same time).
    """
    ids = sorted(set(indicator_ids))
    if not ids:
        return
    postgres = session.get_bind().dialect.name == "postgresql"
    again = (
        _SOURCE.update()
        .where(_SOURCE.c.source == source)
        .where(_one_of(_SOURCE.c.indicator_id, "ids", BigInteger(), postgres))
        .values(last_seen=seen, category=category)
        .returning(_SOURCE.c.indicator_id)
    )
    listed = set(session.scalars(again, {"ids": ids}))
    rows = [
        {
            "indicator_id": ident,
            "source": source,
            "category": category,
            "first_seen": seen,
            "last_seen": seen,
        }
        for ident in ids
        if ident not in listed
    ]
    if not rows:
        return
    table = IndicatorSource.__table__
    stmt = _insert(session, table)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.indicator_id, table.c.source],
        set_={"last_seen": stmt.excluded.last_seen, "category": stmt.excluded.category},
    )
    session.execute(stmt, rows)


@dataclass(frozen=True, slots=True)
class StoredIndicator:
    id: int
    kind: str
    value: str
    allowlisted: bool
    first_seen: datetime
    last_seen: datetime
    report_count: int


@dataclass(frozen=True, slots=True)
class FeedListing:
    source: str
    category: str
    first_seen: datetime
    last_seen: datetime


@dataclass
class ReportTally:
    """An indicator's reports by category, whether an analyst confirmed it in any, and when the
    first and the last of them came; reports that call it the reporter's own are left out."""

    categories: dict[str, int] = field(default_factory=dict)
    confirmed: bool = False
    first: datetime | None = None
    last: datetime | None = None


# The check's reads are built once with Core and compiled once for each driver, then run on
# the session's connection as driver SQL: a check is on the hot path of every bank and hotline
# that asks, and SQLAlchemy's result processing added a fifth to finding 1,000 values.
_INDICATOR = cast(Table, IndicatorRecord.__table__)
_LINK = cast(Table, ReportIndicator.__table__)
_REPORT = cast(Table, Report.__table__)
_SOURCE = cast(Table, IndicatorSource.__table__)
_COLUMNS = [_INDICATOR.c[name] for name in StoredIndicator.__slots__]


def _one_of(column: Any, name: str, element: Any, postgres: bool) -> Any:
    """`column IN (…)` with one parameter however many values: on PostgreSQL `= ANY(array)`,
    on SQLite `IN (SELECT value FROM json_each(list))`. (A thousand-parameter IN costs more to
    build, parse and plan than the indexed lookups cost to run.)"""
    if postgres:
        return column == any_(bindparam(name, type_=postgresql.ARRAY(element)))
    listed = func.json_each(bindparam(name, type_=JSON())).table_valued("value")
    return column.in_(select(listed.c.value))


def _reads(postgres: bool) -> dict[str, Any]:
    find_one = select(*_COLUMNS).where(
        _INDICATOR.c.kind == bindparam("kind"), _INDICATOR.c.value == bindparam("value")
    )
    find_many = select(*_COLUMNS).where(
        _INDICATOR.c.kind == bindparam("kind"),
        _one_of(_INDICATOR.c.value, "values", String(), postgres),
    )
    accounts = select(*_COLUMNS).where(
        _one_of(_INDICATOR.c.account_digits, "digits", String(), postgres)
    )
    confirmed = case((_LINK.c.confirmed, literal_column("1")), else_=literal_column("0"))
    tally = (
        select(_LINK.c.indicator_id, _REPORT.c.category, func.count(), func.sum(confirmed),
               func.min(_REPORT.c.created_at), func.max(_REPORT.c.created_at))
        .join(_REPORT, _REPORT.c.id == _LINK.c.report_id)
        .where(_one_of(_LINK.c.indicator_id, "ids", BigInteger(), postgres), ~_LINK.c.reporter_own)
        .group_by(_LINK.c.indicator_id, _REPORT.c.category)
    )  # fmt: skip
    feeds = (
        select(_SOURCE.c.indicator_id, _SOURCE.c.source, _SOURCE.c.category,
               _SOURCE.c.first_seen, _SOURCE.c.last_seen)
        .where(_one_of(_SOURCE.c.indicator_id, "ids", BigInteger(), postgres))
        .order_by(_SOURCE.c.source)
    )  # fmt: skip
    return {
        "find_one": find_one, "find_many": find_many, "accounts": accounts, "tally": tally,
        "feeds": feeds,
    }  # fmt: skip


@dataclass(frozen=True, slots=True)
class _DriverRead:
    """A read compiled for one driver: its SQL, and the order of its parameters when the
    driver takes them by position (SQLite's `?`) rather than by name."""

    sql: str
    positions: tuple[str, ...] | None
    lists_as_json: bool

    @classmethod
    def compile(cls, statement: Any, dialect: Dialect) -> _DriverRead:
        compiled = statement.compile(dialect=dialect)
        positions = compiled.positiontup
        return cls(str(compiled), tuple(positions) if positions else None, dialect.name == "sqlite")

    def run(self, session: Session, **params: Any) -> Any:
        """The rows as the driver gives them: SQLite gives datetimes as text, booleans as 0/1."""
        values = {
            name: json.dumps(value) if self.lists_as_json and isinstance(value, list) else value
            for name, value in params.items()
        }
        arguments = tuple(values[name] for name in self.positions) if self.positions else values
        return session.connection().exec_driver_sql(self.sql, arguments)


_DRIVER_READS: dict[tuple[str, str, str], dict[str, _DriverRead]] = {}


def _read(session: Session, name: str) -> _DriverRead:
    dialect = session.get_bind().dialect
    driver = (dialect.name, dialect.driver, dialect.paramstyle)
    reads = _DRIVER_READS.get(driver)
    if reads is None:
        statements = _reads(postgres=dialect.name == "postgresql")
        reads = {key: _DriverRead.compile(s, dialect) for key, s in statements.items()}
        _DRIVER_READS[driver] = reads
    return reads[name]


def _utc(moment: datetime | str) -> datetime:
    """An aware UTC datetime from what the driver gave: text on SQLite (naive UTC, as
    `UtcDateTime` stores it), a datetime on PostgreSQL."""
    if isinstance(moment, str):  # naming the offset is 6 times faster than replacing it after
        return datetime.fromisoformat(f"{moment}+00:00")
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def find_indicators(session: Session, keys: Iterable[Key]) -> dict[Key, StoredIndicator]:
    """The stored indicators among `keys`, one query per kind (each uses the unique index)."""
    by_kind: dict[str, set[str]] = defaultdict(set)
    for kind, value in keys:
        by_kind[kind].add(value)
    found: dict[Key, StoredIndicator] = {}
    for kind, values in by_kind.items():
        if len(values) == 1:
            rows = _read(session, "find_one").run(session, kind=kind, value=next(iter(values)))
        else:
            rows = _read(session, "find_many").run(session, kind=kind, values=sorted(values))
        for row in rows:
            stored = _stored(row)
            found[(stored.kind, stored.value)] = stored
    return found


def _stored(row: Any) -> StoredIndicator:
    ident, kind, value, allowlisted, first_seen, last_seen, report_count = row
    return StoredIndicator(
        ident, kind, value, bool(allowlisted), _utc(first_seen), _utc(last_seen), report_count
    )


def find_accounts(session: Session, digits: Iterable[str]) -> list[StoredIndicator]:
    """The stored bank accounts of these bare digits, at any bank or none (one indexed read)."""
    listed = sorted(set(digits))
    if not listed:
        return []
    return [_stored(row) for row in _read(session, "accounts").run(session, digits=listed)]


def report_tallies(session: Session, indicator_ids: Sequence[int]) -> dict[int, ReportTally]:
    """For each indicator: its reports by triage category, whether any link is confirmed, and
    the first and last report's time; links to the reporter's own value are not counted."""
    if not indicator_ids:
        return {}
    tallies: dict[int, ReportTally] = defaultdict(ReportTally)
    rows = _read(session, "tally").run(session, ids=list(indicator_ids))
    for ident, category, count, confirmed, first, last in rows:
        tally = tallies[ident]
        tally.categories[category] = count
        tally.confirmed = tally.confirmed or bool(confirmed)
        first, last = _utc(first), _utc(last)
        tally.first = first if tally.first is None else min(tally.first, first)
        tally.last = last if tally.last is None else max(tally.last, last)
    return tallies


def feed_listings(session: Session, indicator_ids: Sequence[int]) -> dict[int, list[FeedListing]]:
    """The feeds that list each indicator, by source name."""
    if not indicator_ids:
        return {}
    listings: dict[int, list[FeedListing]] = defaultdict(list)
    rows = _read(session, "feeds").run(session, ids=list(indicator_ids))
    for ident, source, category, first_seen, last_seen in rows:
        listings[ident].append(FeedListing(source, category, _utc(first_seen), _utc(last_seen)))
    return listings


def feed_is_loaded(session: Session, source: str) -> bool:
    """Whether any indicator is attributed to the feed `source`."""
    query = select(IndicatorSource.id).where(IndicatorSource.source == source).limit(1)
    return session.scalar(query) is not None


REPORTS_SOURCE = "reports"  # the source filter of indicators named by at least one report


@dataclass(frozen=True, slots=True)
class IndicatorReportRow:
    id: int
    code: str
    category: str
    urgency: str
    status: str
    created_at: datetime
    confirmed: bool


def indicator_scope(caller: Caller) -> ColumnElement[bool]:
    """The condition that the caller may read indicators as the workspace shows them, with
    their reports: staff only, today (a partner will see those its sharing policy allows; the
    public check, which answers with counts and no report, is not such a read)."""
    return true() if is_staff(caller) else false()


def indicators_after(
    session: Session,
    caller: Caller,
    kind: str | None,
    source: str | None,
    after: int | None,
    limit: int,
) -> list[StoredIndicator]:
    """Up to `limit` indicators by id after `after`, of one kind and from one source (a feed's
    name, or `REPORTS_SOURCE`) when given, that the caller may read."""
    stmt = select(*_COLUMNS).where(indicator_scope(caller))
    stmt = stmt.order_by(IndicatorRecord.id).limit(limit)
    if kind is not None:
        stmt = stmt.where(IndicatorRecord.kind == kind)
    if source == REPORTS_SOURCE:
        named = select(ReportIndicator.report_id).where(
            ReportIndicator.indicator_id == IndicatorRecord.id
        )
        stmt = stmt.where(named.exists())
    elif source is not None:
        listed = select(IndicatorSource.id).where(
            IndicatorSource.indicator_id == IndicatorRecord.id, IndicatorSource.source == source
        )
        stmt = stmt.where(listed.exists())
    if after is not None:
        stmt = stmt.where(IndicatorRecord.id > after)
    return [StoredIndicator(*row) for row in session.execute(stmt)]


def get_indicator(session: Session, caller: Caller, indicator_id: int) -> StoredIndicator | None:
    """One indicator, if it exists and the caller may read it."""
    stmt = select(*_COLUMNS).where(IndicatorRecord.id == indicator_id, indicator_scope(caller))
    row = session.execute(stmt).first()
    return None if row is None else StoredIndicator(*row)


def reports_of_indicator(
    session: Session, caller: Caller, indicator_id: int, limit: int, before: int | None = None
) -> tuple[list[IndicatorReportRow], int]:
    """The newest `limit` reports that name the indicator (older than report `before` when
    given: the next keyset page), and how many name it."""
    stmt = (
        select(
            Report.id,
            Report.code,
            Report.category,
            Report.urgency,
            Report.status,
            Report.created_at,
            ReportIndicator.confirmed,
        )  # fmt: skip
        .join(ReportIndicator, ReportIndicator.report_id == Report.id)
        .where(ReportIndicator.indicator_id == indicator_id, indicator_scope(caller))
        .order_by(Report.id.desc())
        .limit(limit)
    )
    if before is not None:
        stmt = stmt.where(Report.id < before)
    total = select(func.count()).where(
        ReportIndicator.indicator_id == indicator_id, indicator_scope(caller)
    )
    rows = [IndicatorReportRow(*row) for row in session.execute(stmt)]
    return rows, session.scalar(total) or 0


@dataclass(frozen=True, slots=True)
class NamedIndicator:
    """An indicator one report names, as its reporter may see it."""

    kind: str
    value: str
    allowlisted: bool
    reporter_own: bool


def indicators_of_report(session: Session, caller: Caller, report_id: int) -> list[NamedIndicator]:
    """The indicators a report names, if the caller may read the report (its holder, staff)."""
    stmt = (
        select(
            IndicatorRecord.kind,
            IndicatorRecord.value,
            IndicatorRecord.allowlisted,
            ReportIndicator.reporter_own,
        )
        .join(ReportIndicator, ReportIndicator.indicator_id == IndicatorRecord.id)
        .where(
            ReportIndicator.report_id == report_id,
            report_scope(caller, ReportIndicator.report_id),
        )
        .order_by(IndicatorRecord.kind, IndicatorRecord.value)
    )
    return [NamedIndicator(*row) for row in session.execute(stmt)]
