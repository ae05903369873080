"""Every query of the workspace: the queue's pages and what the report view shows and changes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import (
    Select,
    column,
    exists,
    func,
    literal_column,
    select,
    table,
    tuple_,
    update,
)
from sqlalchemy.orm import Session

from tipline.accounts.models import User
from tipline.db_types import data_keys
from tipline.indicators.models import IndicatorRecord, IndicatorReview, ReportIndicator
from tipline.principals import STAFF_ROLES, Caller, Principal
from tipline.reports.models import Report
from tipline.reports.repository import report_scope
from tipline.triage.models import TriageCorrection
from tipline.workspace.core import PageRequest, QueueFilter, day_bounds, fts5_query, postgres_query
from tipline.workspace.models import SEARCH_TABLE, ReportNote, ReportStatusChange

# The start of a narrative is enough for the queue's snippet (it is read whole: decrypted).
_SNIPPET_SOURCE = 400
# Below this many matches a search sorts its matches; above, it filters the queue's order.
RARE_SEARCH = 10_000
_FTS = table(SEARCH_TABLE, column("rowid"))
# Each sort's key (the columns of one of the queue's indexes) and whether it runs downwards.
_SORT_KEYS: dict[str, tuple[tuple[Any, ...], bool]] = {
    "urgency": ((Report.urgency_rank, Report.risk_rank, Report.created_at, Report.id), False),
    "age": ((Report.created_at, Report.id), False),
    "newest": ((Report.created_at, Report.id), True),
    "loss": ((Report.loss_amount, Report.id), True),
}


class QueueRow(NamedTuple):
    id: int
    code: str
    urgency: str
    category: str
    status: str
    province: str | None
    loss_amount: Decimal | None
    loss_currency: str | None
    created_at: datetime
    narrative_start: str
    risk_rank: int
    assignee: str | None


# The queue row's columns; the narrative is read whole (it is decrypted), then cut.
_QUEUE_COLUMNS: tuple[Any, ...] = (
    Report.id, Report.code, Report.urgency, Report.category, Report.status, Report.province,
    Report.loss_amount, Report.loss_currency, Report.created_at, Report.narrative,
    Report.risk_rank, Report.assignee,
)  # fmt: skip


def _queue_row(*values: Any) -> QueueRow:
    return QueueRow._make((*values[:9], values[9][:_SNIPPET_SOURCE], *values[10:]))


class IndicatorRow(NamedTuple):
    indicator_id: int
    kind: str
    value: str
    allowlisted: bool
    span_start: int | None
    span_end: int | None
    confirmed: bool
    review: str | None
    reporter_own: bool
    tlp: str | None  # the analyst's TLP for sharing (None: the instance's default)


class SharingReport(NamedTuple):
    id: int
    code: str
    category: str
    created_at: datetime


def _matches(session: Session, text: str) -> Any:
    """The condition "the narrative holds every word of `text`", or None for no words: the
    index holds the keyed hashes of the narratives' words (tipline.keyring), and so does the
    search, so whole words match (folded: case and accents aside), never parts of words."""
    terms = data_keys().query_terms(text)
    if session.get_bind().dialect.name == "postgresql":
        words = postgres_query(terms)
        if words is None:
            return None
        config: Any = literal_column("'simple'::regconfig")  # a literal: the GIN index applies
        return func.to_tsvector(config, Report.search_terms).op("@@")(
            func.to_tsquery(config, words)
        )
    match = fts5_query(terms)
    return None if match is None else _fts5_matches(session, match)


def _fts5_matches(session: Session, match: str) -> Any:
    """A rare search lists its (few) reports and sorts them; a common one walks the queue's
    order and asks FTS5 about each report, stopping once the page is full.

    Listing every match of a word in a third of a million narratives would take a second;
    asking about each report in queue order finds a page of them in a few hundred lookups.
    """
    matching = literal_column(SEARCH_TABLE).op("MATCH")(match)
    found = select(_FTS.c.rowid).where(matching)
    few = select(func.count()).select_from(found.limit(RARE_SEARCH).subquery())
    if (session.scalar(few) or 0) < RARE_SEARCH:
        return Report.id.in_(found)
    return exists(select(_FTS.c.rowid).where(matching, _FTS.c.rowid == Report.id))


def _filtered(session: Session, caller: Caller, stmt: Select[Any], flt: QueueFilter) -> Select[Any]:
    for name in ("category", "urgency", "status", "province"):
        value = getattr(flt, name)
        if value:
            stmt = stmt.where(getattr(Report, name) == value)
    if flt.mine:
        mine = caller.username if isinstance(caller, Principal) else None
        stmt = stmt.where(Report.assignee == mine)
    if flt.sort == "loss":
        stmt = stmt.where(Report.loss_amount.is_not(None))
    low, high = day_bounds(flt)
    if low is not None:
        stmt = stmt.where(Report.created_at >= low)
    if high is not None:
        stmt = stmt.where(Report.created_at < high)
    if flt.text:
        condition = _matches(session, flt.text)
        if condition is not None:
            stmt = stmt.where(condition)
    return stmt


def _anchor(session: Session, key: tuple[Any, ...], report_id: int) -> tuple[Any, ...] | None:
    """The sort key of the anchor report; None when there is none (or it has no such key)."""
    row = session.execute(select(*key).where(Report.id == report_id)).first()
    if row is None or any(value is None for value in row):
        return None
    return tuple(row)


def queue_rows(
    session: Session, caller: Caller, flt: QueueFilter, page: PageRequest
) -> list[QueueRow]:
    """Up to `page.size + 1` of the caller's reports in the filter's order, after or before
    the anchor report; the extra row tells that there is another page that way.

    Keyset pagination: a page far down the queue costs as much as the first one.
    """
    stmt = _filtered(session, caller, select(*_QUEUE_COLUMNS).where(report_scope(caller)), flt)
    columns, downwards = _SORT_KEYS[flt.sort]
    anchor_id = page.after if page.after is not None else page.before
    anchor = _anchor(session, columns, anchor_id) if anchor_id is not None else None
    backwards = anchor is not None and page.after is None
    descending = downwards != backwards
    if anchor is not None:
        key = tuple_(*columns)
        stmt = stmt.where(key < tuple_(*anchor) if descending else key > tuple_(*anchor))
    order = [c.desc() for c in columns] if descending else list(columns)
    # Columns only: run as Core on the session's connection, without the ORM's result loading.
    found = session.connection().execute(stmt.order_by(*order).limit(page.size + 1))
    rows = [_queue_row(*row) for row in found]
    return rows[::-1] if backwards else rows


def report_indicators(session: Session, caller: Caller, report_id: int) -> list[IndicatorRow]:
    stmt = (
        select(
            IndicatorRecord.id,
            IndicatorRecord.kind,
            IndicatorRecord.value,
            IndicatorRecord.allowlisted,
            ReportIndicator.span_start,
            ReportIndicator.span_end,
            ReportIndicator.confirmed,
            IndicatorReview.state,
            ReportIndicator.reporter_own,
            IndicatorRecord.tlp,
        )  # fmt: skip
        .join(IndicatorRecord, IndicatorRecord.id == ReportIndicator.indicator_id)
        .outerjoin(
            IndicatorReview,
            (IndicatorReview.report_id == ReportIndicator.report_id)
            & (IndicatorReview.indicator_id == ReportIndicator.indicator_id),
        )
        .where(ReportIndicator.report_id == report_id, report_scope(caller, report_id))
        .order_by(ReportIndicator.span_start, IndicatorRecord.kind, IndicatorRecord.value)
    )
    return [IndicatorRow._make(row) for row in session.execute(stmt)]


def other_report_counts(
    session: Session, caller: Caller, report_id: int, indicator_ids: Sequence[int]
) -> dict[int, int]:
    """For each indicator, how many other reports (that the caller may read) name it."""
    if not indicator_ids:
        return {}
    stmt = (
        select(ReportIndicator.indicator_id, func.count())
        .where(
            ReportIndicator.indicator_id.in_(indicator_ids),
            ReportIndicator.report_id != report_id,
            report_scope(caller, ReportIndicator.report_id),
        )
        .group_by(ReportIndicator.indicator_id)
    )
    return {indicator_id: count for indicator_id, count in session.execute(stmt)}


def recent_sharing_reports(
    session: Session, caller: Caller, report_id: int, indicator_id: int, limit: int
) -> list[SharingReport]:
    """The most recent other reports (that the caller may read) that name this indicator."""
    stmt = (
        select(Report.id, Report.code, Report.category, Report.created_at)
        .join(ReportIndicator, ReportIndicator.report_id == Report.id)
        .where(
            ReportIndicator.indicator_id == indicator_id,
            Report.id != report_id,
            report_scope(caller),
        )
        .order_by(ReportIndicator.report_id.desc())
        .limit(limit)
    )
    return [SharingReport(*row) for row in session.execute(stmt)]


def find_link(session: Session, report_id: int, indicator_id: int) -> ReportIndicator | None:
    return session.get(ReportIndicator, (report_id, indicator_id))


def reports_naming(session: Session, indicator_id: int) -> list[int]:
    """Every report that names this indicator."""
    stmt = select(ReportIndicator.report_id).where(ReportIndicator.indicator_id == indicator_id)
    return list(session.scalars(stmt))


def save_review(
    session: Session, link: ReportIndicator, state: str, actor: str, now: datetime
) -> None:
    """Remember the decision and keep `report_indicator.confirmed` and `reporter_own` in step
    with it (an analyst's word overrides the cue that called the value the reporter's own)."""
    review = session.get(IndicatorReview, (link.report_id, link.indicator_id))
    if review is None:
        review = IndicatorReview(report_id=link.report_id, indicator_id=link.indicator_id)
        session.add(review)
    review.state, review.actor, review.reviewed_at = state, actor, now
    link.confirmed = state == "confirmed"
    link.reporter_own = state == "victim"
    session.flush()


def set_triage(
    session: Session, report_id: int, category: str, urgency: str, ranks: tuple[int, int | None]
) -> None:
    """The corrected category and urgency, with the queue's ranks: the urgency's, and the
    risk's when the correction decides it (None keeps it)."""
    urgency_rank, risk_rank = ranks
    values: dict[str, Any] = {"category": category, "urgency": urgency}
    values["urgency_rank"] = urgency_rank
    if risk_rank is not None:
        values["risk_rank"] = risk_rank
    session.execute(
        update(Report)
        .where(Report.id == report_id)
        .values(**values)
        .execution_options(synchronize_session="fetch")
    )


def corrections(session: Session, report_id: int) -> list[TriageCorrection]:
    stmt = select(TriageCorrection).where(TriageCorrection.report_id == report_id)
    return list(session.scalars(stmt.order_by(TriageCorrection.id.desc())))


def add_note(session: Session, report_id: int, author: str, text: str, now: datetime) -> ReportNote:
    note = ReportNote(report_id=report_id, author=author, text=text, created_at=now)
    session.add(note)
    session.flush()
    return note


def notes(session: Session, report_id: int) -> list[ReportNote]:
    stmt = select(ReportNote).where(ReportNote.report_id == report_id)
    return list(session.scalars(stmt.order_by(ReportNote.created_at.desc(), ReportNote.id.desc())))


def add_status_change(
    session: Session, report: Report, status: str, actor: str, now: datetime
) -> ReportStatusChange:
    change = ReportStatusChange(
        report_id=report.id,
        previous_status=report.status,
        status=status,
        actor=actor,
        changed_at=now,
    )
    session.add(change)
    report.status = status
    session.flush()
    return change


def status_history(session: Session, report_id: int) -> list[ReportStatusChange]:
    stmt = select(ReportStatusChange).where(ReportStatusChange.report_id == report_id)
    return list(session.scalars(stmt.order_by(ReportStatusChange.id.desc())))


def staff_usernames(session: Session) -> list[str]:
    """The usernames a report may be assigned to: staff whose account is not disabled."""
    stmt = select(User.username).where(
        User.role.in_([role.value for role in STAFF_ROLES]), User.disabled.is_(False)
    )
    return list(session.scalars(stmt.order_by(User.username)))


def set_assignee(session: Session, report: Report, assignee: str | None) -> None:
    report.assignee = assignee
    session.flush()
