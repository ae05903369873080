"""Every query of triage: analysts' corrections and the narratives they correct."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tipline.reports.models import Report
from tipline.triage.models import TriageCorrection


@dataclass(frozen=True, slots=True)
class CorrectedReport:
    """The latest correction of a report, with the report's narrative (training data)."""

    report_id: int
    narrative: str
    category: str
    urgency: str


def report_triage(session: Session, report_id: int) -> tuple[str, str] | None:
    """The category and urgency a report has now, or None when there is no such report."""
    row = session.execute(
        select(Report.category, Report.urgency).where(Report.id == report_id)
    ).one_or_none()
    return None if row is None else (row.category, row.urgency)


def add_correction(session: Session, values: dict[str, object]) -> TriageCorrection:
    """Insert a correction (the caller commits)."""
    correction = TriageCorrection(**values)
    session.add(correction)
    session.flush()
    return correction


def list_corrections(
    session: Session, report_id: int | None = None, limit: int = 100, offset: int = 0
) -> Sequence[TriageCorrection]:
    """Corrections, newest first; of one report when `report_id` is given."""
    statement = select(TriageCorrection).order_by(
        TriageCorrection.created_at.desc(), TriageCorrection.id.desc()
    )
    if report_id is not None:
        statement = statement.where(TriageCorrection.report_id == report_id)
    return session.scalars(statement.limit(limit).offset(offset)).all()


def latest_corrected_reports(session: Session) -> list[CorrectedReport]:
    """For each corrected report, its latest correction and its narrative."""
    latest = (
        select(func.max(TriageCorrection.id).label("id"))
        .group_by(TriageCorrection.report_id)
        .subquery()
    )
    rows = session.execute(
        select(
            TriageCorrection.report_id,
            Report.narrative,
            TriageCorrection.corrected_category,
            TriageCorrection.corrected_urgency,
        )
        .join(latest, latest.c.id == TriageCorrection.id)
        .join(Report, Report.id == TriageCorrection.report_id)
        .order_by(TriageCorrection.report_id)
    ).all()
    return [CorrectedReport(r[0], r[1], r[2], r[3]) for r in rows]
