"""Every query of the private check: its keys, its entries, the facts of indicators it lists,
what changed since the follow job last read, and the one read that answers a check."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, case, delete, func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tipline.db_types import utc_now
from tipline.indicators.models import (
    IndicatorRecord,
    IndicatorReview,
    IndicatorSource,
    ReportIndicator,
)
from tipline.privatecheck.core import Entry, Facts, answer_json
from tipline.privatecheck.models import (
    ACTIVE,
    BUILDING,
    RETIRED,
    PrivateCheckEntry,
    PrivateCheckFollow,
    PrivateCheckKey,
)
from tipline.reports.models import Report
from tipline.triage.models import TriageCorrection

FOLLOW_ROW = 1


@dataclass(frozen=True, slots=True)
class StoredKey:
    pk: int
    key_id: str
    sealed_key: str
    state: str
    prefix_bits: int


@dataclass(frozen=True, slots=True)
class Bucket:
    """A check's read: the active key and the entries of one bucket under it, as the answer
    lists them (`["tag","sealed"],…`)."""

    key: StoredKey
    entries: str


def _key(row: Any) -> StoredKey:
    return StoredKey(row.id, row.key_id, row.sealed_key, row.state, row.prefix_bits)


def add_key(session: Session, key_id: str, sealed_key: str, prefix_bits: int) -> StoredKey:
    key = PrivateCheckKey(
        key_id=key_id, sealed_key=sealed_key, state=BUILDING, prefix_bits=prefix_bits
    )
    session.add(key)
    session.flush()
    return _key(key)


def keys(session: Session, states: Collection[str] = (ACTIVE, BUILDING)) -> list[StoredKey]:
    """The keys in these states (by default those whose sets are kept), oldest first."""
    statement = select(PrivateCheckKey).where(PrivateCheckKey.state.in_(sorted(states)))
    return [_key(row) for row in session.scalars(statement.order_by(PrivateCheckKey.id))]


def activate(session: Session, pk: int, now: datetime) -> None:
    """Key `pk` answers from now on, in one transaction with the old key's retirement: a
    check reads one key's set or the other's, never neither."""
    session.execute(
        update(PrivateCheckKey).where(PrivateCheckKey.state == ACTIVE).values(state=RETIRED)
    )
    session.execute(
        update(PrivateCheckKey)
        .where(PrivateCheckKey.id == pk)
        .values(state=ACTIVE, activated_at=now)
    )


def forget_key(session: Session, pk: int, batch: int = 50_000) -> None:
    """A retired key's entries, a batch at a time (committed by the caller), then the key."""
    while True:
        ids = select(PrivateCheckEntry.indicator_id).where(PrivateCheckEntry.key_pk == pk)
        chosen = list(session.scalars(ids.limit(batch)))
        if not chosen:
            break
        session.execute(
            delete(PrivateCheckEntry).where(
                PrivateCheckEntry.key_pk == pk, PrivateCheckEntry.indicator_id.in_(chosen)
            )
        )
        session.commit()
    session.execute(delete(PrivateCheckKey).where(PrivateCheckKey.id == pk))


# The check's read, built once: the active key and its bucket's entries joined in one text by
# the database (one row, nothing to encode), and how many entries have no `answer_json` yet. The
# bucket a bound parameter, so SQLAlchemy compiles it once per dialect.
_KEY_COLUMNS = (
    PrivateCheckKey.id, PrivateCheckKey.key_id, PrivateCheckKey.sealed_key,
    PrivateCheckKey.state, PrivateCheckKey.prefix_bits,
)  # fmt: skip
_IN_BUCKET = and_(
    PrivateCheckEntry.key_pk == PrivateCheckKey.id,
    PrivateCheckEntry.bucket == bindparam("bucket"),
)
_BUCKET = (
    select(
        *_KEY_COLUMNS,
        func.aggregate_strings(PrivateCheckEntry.answer_json, ","),
        func.count(PrivateCheckEntry.tag) - func.count(PrivateCheckEntry.answer_json),
    )
    .outerjoin(PrivateCheckEntry, _IN_BUCKET)
    .where(PrivateCheckKey.state == ACTIVE)
    .group_by(*_KEY_COLUMNS)
)
# The same read, entry by entry, for a bucket with entries saved before `answer_json` was.
_BUCKET_ROWS = (
    select(*_KEY_COLUMNS, PrivateCheckEntry.tag, PrivateCheckEntry.sealed)
    .outerjoin(PrivateCheckEntry, _IN_BUCKET)
    .where(PrivateCheckKey.state == ACTIVE)
)


def bucket(session: Session, number: int) -> Bucket | None:
    """The active key and its entries in bucket `number`: one statement, so a rotation's switch
    is seen whole (the old key with its set, or the new with its), on either database. Core,
    on the session's connection: the ORM's handling of a statement costs more than the read."""
    connection = session.connection()
    first = connection.execute(_BUCKET, {"bucket": number}).first()
    if first is None:
        return None
    if first[6]:  # entries saved before their answer_json: read and encoded here
        rows = connection.execute(_BUCKET_ROWS, {"bucket": number}).all()
        if not rows:
            return None
        joined = ",".join(answer_json(row[5], row[6]) for row in rows if row[5] is not None)
        return Bucket(StoredKey(*rows[0][:5]), joined)
    return Bucket(StoredKey(*first[:5]), first[5] or "")


def count_entries(session: Session, pk: int) -> int:
    statement = select(func.count()).where(PrivateCheckEntry.key_pk == pk)
    return int(session.scalar(statement) or 0)


def _insert(session: Session) -> Any:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(PrivateCheckEntry)


def save_entries(session: Session, pk: int, entries: Sequence[Entry]) -> None:
    """Insert or replace entries of key `pk`."""
    if not entries:
        return
    insert = _insert(session)
    statement = insert.on_conflict_do_update(
        index_elements=[PrivateCheckEntry.key_pk, PrivateCheckEntry.indicator_id],
        set_={
            "bucket": insert.excluded.bucket,
            "tag": insert.excluded.tag,
            "sealed": insert.excluded.sealed,
            "last_seen": insert.excluded.last_seen,
            "answer_json": insert.excluded.answer_json,
        },
    )
    rows = [
        {
            "key_pk": pk,
            "indicator_id": e.indicator_id,
            "bucket": e.bucket,
            "tag": e.tag,
            "sealed": e.sealed,
            "last_seen": e.last_seen,
            "answer_json": e.answer_json,
        }
        for e in entries
    ]
    session.execute(statement, rows)


def drop_entries(
    session: Session, pk: int, ids: Collection[int], keep: Collection[int] = ()
) -> None:
    """Entries of key `pk` for these indicators, but those in `keep`."""
    gone = sorted(set(ids) - set(keep))
    for start in range(0, len(gone), 10_000):
        chosen = gone[start : start + 10_000]
        session.execute(
            delete(PrivateCheckEntry).where(
                PrivateCheckEntry.key_pk == pk, PrivateCheckEntry.indicator_id.in_(chosen)
            )
        )


def drop_range(session: Session, pk: int, low: int, high: int | None, keep: Sequence[int]) -> None:
    """Entries of key `pk` for indicator ids in [low, high] (None: no end) but `keep`."""
    where = [PrivateCheckEntry.key_pk == pk, PrivateCheckEntry.indicator_id >= low]
    if high is not None:
        where.append(PrivateCheckEntry.indicator_id <= high)
    stored = select(PrivateCheckEntry.indicator_id).where(*where)
    drop_entries(session, pk, list(session.scalars(stored)), keep)


def drop_expired(session: Session, pk: int, before: datetime) -> int:
    """Entries of key `pk` whose indicator was last seen before `before`."""
    result = session.execute(
        delete(PrivateCheckEntry).where(
            PrivateCheckEntry.key_pk == pk, PrivateCheckEntry.last_seen < before
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def indicator_ids_after(session: Session, after: int, limit: int) -> list[int]:
    statement = (
        select(IndicatorRecord.id)
        .where(IndicatorRecord.id > after)
        .order_by(IndicatorRecord.id)
        .limit(limit)
    )
    return list(session.scalars(statement))


def facts_between(session: Session, low: int, high: int) -> list[Facts]:
    """The facts of every indicator with an id in [low, high] (a build's batch)."""
    return _facts(session, IndicatorRecord.id.between(low, high), low, high, None)


def facts_of(session: Session, ids: Collection[int], chunk: int = 5_000) -> list[Facts]:
    """The facts of these indicators (the follow job's changed ones), a chunk of ids a query
    (after a long stop, many may have changed)."""
    chosen = sorted(ids)
    found: list[Facts] = []
    for start in range(0, len(chosen), chunk):
        part = chosen[start : start + chunk]
        found += _facts(session, IndicatorRecord.id.in_(part), None, None, part)
    return found


def _facts(
    session: Session, where: Any, low: int | None, high: int | None, ids: list[int] | None
) -> list[Facts]:
    columns = (
        IndicatorRecord.id,
        IndicatorRecord.kind,
        IndicatorRecord.value,
        IndicatorRecord.allowlisted,
        IndicatorRecord.last_seen,
    )
    rows = session.execute(select(*columns).where(where).order_by(IndicatorRecord.id)).all()
    tallies = _tallies(session, low, high, ids)
    feeds = _feeds(session, low, high, ids)
    return [
        Facts(
            row.id,
            row.kind,
            row.value,
            bool(row.allowlisted),
            row.last_seen,
            tallies[row.id][0] if row.id in tallies else {},
            tallies[row.id][1] if row.id in tallies else False,
            feeds.get(row.id, ()),
        )
        for row in rows
    ]


def _among(column: Any, low: int | None, high: int | None, ids: list[int] | None) -> Any:
    return column.in_(ids) if ids is not None else column.between(low, high)


def _tallies(
    session: Session, low: int | None, high: int | None, ids: list[int] | None
) -> dict[int, tuple[dict[str, int], bool]]:
    """Counted reports by category and whether one is confirmed: links that call the value
    the reporter's own, or that an analyst rejected, are not counted."""
    rejected = (
        select(literal(1))
        .where(
            IndicatorReview.report_id == ReportIndicator.report_id,
            IndicatorReview.indicator_id == ReportIndicator.indicator_id,
            IndicatorReview.state == "rejected",
        )
        .exists()
    )
    confirmed = func.max(case((ReportIndicator.confirmed, 1), else_=0))
    statement = (
        select(ReportIndicator.indicator_id, Report.category, func.count(), confirmed)
        .join(Report, Report.id == ReportIndicator.report_id)
        .where(
            _among(ReportIndicator.indicator_id, low, high, ids),
            ReportIndicator.reporter_own.is_(False),
            ~rejected,
        )
        .group_by(ReportIndicator.indicator_id, Report.category)
    )
    tallies: dict[int, tuple[dict[str, int], bool]] = {}
    for ident, category, count, is_confirmed in session.execute(statement):
        categories, known = tallies.get(ident, ({}, False))
        categories[category] = int(count)
        tallies[ident] = (categories, known or bool(is_confirmed))
    return tallies


def _feeds(
    session: Session, low: int | None, high: int | None, ids: list[int] | None
) -> dict[int, list[str]]:
    statement = (
        select(IndicatorSource.indicator_id, IndicatorSource.category)
        .where(_among(IndicatorSource.indicator_id, low, high, ids))
        .order_by(IndicatorSource.indicator_id, IndicatorSource.source)
    )
    feeds: dict[int, list[str]] = defaultdict(list)
    for ident, category in session.execute(statement):
        feeds[ident].append(category)
    return feeds


@dataclass(frozen=True, slots=True)
class Position:
    """The follow job's row as read under its lock."""

    changes_since: datetime
    indicator_after: int
    source_after: int
    sweep_after: int


def start_following(session: Session, since: datetime) -> None:
    """The follow job reads from `since` on (a build's start): its row, made or reset."""
    row = session.get(PrivateCheckFollow, FOLLOW_ROW)
    newest = latest_ids(session)
    if row is None:
        row = PrivateCheckFollow(id=FOLLOW_ROW, sweep_after=0)
        session.add(row)
    row.changes_since, row.indicator_after, row.source_after = since, newest[0], newest[1]
    session.flush()


def latest_ids(session: Session) -> tuple[int, int]:
    """The highest indicator and feed listing ids now."""
    indicator = session.scalar(select(func.max(IndicatorRecord.id))) or 0
    source = session.scalar(select(func.max(IndicatorSource.id))) or 0
    return int(indicator), int(source)


def lock_follow(session: Session) -> Position | None:
    """The follow job's row, locked for this transaction; None when another server process
    holds it (PostgreSQL: `FOR UPDATE SKIP LOCKED`, as webhook delivery claims its rows; SQLite
    has one writer anyway) or when no set was ever built."""
    statement = (
        select(PrivateCheckFollow)
        .where(PrivateCheckFollow.id == FOLLOW_ROW)
        .with_for_update(skip_locked=True)
    )
    row = session.scalars(statement).one_or_none()
    if row is None:
        return None
    return Position(row.changes_since, row.indicator_after, row.source_after, row.sweep_after)


def move_follow(session: Session, position: Position) -> None:
    session.execute(
        update(PrivateCheckFollow)
        .where(PrivateCheckFollow.id == FOLLOW_ROW)
        .values(
            changes_since=position.changes_since,
            indicator_after=position.indicator_after,
            source_after=position.source_after,
            sweep_after=position.sweep_after,
            followed_at=utc_now(),
        )
    )


def changed_indicators(session: Session, position: Position, since: datetime) -> set[int]:
    """Indicators whose verdict may have changed: named by a report filed, reviewed by an
    analyst or in a report re-categorised since `since`; new; or newly listed by a feed."""
    filed = (
        select(ReportIndicator.indicator_id)
        .join(Report, Report.id == ReportIndicator.report_id)
        .where(Report.created_at >= since)
    )
    reviewed = select(IndicatorReview.indicator_id).where(IndicatorReview.reviewed_at >= since)
    corrected = (
        select(ReportIndicator.indicator_id)
        .join(TriageCorrection, TriageCorrection.report_id == ReportIndicator.report_id)
        .where(TriageCorrection.created_at >= since)
    )
    new = select(IndicatorRecord.id).where(IndicatorRecord.id > position.indicator_after)
    listed = select(IndicatorSource.indicator_id).where(IndicatorSource.id > position.source_after)
    found: set[int] = set()
    for statement in (filed, reviewed, corrected, new, listed):
        found.update(session.scalars(statement))
    return found


def following(session: Session) -> tuple[datetime | None, int]:
    """When the follow job last ran, and where its sweep stands."""
    row = session.get(PrivateCheckFollow, FOLLOW_ROW)
    return (None, 0) if row is None else (row.followed_at, row.sweep_after)
