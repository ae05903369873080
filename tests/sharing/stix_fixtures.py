"""Small factories for the STIX tests: reports whose indicators analysts confirmed."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.reports.models import Report
from tipline.settings import Settings


def confirm(session: Session, code: str, *, own: tuple[str, ...] = ()) -> None:
    """An analyst confirms every indicator of the report with this code; values in `own` are
    the reporter's own (never shared)."""
    report_id = session.scalar(select(Report.id).where(Report.code == code))
    session.execute(
        update(ReportIndicator).where(ReportIndicator.report_id == report_id).values(confirmed=True)
    )
    if own:
        owned = select(IndicatorRecord.id).where(IndicatorRecord.value.in_(own))
        session.execute(
            update(ReportIndicator)
            .where(ReportIndicator.report_id == report_id, ReportIndicator.indicator_id.in_(owned))
            .values(reporter_own=True)
        )
    session.flush()


def indicator(session: Session, value: str) -> IndicatorRecord:
    found = session.scalar(select(IndicatorRecord).where(IndicatorRecord.value == value))
    assert found is not None, value
    return found


def instance_settings(name: str = "tipline", default_tlp: str = "amber") -> Settings:
    return Settings(sharing_identity_name=name, sharing_default_tlp=default_tlp)
