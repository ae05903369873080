"""Every query on reports, and who may read which (`report_scope`, `readable_reports`)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, Table, false, func, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tipline.errors import Conflict
from tipline.principals import Caller, ReportHolder, is_staff
from tipline.reports.core import new_tracking_code
from tipline.reports.models import Report

# A fresh code collides with a stored one about once in 6.6e11 / (reports stored) tries.
CODE_ATTEMPTS = 8


def add_report(session: Session, values: dict[str, Any]) -> Report:
    """Store one report under a fresh tracking code (drawn again in the rare collision)."""
    ident, _code = insert_report(session, values)
    report = session.get(Report, ident)
    assert report is not None
    return report


def insert_report(session: Session, values: dict[str, Any]) -> tuple[int, str]:
    """Store one report under a fresh tracking code (drawn again in the rare collision): its
    id and code, without reading the row back (a submission holds the writer's place here).

    `INSERT … ON CONFLICT DO NOTHING` rather than a savepoint: SQLite's driver ends the whole
    transaction when an outermost savepoint is released.
    """
    stmt = _insert_one(session.get_bind().dialect.name)
    for _ in range(CODE_ATTEMPTS):
        row = {"source": None, "external_id": None, **values, "code": new_tracking_code()}
        ident = session.execute(stmt, row).scalar()
        if ident is not None:
            return int(ident), row["code"]
        if row["external_id"] is not None and existing_external_ids(
            session, row["source"], [row["external_id"]]
        ):
            raise Conflict("this report was stored already", field="external_id")
    raise RuntimeError("no free tracking code after several tries")


@lru_cache(maxsize=4)
def _insert_one(dialect: str) -> Any:
    """`INSERT … ON CONFLICT DO NOTHING RETURNING id` for one report, its values bound as
    parameters: built once, not per report (building it from the values took longer than
    running it)."""
    table = cast(Table, Report.__table__)
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table).on_conflict_do_nothing().returning(table.c.id)


def _dialect_insert(session: Session) -> Any:
    dialect = session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def insert_reports(session: Session, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Insert many reports, skipping those whose (source, external_id) is stored already.

    Returns the new ids by external id. A row whose fresh code happened to collide is retried
    with another code.
    """
    inserted: dict[str, int] = {}
    pending = list(rows)
    for _ in range(CODE_ATTEMPTS):
        if not pending:
            return inserted
        for row in pending:
            row["code"] = new_tracking_code()
        inserted.update(_insert_ignoring_conflicts(session, pending))
        source = pending[0]["source"]
        missing = [row for row in pending if row["external_id"] not in inserted]
        stored = existing_external_ids(session, source, [row["external_id"] for row in missing])
        pending = [row for row in missing if row["external_id"] not in stored]
    if pending:
        raise RuntimeError("no free tracking code after several tries")
    return inserted


def _insert_ignoring_conflicts(session: Session, rows: list[dict[str, Any]]) -> dict[str, int]:
    table = cast(Table, Report.__table__)
    stmt = _dialect_insert(session)(table).on_conflict_do_nothing()
    stmt = stmt.returning(table.c.id, table.c.external_id)
    return {external_id: ident for ident, external_id in session.execute(stmt, rows)}


def existing_external_ids(session: Session, source: str, external_ids: Sequence[str]) -> set[str]:
    """Which of these ids from `source` are stored already."""
    found: set[str] = set()
    for start in range(0, len(external_ids), 500):
        chunk = external_ids[start : start + 500]
        stmt = select(Report.external_id).where(
            Report.source == source, Report.external_id.in_(chunk)
        )
        found.update(value for value in session.scalars(stmt) if value is not None)
    return found


def stored_codes(session: Session, source: str, external_ids: Sequence[str]) -> dict[str, str]:
    """The tracking codes of those of these ids from `source` that are stored, by id."""
    found: dict[str, str] = {}
    for start in range(0, len(external_ids), 500):
        chunk = external_ids[start : start + 500]
        stmt = select(Report.external_id, Report.code).where(
            Report.source == source, Report.external_id.in_(chunk)
        )
        found.update(
            (external_id, code) for external_id, code in session.execute(stmt) if external_id
        )
    return found


def report_scope(caller: Caller, report_id: Any = Report.id) -> ColumnElement[bool]:
    """The condition, on any column that holds a report's id, that the caller may read that
    report: staff every report, a citizen the one whose secret she holds, anyone else none.

    Every read of reports, and of what hangs on them (their indicators, campaigns, cases,
    evidence, the dashboard's figures), puts this in its statement.
    """
    if is_staff(caller):
        return true()
    if isinstance(caller, ReportHolder):
        return cast(ColumnElement[bool], report_id == caller.report_id)
    return false()


def readable_reports(caller: Caller) -> Select[Any]:
    """The reports this caller may read, as a statement to narrow further."""
    return select(Report).where(report_scope(caller))


def readable_report(session: Session, caller: Caller, report_id: int) -> Report | None:
    """One report, if it exists and the caller may read it (None either way: no one learns
    which ids exist)."""
    statement = readable_reports(caller).where(Report.id == report_id)
    return cast(Report | None, session.scalars(statement).one_or_none())


def readable_report_by_code(session: Session, caller: Caller, code: str) -> Report | None:
    """The report of this tracking code, if the caller may read it (None either way)."""
    statement = readable_reports(caller).where(Report.code == code)
    return cast(Report | None, session.scalars(statement).one_or_none())


def find_by_code(session: Session, code: str) -> Report | None:
    """The report of this tracking code, for the operator's tools (no caller: not a read on
    anyone's behalf; a citizen's read goes through `secret_of` and `readable_report`)."""
    return session.scalars(select(Report).where(Report.code == code)).first()


def secret_of(session: Session, code: str) -> tuple[int, str | None] | None:
    """The id and secret hash of the report with this tracking code: a credential's lookup."""
    row = session.execute(select(Report.id, Report.secret_hash).where(Report.code == code)).first()
    return (row[0], row[1]) if row is not None else None


def count_reports(session: Session, source: str | None = None) -> int:
    stmt = select(func.count()).select_from(Report)
    if source is not None:
        stmt = stmt.where(Report.source == source)
    return session.scalar(stmt) or 0
