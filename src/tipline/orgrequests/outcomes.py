"""What came of requests: the line a victim's follow page shows about her report, and who
answers how fast (per organisation: response times, amounts frozen)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from statistics import median
from typing import Any

from sqlalchemy.orm import Session

from tipline.db_types import utc_now
from tipline.orgrequests import core, repository
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


def _hours(rows: list[Any], start: int, end: int) -> float | None:
    spans = [h for row in rows if (h := core.hours_between(row[start], row[end])) is not None]
    return round(median(spans), 2) if spans else None


def organisation_figures(
    session: Session, organisation_id: int | None = None, now: datetime | None = None
) -> list[OrganisationFigures]:
    """Per organisation: requests sent, answered, open, overdue; median hours to open and to
    answer; the amount frozen; done and refused. Busiest first."""
    moment = now or utc_now()
    by_organisation: dict[int, list[Any]] = {}
    for row in repository.answered_requests(session, organisation_id):
        by_organisation.setdefault(row[0], []).append(row)
    names = repository.organisation_names(session, sorted(by_organisation))
    figures = [
        _figures(ident, names.get(ident, ""), rows, moment)
        for ident, rows in by_organisation.items()
    ]
    return sorted(figures, key=lambda f: (-f.sent, f.organisation))


def _figures(ident: int, name: str, rows: list[Any], now: datetime) -> OrganisationFigures:
    # row: organisation, type, sent, seen, answered, outcome, amount frozen, status, due
    open_rows = [r for r in rows if r[7] in core.OPEN_STATUSES]
    return OrganisationFigures(
        organisation_id=ident, organisation=name, sent=len(rows),
        answered=sum(r[4] is not None for r in rows), open=len(open_rows),
        overdue=sum(core.is_overdue(r[7], r[8], now) for r in open_rows),
        median_hours_to_seen=_hours(rows, 2, 3), median_hours_to_answer=_hours(rows, 2, 4),
        amount_frozen=sum((r[6] for r in rows if r[6] is not None), Decimal(0)),
        done=sum(r[5] in ("done", "partly_done") for r in rows),
        refused=sum(r[5] == "refused" for r in rows),
    )  # fmt: skip
