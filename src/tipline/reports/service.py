"""Report use cases: a victim submits a report, and follows it with its code and secret."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from tipline.campaigns.service import link_new_reports
from tipline.db_types import utc_now
from tipline.errors import InvalidInput, NotFound
from tipline.indicators.service import record_report_indicators
from tipline.principals import ReportHolder
from tipline.reports import repository as reports
from tipline.reports.core import (
    CHANNELS,
    age_group,
    as_utc,
    hash_secret,
    new_secret,
    normalise_code,
    secret_matches,
    sighting_time,
)
from tipline.reports.models import Report
from tipline.reports.reading import ReportReading, read_report
from tipline.reports.schemas import IndicatorRead, ReportCreate, ReportReceipt, ReportStatus

# Compared with a wrong code's secret, so that a wrong code takes as long as a wrong secret.
_NO_SUCH_SECRET = hash_secret("no such report")


def report_values(
    data: ReportCreate, reading: ReportReading, channel: str, received_at: datetime
) -> dict[str, Any]:
    """The stored columns of a new report (all but its code and secret)."""
    if channel not in CHANNELS:
        raise InvalidInput(f"unknown channel {channel!r}", field="channel")
    return {
        "channel": channel,
        "narrative": data.narrative,
        "language": data.language or reading.language,
        "category": reading.category,
        "urgency": reading.urgency,
        "triage_reasons": reading.reasons,
        "listed_values": list(data.indicators),
        "loss_amount": data.loss_amount,
        "loss_currency": data.loss_currency if data.loss_amount is not None else None,
        "occurred_at": as_utc(data.occurred_at),
        "province": data.province,
        "country": data.country,
        "victim_age_group": age_group(data.victim_age),
        "victim_gender": data.victim_gender,
        # An anonymous reporter's contact is not kept, even when the form sent one.
        "reporter_contact": None if data.anonymous else data.contact,
        "anonymous": data.anonymous,
        "status": "new",
        "created_at": received_at,
        "updated_at": received_at,
    }


def advice_lines(category: str, language: str) -> list[str]:
    """Triage's advice for a category, as lines."""
    from tipline.triage import advice_for

    advice: object = advice_for(category, language)
    if advice is None:
        return []
    if isinstance(advice, str):
        return [line.strip(" -•\t") for line in advice.splitlines() if line.strip(" -•\t")]
    if isinstance(advice, Iterable):  # triage's Advice: steps, evidence to keep, contacts
        return [str(line) for line in advice]
    return [str(advice)]


def submit_report(session: Session, data: ReportCreate, channel: str) -> ReportReceipt:
    """Extract, triage and store a report with its indicators, in one transaction."""
    reading = read_report(
        data.narrative, data.indicators, data.victim_age, data.loss_amount, data.language
    )
    received_at = utc_now()
    values = report_values(data, reading, channel, received_at)
    secret = new_secret()
    values["secret_hash"] = hash_secret(secret)
    try:
        report = reports.add_report(session, values)
        seen = sighting_time(values["occurred_at"], received_at)
        record_report_indicators(session, [(report.id, reading.indicators, seen)])
        link_new_reports(session, [report.id])
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return ReportReceipt(
        code=report.code,
        secret=secret,
        status=report.status,
        category=report.category,
        urgency=report.urgency,
        language=report.language,
        reasons=reading.reasons,
        advice=advice_lines(report.category, report.language),
        indicators=[
            IndicatorRead(kind=i.kind, value=i.value, allowlisted=i.allowlisted)
            for i in reading.indicators
        ],
        unrecognised=reading.unrecognised,
    )


def _status(report: Report) -> ReportStatus:
    return ReportStatus(
        code=report.code,
        status=report.status,
        category=report.category,
        urgency=report.urgency,
        language=report.language,
        created_at=report.created_at,
        updated_at=report.updated_at,
    )


def holder_of(session: Session, code: str, secret: str) -> ReportHolder:
    """The citizen who holds this code and secret; NotFound for either wrong (the same work
    whether the code exists or not)."""
    canonical = normalise_code(code)
    found = reports.secret_of(session, canonical) if canonical else None
    matches = secret_matches(secret, found[1] if found is not None else _NO_SUCH_SECRET)
    if found is None or not matches:
        raise NotFound("no report with this code and secret", field="code")
    return ReportHolder(found[0])


def follow_report(session: Session, code: str, secret: str) -> ReportStatus:
    """A report's status for the holder of its code and secret; NotFound for either wrong."""
    holder = holder_of(session, code, secret)
    report = reports.readable_report(session, holder, holder.report_id)
    if report is None:
        raise NotFound("no report with this code and secret", field="code")
    return _status(report)
