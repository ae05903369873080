"""The cooperation API (`/api/v1/cooperation`), for staff only; the pages are in `pages.py`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from tipline.access import Staff
from tipline.cooperation import service
from tipline.cooperation.links import LinkTarget, add_link, remove_link
from tipline.cooperation.models import CooperationRequest
from tipline.cooperation.pages import pages, pdf_response
from tipline.cooperation.repository import Filters
from tipline.cooperation.schemas import (
    CooperationCreate,
    CooperationDetail,
    CooperationEventRead,
    CooperationExtension,
    CooperationLinkChange,
    CooperationOverview,
    CooperationPage,
    CooperationRead,
    CooperationStatusChange,
    CountryAnswerTimes,
)
from tipline.cooperation.service import CooperationView, Draft
from tipline.cursors import MAX_KEY
from tipline.dependencies import DbSession
from tipline.errors import error_responses

__all__ = ["pages", "router"]

router = APIRouter(
    prefix="/cooperation",
    tags=["cooperation"],
    responses=error_responses(401, 403, 404, 409, 422),
)

STORED_FIELDS = tuple(name for name in CooperationRead.model_fields if name != "overdue")
Reference = Annotated[str, Path(min_length=1, max_length=40)]
Cursor = Annotated[str | None, Query(max_length=100)]


def _read(request: CooperationRequest, overdue: bool) -> CooperationRead:
    stored = {name: getattr(request, name) for name in STORED_FIELDS}
    return CooperationRead.model_validate(stored | {"overdue": overdue})


def _detail(view: CooperationView) -> CooperationDetail:
    events = [
        CooperationEventRead(
            action=e.action, status=e.status, actor=e.actor, at=e.at, details=e.details
        )
        for e in view.events
    ]
    return CooperationDetail(
        **_read(view.request, view.overdue).model_dump(),
        facts=view.request.facts,
        report_ids=[link.report_id for link in view.links if link.report_id is not None],
        campaign_uids=[link.campaign_uid for link in view.links if link.campaign_uid is not None],
        indicator_ids=[link.indicator_id for link in view.links if link.indicator_id is not None],
        events=events,
    )


def draft_of(body: CooperationCreate) -> Draft:
    values = body.model_dump(exclude={"data_requested"})
    return Draft(**values, data_requested=[line.as_line() for line in body.data_requested])


@router.get("", response_model=CooperationPage)
def list_requests_api(
    principal: Staff,
    session: DbSession,
    direction: Annotated[str | None, Query(max_length=16)] = None,
    type: Annotated[str | None, Query(max_length=24)] = None,
    status: Annotated[str | None, Query(max_length=16)] = None,
    partner_id: Annotated[int | None, Query(ge=1, le=MAX_KEY)] = None,
    case_id: Annotated[int | None, Query(ge=1, le=MAX_KEY)] = None,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=200)] = service.PAGE_SIZE,
) -> CooperationPage:
    """Requests to and from partners abroad, newest first, one keyset page at a time (those
    of one case with `case_id`)."""
    filters = Filters(direction, type, status, partner_id, case_id)
    listing = service.list_requests(session, principal, filters, cursor, size=limit)
    today = service.today()
    return CooperationPage(
        items=[_read(r, service.overdue_on(r, today)) for r in listing.rows],
        total=listing.total,
        next_cursor=listing.next_cursor,
        previous_cursor=listing.previous_cursor,
    )


@router.post("", response_model=CooperationDetail, status_code=201)
def create_request_api(
    body: CooperationCreate, principal: Staff, session: DbSession
) -> CooperationDetail:
    """Record a request (a draft) to or from a partner abroad."""
    request = service.create_request(session, principal, draft_of(body))
    return _detail(service.view_request(session, principal, request.reference))


@router.get("/overview", response_model=CooperationOverview)
def overview_api(principal: Staff, session: DbSession) -> CooperationOverview:
    """What is overdue, what lapses within a week, and the average days to answer per country."""
    found = service.overview(session, principal)
    return CooperationOverview(
        overdue=found.overdue_count,
        lapsing_this_week=found.lapsing_count,
        overdue_references=[r.reference for r in found.overdue],
        lapsing_references=[r.reference for r in found.lapsing],
        answer_times=[
            CountryAnswerTimes(
                country=t.country,
                direction=t.direction,
                answered=t.answered,
                average_days=t.average_days,
            )  # fmt: skip
            for t in found.answer_times
        ],
    )


@router.get("/{reference}", response_model=CooperationDetail)
def request_api(reference: Reference, principal: Staff, session: DbSession) -> CooperationDetail:
    return _detail(service.view_request(session, principal, reference))


@router.post("/{reference}/status", response_model=CooperationDetail)
def change_status_api(
    reference: Reference, body: CooperationStatusChange, principal: Staff, session: DbSession
) -> CooperationDetail:
    """Move the request on (409 for a move its status does not allow); recorded with who and
    when."""
    service.change_status(session, principal, reference, body.status, note=body.note)
    return _detail(service.view_request(session, principal, reference))


@router.post("/{reference}/extension", response_model=CooperationDetail)
def extend_api(
    reference: Reference, body: CooperationExtension, principal: Staff, session: DbSession
) -> CooperationDetail:
    """Extend a held preservation by another period."""
    service.extend_preservation(session, principal, reference, days=body.days)
    return _detail(service.view_request(session, principal, reference))


@router.post("/{reference}/links", response_model=CooperationDetail)
def add_link_api(
    reference: Reference, body: CooperationLinkChange, principal: Staff, session: DbSession
) -> CooperationDetail:
    """Link a report, a campaign or an indicator to the request (409 if it already is);
    audited, and a step of the request's history."""
    add_link(session, principal, reference, LinkTarget(**body.model_dump()))
    return _detail(service.view_request(session, principal, reference))


@router.delete("/{reference}/links", response_model=CooperationDetail)
def remove_link_api(
    reference: Reference,
    principal: Staff,
    session: DbSession,
    target: Annotated[CooperationLinkChange, Query()],
) -> CooperationDetail:
    """Unlink the report, campaign or indicator the query names (one of the parameters of
    `POST …/links`); 404 if it is not linked."""
    remove_link(session, principal, reference, LinkTarget(**target.model_dump()))
    return _detail(service.view_request(session, principal, reference))


Language = Annotated[str, Query(pattern="^(vi|en)$")]
PDF_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "the request as a PDF"}
}


@router.get("/{reference}/document", response_class=Response, responses=PDF_RESPONSE)
def document_api(
    reference: Reference, principal: Staff, session: DbSession, lang: Language = "vi"
) -> Response:
    """The request as a PDF document in Vietnamese or English (`lang`), from the request and
    its case: the indicators and facts the analyst chose, no other victim data."""
    return pdf_response(*service.document(session, principal, reference, lang))
