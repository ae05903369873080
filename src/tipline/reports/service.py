"""Report use cases: a victim follows a report with its code and secret.

Reports are taken in by `tipline.intake`, which sits above this package.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from tipline.audit.service import record
from tipline.errors import NotFound
from tipline.principals import ReportHolder
from tipline.reports import repository as reports
from tipline.reports.core import hash_secret, normalise_code, risk_rank, secret_matches
from tipline.reports.models import Report
from tipline.reports.schemas import ReportStatus
from tipline.vocabulary import QUEUE_POSITION, Urgency

# Compared with a wrong code's secret, so that a wrong code takes as long as a wrong secret.
_NO_SUCH_SECRET = hash_secret("no such report")


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


def held_report(session: Session, code: str, secret: str) -> tuple[ReportHolder, Report]:
    """The report of this code and secret, read as its holder; NotFound for either wrong."""
    holder = holder_of(session, code, secret)
    report = reports.readable_report(session, holder, holder.report_id)
    if report is None:
        raise NotFound("no report with this code and secret", field="code")
    return holder, report


def follow_report(session: Session, code: str, secret: str) -> ReportStatus:
    """A report's status for the holder of its code and secret; NotFound for either wrong."""
    return _status(held_report(session, code, secret)[1])


def raise_to_critical(session: Session, report_id: int, reason: str, actor: str) -> bool:
    """Raise a report to critical, first in its urgency, with `reason` added to its triage
    reasons and an audit entry (in the caller's transaction); False if nothing was to change."""
    report = session.get(Report, report_id)
    if report is None:
        raise NotFound(f"no report {report_id}", field="report_id")
    reasons = [str(r) for r in report.triage_reasons or []]
    if report.urgency == Urgency.CRITICAL and reason in reasons:
        return False
    previous = report.urgency
    report.urgency = Urgency.CRITICAL.value
    report.urgency_rank = QUEUE_POSITION[Urgency.CRITICAL]
    report.risk_rank = risk_rank(True)
    if reason not in reasons:
        report.triage_reasons = [*reasons, reason]
    details = {"previous": previous, "urgency": report.urgency, "reason": reason}
    record(session, actor, "report.escalate", "report", report_id, details)
    return True
