"""What came of requests: the line a victim's follow page shows about her report, and who
answers how fast (per organisation: response times, amounts frozen)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from tipline.db_types import utc_now
from tipline.orgrequests import core, repository
from tipline.orgrequests.models import OrgRequest
from tipline.orgrequests.schemas import OrganisationFigures
from tipline.principals import ReportHolder


@dataclass(frozen=True, slots=True)
class FollowLine:
    """One request about a victim's report, in her terms: what was asked of whom, and what
    came of it. `amount_frozen` is hers only: the bank's answer on her account's line, or on a
    request about her report alone; never a total over other victims."""

    type: str
    organisation: str
    status: str  # sent (asked, no answer yet) or answered
    outcome: str | None
    amount_frozen: Decimal | None
    currency: str


def follow_lines(session: Session, holder: ReportHolder) -> list[FollowLine]:
    """The requests sent about the holder's report (from it, or about what it names)."""
    report_id, found = holder.report_id, []
    for request, organisation, own_lines in repository.requests_for_report(session, report_id):
        status = "answered" if request.status == core.RequestStatus.ANSWERED else "sent"
        amount = next((line.amount_frozen for line in own_lines if line.amount_frozen), None)
        if amount is None and request.report_id == report_id:
            amount = request.amount_frozen
        found.append(FollowLine(request.type, organisation, status, request.outcome, amount,
                                request.currency))  # fmt: skip
    return found


def organisation_figures(
    session: Session,
    organisation_id: int | None = None,
    now: datetime | None = None,
    since: datetime | None = None,
) -> list[OrganisationFigures]:
    """Per organisation, over the requests sent to it (since then, when given): sent,
    answered, open, overdue; median hours to open and to answer; the amount frozen; done and
    refused. Busiest first. Aggregated in the database: no request is read one by one."""
    moment = now or utc_now()
    tallies = repository.request_tallies(session, moment, organisation_id, since)
    seen = repository.median_hours(
        session, OrgRequest.sent_at, OrgRequest.seen_at, organisation_id, since
    )
    answered = repository.median_hours(
        session, OrgRequest.sent_at, OrgRequest.answered_at, organisation_id, since
    )
    names = repository.organisation_names(session, sorted(row[0] for row in tallies))
    figures = [
        OrganisationFigures(
            organisation_id=ident,
            organisation=names.get(ident, ""),
            sent=sent,
            answered=answers,
            open=open_,
            overdue=overdue,
            median_hours_to_seen=_rounded(seen.get(ident)),
            median_hours_to_answer=_rounded(answered.get(ident)),
            amount_frozen=Decimal(frozen),
            done=done,
            refused=refused,
        )  # fmt: skip
        for ident, sent, answers, open_, overdue, frozen, done, refused in tallies
    ]
    return sorted(figures, key=lambda f: (-f.sent, f.organisation))


def _rounded(hours: float | None) -> float | None:
    return None if hours is None else round(hours, 2)
