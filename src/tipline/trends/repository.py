"""Weekly counts in SQL: reports per Vietnam day and category, script or indicator kind, over a
bounded window (the chosen week and the weeks before), counted over what the caller may read;
and the scripts' own reads and writes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, insert, select
from sqlalchemy.orm import Session

from tipline.campaigns.models import Campaign, CampaignReport
from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.principals import Caller
from tipline.reports.models import Report
from tipline.reports.repository import report_scope
from tipline.trends.models import ReportScript, Script


def _day(session: Session) -> ColumnElement[Any]:
    """The report's calendar day in Vietnam (UTC+7), as the database computes it."""
    if session.get_bind().dialect.name == "sqlite":
        return func.date(Report.created_at, "+7 hours")
    return func.date(func.timezone("Asia/Ho_Chi_Minh", Report.created_at))


def _within(caller: Caller, starts_at: datetime, ends_before: datetime) -> ColumnElement[bool]:
    return and_(
        report_scope(caller), Report.created_at >= starts_at, Report.created_at < ends_before
    )


def _rows(session: Session, statement: Any) -> list[tuple[date, str, int]]:
    return [
        (d if isinstance(d, date) else date.fromisoformat(d), str(key), int(n))
        for d, key, n in session.execute(statement)
    ]


def per_category(
    session: Session, caller: Caller, starts_at: datetime, ends_before: datetime
) -> list[tuple[date, str, int]]:
    """(day, category, reports) of the window."""
    day = _day(session)
    statement = (
        select(day, Report.category, func.count())
        .where(_within(caller, starts_at, ends_before))
        .group_by(day, Report.category)
    )
    return _rows(session, statement)


def per_kind(
    session: Session, caller: Caller, starts_at: datetime, ends_before: datetime
) -> list[tuple[date, str, int]]:
    """(day, indicator kind, reports naming one) of the window: scammers' values only (never a
    reporter's own, never an allowlisted one)."""
    day = _day(session)
    statement = (
        select(day, IndicatorRecord.kind, func.count(func.distinct(Report.id)))
        .join(ReportIndicator, ReportIndicator.report_id == Report.id)
        .join(IndicatorRecord, IndicatorRecord.id == ReportIndicator.indicator_id)
        .where(
            _within(caller, starts_at, ends_before),
            ReportIndicator.reporter_own.is_(False),
            IndicatorRecord.allowlisted.is_(False),
        )
        .group_by(day, IndicatorRecord.kind)
    )
    return _rows(session, statement)


def campaigns_behind(
    session: Session,
    caller: Caller,
    category: str,
    starts_at: datetime,
    ends_before: datetime,
    limit: int,
) -> list[tuple[str, str | None, int]]:
    """(uid, name, reports) of the campaigns with the most reports of `category` in the week."""
    of_category = Report.category == category
    return _campaigns_of(session, caller, of_category, starts_at, ends_before, limit)


def _campaigns_of(
    session: Session,
    caller: Caller,
    reports_of: ColumnElement[bool],
    starts_at: datetime,
    ends_before: datetime,
    limit: int,
) -> list[tuple[str, str | None, int]]:
    reports = func.count().label("reports")
    statement = (
        select(Campaign.uid, Campaign.name, reports)
        .join(CampaignReport, Campaign.label == CampaignReport.campaign_id)
        .join(Report, Report.id == CampaignReport.report_id)
        .where(_within(caller, starts_at, ends_before), reports_of)
        .group_by(Campaign.uid, Campaign.name)
        .order_by(reports.desc(), Campaign.uid)
        .limit(limit)
    )
    return [(str(uid), name, int(n)) for uid, name, n in session.execute(statement)]


# Scripts (clusters of similar narratives): `tipline.trends.clustering` writes them.


def narratives_since(session: Session, since: datetime) -> list[tuple[int, str]]:
    """(report id, narrative) of every report received since `since`, oldest first (decrypted
    here, in the clustering's own process: nothing of them is written back)."""
    statement = (
        select(Report.id, Report.narrative).where(Report.created_at >= since).order_by(Report.id)
    )
    return [(int(i), text or "") for i, text in session.execute(statement)]


def unplaced_since(session: Session, since: datetime) -> list[tuple[int, str]]:
    """(report id, narrative) of the reports since `since` that are in no script yet."""
    statement = (
        select(Report.id, Report.narrative)
        .outerjoin(ReportScript, ReportScript.report_id == Report.id)
        .where(Report.created_at >= since, ReportScript.report_id.is_(None))
        .order_by(Report.id)
    )
    return [(int(i), text or "") for i, text in session.execute(statement)]


def scripts_of(session: Session, report_ids: list[int]) -> dict[int, int]:
    """{report id: script id} of those reports that are in a script."""
    found: dict[int, int] = {}
    for chunk in range(0, len(report_ids), 5000):
        ids = report_ids[chunk : chunk + 5000]
        statement = select(ReportScript.report_id, ReportScript.script_id).where(
            ReportScript.report_id.in_(ids)
        )
        found.update((int(r), int(s)) for r, s in session.execute(statement))
    return found


def script_members(session: Session, per_script: int) -> list[tuple[int, int, str]]:
    """(script id, report id, narrative) of each script's `per_script` latest reports."""
    rank = (
        func.row_number()
        .over(partition_by=ReportScript.script_id, order_by=ReportScript.report_id.desc())
        .label("rank")
    )
    latest = select(ReportScript.script_id, ReportScript.report_id, rank).subquery()
    statement = (
        select(latest.c.script_id, Report.id, Report.narrative)
        .join(Report, Report.id == latest.c.report_id)
        .where(latest.c.rank <= per_script)
        .order_by(latest.c.script_id, Report.id)
    )
    return [(int(s), int(r), text or "") for s, r, text in session.execute(statement)]


def next_script_id(session: Session) -> int:
    return int(session.scalar(select(func.coalesce(func.max(Script.id), 0))) or 0) + 1


def save_scripts(
    session: Session, assigned: dict[int, int], words: dict[int, list[str]], now: datetime
) -> None:
    """Each report of `assigned` in its script; the scripts' labels (where given) and sizes
    recounted; scripts left with no report removed."""
    ids = list(assigned)
    for chunk in range(0, len(ids), 5000):
        part = ids[chunk : chunk + 5000]
        session.execute(delete(ReportScript).where(ReportScript.report_id.in_(part)))
    known = set(session.scalars(select(Script.id)))
    for script_id in sorted(set(assigned.values()) - known):
        session.add(Script(id=script_id, words=[], reports=0, updated_at=now))
    session.flush()
    if assigned:
        rows = [{"report_id": r, "script_id": s} for r, s in assigned.items()]
        session.execute(insert(ReportScript), rows)
    sizes = dict(
        session.execute(
            select(ReportScript.script_id, func.count()).group_by(ReportScript.script_id)
        ).all()
    )
    for script in session.scalars(select(Script)):
        if script.id not in sizes:
            session.delete(script)
            continue
        script.reports = int(sizes[script.id])
        if script.id in words:
            script.words, script.updated_at = words[script.id], now


def per_script(
    session: Session, caller: Caller, starts_at: datetime, ends_before: datetime
) -> list[tuple[date, str, int]]:
    """(day, script id, reports) of the window, for the reports in a script."""
    day = _day(session)
    statement = (
        select(day, ReportScript.script_id, func.count())
        .join(ReportScript, ReportScript.report_id == Report.id)
        .where(_within(caller, starts_at, ends_before))
        .group_by(day, ReportScript.script_id)
    )
    return _rows(session, statement)


def script_words(session: Session, script_ids: list[int]) -> dict[int, list[str]]:
    statement = select(Script.id, Script.words).where(Script.id.in_(script_ids))
    return {int(i): list(words) for i, words in session.execute(statement)}


def campaigns_in_script(
    session: Session,
    caller: Caller,
    script_id: int,
    starts_at: datetime,
    ends_before: datetime,
    limit: int,
) -> list[tuple[str, str | None, int]]:
    """(uid, name, reports) of the campaigns with the most reports of the script in the week."""
    members = select(ReportScript.report_id).where(ReportScript.script_id == script_id)
    return _campaigns_of(session, caller, Report.id.in_(members), starts_at, ends_before, limit)
