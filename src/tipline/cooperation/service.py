"""Cooperation use cases: record a request to or from a partner abroad, move it through its
statuses, keep its preservation from lapsing, and the overview of what is late.

Each change adds a CooperationEvent (who, when, the status after) and an audit-log entry in the
same transaction, then commits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session

from tipline.audit.service import record
from tipline.campaigns.repository import current_campaigns
from tipline.cases.core import local_today
from tipline.cases.models import Case
from tipline.cases.repository import get_case
from tipline.cases.service import reference_of
from tipline.cooperation import core, repository
from tipline.cooperation.document import LANGUAGES, CaseLine, request_pdf
from tipline.cooperation.models import CooperationEvent, CooperationLink, CooperationRequest
from tipline.cooperation.repository import CountryTimes, Filters, LinkRow
from tipline.cursors import make_cursor, read_keyset, window
from tipline.db_types import utc_now
from tipline.errors import Conflict, InvalidInput, NotFound
from tipline.partners.models import Partner
from tipline.principals import Caller, Principal
from tipline.reports.repository import readable_report

PAGE_SIZE = 50
OVERVIEW_ROWS = 50
WEEK_DAYS = 7


@dataclass(frozen=True, slots=True)
class Draft:
    """What a new request says (the API's CooperationCreate and the form both make one)."""

    direction: str
    type: str
    requesting_authority: str
    requested_authority: str = ""
    partner_id: int | None = None
    their_reference: str | None = None
    legal_basis: str = ""
    offences: str = ""
    data_requested: Sequence[Mapping[str, object]] = ()
    facts: str = ""
    confidentiality: str = ""
    data_conditions: str = ""
    deadline: date | None = None
    case_id: int | None = None
    report_ids: Sequence[int] = ()
    campaign_uids: Sequence[UUID] = ()
    indicator_ids: Sequence[int] = ()


@dataclass(frozen=True, slots=True)
class CooperationView:
    request: CooperationRequest
    partner: Partner | None
    case: Case | None
    links: list[LinkRow]
    events: list[CooperationEvent]
    overdue: bool
    lapsing: bool
    next_statuses: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CooperationListing:
    rows: list[CooperationRequest]
    total: int
    previous_cursor: str | None
    next_cursor: str | None
    filters: Filters


@dataclass(frozen=True, slots=True)
class Overview:
    overdue_count: int
    lapsing_count: int
    overdue: list[CooperationRequest]  # the first OVERVIEW_ROWS of each
    lapsing: list[CooperationRequest]
    answer_times: list[CountryTimes]
    today: date
    week_end: date = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "week_end", self.today + timedelta(days=WEEK_DAYS))


def _choice(value: str | None, allowed: Sequence[str], name: str) -> str | None:
    if value in (None, ""):
        return None
    if value not in allowed:
        raise InvalidInput(f"{name} must be one of {', '.join(allowed)}", field=name)
    return value


def today(now: datetime | None = None) -> date:
    """Today in Vietnam, the day deadlines are counted in."""
    return local_today(now or utc_now())


def overdue_on(request: CooperationRequest, day: date) -> bool:
    return core.is_overdue(request.deadline, request.status, day)


def get_request(session: Session, caller: Caller, reference: str) -> CooperationRequest:
    """The request, if the caller may read it; NotFound otherwise."""
    found = repository.readable_request(session, caller, reference.strip().upper())
    if found is None:
        raise NotFound(f"no cooperation request {reference}", field="reference")
    return found


def record_step(
    session: Session,
    actor: str,
    request: CooperationRequest,
    action: str,
    details: Mapping[str, Any],
    now: datetime,
) -> None:
    """Record a step (an event and an audit entry) and commit it with the change it is of."""
    try:
        session.add(
            CooperationEvent(
                request_id=request.id, action=action, status=request.status, actor=actor,
                at=now, details=dict(details),
            )
        )  # fmt: skip
        record(session, actor, f"cooperation.{action}", "cooperation_request", request.id,
               {"reference": request.reference, "status": request.status, **details})  # fmt: skip
        session.commit()
    except BaseException:
        session.rollback()
        raise


def _check_links(session: Session, caller: Caller, draft: Draft) -> None:
    if draft.case_id is not None and get_case(session, caller, draft.case_id) is None:
        raise NotFound(f"no case {draft.case_id}", field="case_id")
    for report_id in draft.report_ids:
        if readable_report(session, caller, report_id) is None:
            raise NotFound(f"no report {report_id}", field="report_ids")
    known = current_campaigns(session, list(draft.campaign_uids))
    for uid in draft.campaign_uids:
        if uid not in known:
            raise NotFound(f"no campaign {uid}", field="campaign_uids")
    for indicator_id in draft.indicator_ids:
        if repository.readable_indicator_id(session, caller, indicator_id) is None:
            raise NotFound(f"no indicator {indicator_id}", field="indicator_ids")


def _authorities(session: Session, draft: Draft) -> tuple[str, str]:
    """(requesting, requested) authority: the partner's name stands for the side abroad when
    the free name is left empty."""
    partner = None
    if draft.partner_id is not None:
        partner = repository.partner_of(session, draft.partner_id)
        if partner is None:
            raise NotFound(f"no partner {draft.partner_id}", field="partner_id")
    requesting, requested = draft.requesting_authority.strip(), draft.requested_authority.strip()
    abroad = partner.name if partner else ""
    if draft.direction == "outgoing":
        requested = requested or abroad
    else:
        requesting = requesting or abroad
    if not requesting or not requested:
        raise InvalidInput("name both authorities, or choose the partner", field="partner_id")
    return requesting[:200], requested[:200]


def _lines(draft: Draft) -> list[dict[str, str]]:
    try:
        return core.clean_lines([dict(line) for line in draft.data_requested])
    except core.LineError as exc:
        raise InvalidInput(str(exc), field="data_requested") from exc


def create_request(
    session: Session, caller: Principal, draft: Draft, *, now: datetime | None = None
) -> CooperationRequest:
    """Record a new request (a draft), with its links, numbered `COOP-<year>-<n>`."""
    now = now or utc_now()
    _choice(draft.direction, core.DIRECTIONS, "direction")
    _choice(draft.type, core.TYPES, "type")
    if not draft.direction or not draft.type:
        raise InvalidInput("direction and type are required", field="type")
    requesting, requested = _authorities(session, draft)
    lines = _lines(draft)
    _check_links(session, caller, draft)
    repository.lock_numbering(session)
    year = local_today(now).year
    request = CooperationRequest(
        reference=core.format_reference(year, repository.last_number(session, year) + 1),
        direction=draft.direction, type=draft.type, status="draft", partner_id=draft.partner_id,
        requesting_authority=requesting, requested_authority=requested,
        their_reference=(draft.their_reference or "").strip()[:100] or None,
        legal_basis=draft.legal_basis.strip(), offences=draft.offences.strip(),
        data_requested=lines, facts=draft.facts.strip(),
        confidentiality=draft.confidentiality.strip(),
        data_conditions=draft.data_conditions.strip(), case_id=draft.case_id,
        created_by=caller.actor, created_at=now, deadline=draft.deadline,
    )  # fmt: skip
    session.add(request)
    session.flush()
    for report_id in dict.fromkeys(draft.report_ids):
        session.add(CooperationLink(request_id=request.id, report_id=report_id))
    for uid in dict.fromkeys(draft.campaign_uids):
        session.add(CooperationLink(request_id=request.id, campaign_uid=uid))
    for indicator_id in dict.fromkeys(draft.indicator_ids):
        session.add(CooperationLink(request_id=request.id, indicator_id=indicator_id))
    details = {"direction": request.direction, "type": request.type, "lines": len(lines)}
    record_step(session, caller.actor, request, "create", details, now)
    return request


def change_status(
    session: Session,
    caller: Principal,
    reference: str,
    status: str,
    *,
    note: str = "",
    now: datetime | None = None,
) -> CooperationRequest:
    """Move a request to `status` (core.TRANSITIONS says which moves are allowed). Sending
    stamps sent_at and starts a preservation's 60 days; an answer or refusal stamps
    answered_at."""
    now = now or utc_now()
    _choice(status, core.STATUSES, "status")
    request = get_request(session, caller, reference)
    before = request.status
    if not core.can_move(before, status):
        raise Conflict(f"a {before} request cannot become {status}", field="status")
    request.status = status
    if status == "sent":
        request.sent_at = now
        if request.type == "preservation":
            request.preserved_until = core.preservation_ends(local_today(now))
    if status in ("answered", "refused"):
        request.answered_at = now
    details = {"from": before, "note": note.strip()[:500]} if note.strip() else {"from": before}
    record_step(session, caller.actor, request, "status", details, now)
    return request


def extend_preservation(
    session: Session,
    caller: Principal,
    reference: str,
    *,
    days: int = core.PRESERVATION_DAYS,
    now: datetime | None = None,
) -> CooperationRequest:
    """Extend a held preservation by another period (at least 60 days from when it would have
    lapsed)."""
    now = now or utc_now()
    request = get_request(session, caller, reference)
    if request.type != "preservation" or request.status not in core.OPEN_STATUSES:
        raise Conflict("only a preservation being held can be extended", field="status")
    before = request.preserved_until
    request.preserved_until = core.extended_until(before, local_today(now), days)
    details = {
        "from": before.isoformat() if before else None,
        "until": request.preserved_until.isoformat(),
    }
    record_step(session, caller.actor, request, "extend", details, now)
    return request


def view_request(
    session: Session, caller: Caller, reference: str, *, now: datetime | None = None
) -> CooperationView:
    request = get_request(session, caller, reference)
    today = local_today(now or utc_now())
    partner = repository.partner_of(session, request.partner_id) if request.partner_id else None
    case = get_case(session, caller, request.case_id) if request.case_id else None
    return CooperationView(
        request, partner, case, repository.described_links(session, request.id),
        repository.events_of(session, request.id),
        core.is_overdue(request.deadline, request.status, today),
        core.lapses_within(request.preserved_until, request.status, today, WEEK_DAYS),
        core.TRANSITIONS.get(request.status, ()),
    )  # fmt: skip


def list_requests(
    session: Session,
    caller: Caller,
    filters: Filters,
    cursor: str | None = None,
    *,
    size: int = PAGE_SIZE,
) -> CooperationListing:
    """A keyset page of requests, newest first, filtered by direction, type, status, partner."""
    checked = Filters(
        _choice(filters.direction, core.DIRECTIONS, "direction"),
        _choice(filters.type, core.TYPES, "type"),
        _choice(filters.status, core.STATUSES, "status"),
        filters.partner_id,
        filters.case_id,
    )
    page = read_keyset(cursor, size, 1)
    found, total = repository.list_requests(session, caller, checked, page)
    shown = window(found, page)
    rows = shown.rows
    return CooperationListing(
        rows, total,
        make_cursor("before", rows[0].id) if shown.has_previous else None,
        make_cursor("after", rows[-1].id) if shown.has_next else None,
        checked,
    )  # fmt: skip


def lapsing_within(
    session: Session, caller: Caller, days: int, *, now: datetime | None = None
) -> list[CooperationRequest]:
    """Preservations being held that lapse within `days` days (or have lapsed unnoticed)."""
    today = local_today(now or utc_now())
    return repository.lapsing(session, caller, today + timedelta(days=days))


def overview(session: Session, caller: Caller, *, now: datetime | None = None) -> Overview:
    """What is overdue, what lapses this week, and the average time to answer per country."""
    today = local_today(now or utc_now())
    week_end = today + timedelta(days=WEEK_DAYS)
    late, soon = repository.count_overdue_and_lapsing(session, caller, today, week_end)
    return Overview(
        late,
        soon,
        repository.overdue(session, caller, today, OVERVIEW_ROWS),
        repository.lapsing(session, caller, week_end, OVERVIEW_ROWS),
        repository.answer_times(session, caller),
        today,
    )


def partners(session: Session) -> list[Partner]:
    return repository.partners(session)


def document(
    session: Session,
    caller: Principal,
    reference: str,
    language: str,
    *,
    now: datetime | None = None,
) -> tuple[str, bytes]:
    """(file name, PDF) of the request in `language` (vi or en), from the request and its
    case; audited, as the document leaves tipline."""
    if language not in LANGUAGES:
        raise InvalidInput("the document is in vi or en", field="lang")
    view = view_request(session, caller, reference, now=now)
    case = CaseLine(reference_of(view.case), view.case.title) if view.case else None
    pdf = request_pdf(view.request, case, language, today(now))
    details = {"reference": view.request.reference, "language": language}
    try:
        record(session, caller.actor, "cooperation.document", "cooperation_request",
               view.request.id, details)  # fmt: skip
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return f"{view.request.reference}-{language}.pdf", pdf
