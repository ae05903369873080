"""`GET /api/v1/check?value=` and `POST /api/v1/check/bulk` (anyone); the indicators themselves,
by kind and source, for staff (`GET /api/v1/indicators`, `GET /api/v1/indicators/{id}`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from tipline.access import PUBLIC, Staff
from tipline.dependencies import DbSession, ReadSession
from tipline.errors import error_responses
from tipline.indicators.repository import REPORTS_SOURCE
from tipline.indicators.schemas import (
    BulkCheckRequest,
    BulkCheckResponse,
    CheckResult,
    IndicatorDetail,
    IndicatorPageRead,
)
from tipline.indicators.service import (
    REPORTS_SHOWN,
    check_value,
    check_values,
    indicator_detail,
    indicator_page,
)
from tipline.indicators.types import Kind
from tipline.ratelimits.dependencies import limited
from tipline.server.problems import request_language
from tipline.vocabulary import MAX_VALUE_LENGTH

check_router = APIRouter(prefix="/check", tags=["check"])
indicators_router = APIRouter(
    prefix="/indicators", tags=["indicators"], responses=error_responses(401, 403, 422)
)
NOT_FOUND = error_responses(404)
LIMITED = error_responses(429)


CHECKED = [Depends(PUBLIC), limited("checks")]  # anyone may ask, within the address's limit


@check_router.get("", response_model=CheckResult, dependencies=CHECKED, responses=LIMITED)
async def check(
    value: Annotated[str, Query(max_length=MAX_VALUE_LENGTH)],
    session: ReadSession,
    request: Request,
) -> Response:
    """Has anyone reported this phone, account, link, domain, email, IP, wallet or handle?

    A known legitimate host (`allowlisted`) is never answered with the reports that name it. A
    bank account is found at every bank when checked as bare digits, and where it was reported
    with no bank when checked with one (`accounts`). An empty value is refused with what to
    type."""
    # Run inline, not in the thread pool: a single check is well under a millisecond of CPU and
    # indexed reads, and a thread hop per request costs more than it does (GIL hand-offs). The
    # result is serialised once, here, rather than validated again against the response model.
    result = check_value(session, value, request_language(request))
    alerts_of = getattr(request.app.state, "check_alerts", None)  # set by tipline.app
    if alerts_of is not None and result.verdict != "not_reported":
        result.alerts = alerts_of(session, result, request_language(request))
    return Response(result.model_dump_json(), media_type="application/json")


@check_router.post(
    "/bulk", response_model=BulkCheckResponse, dependencies=CHECKED, responses=LIMITED
)
def check_bulk(body: BulkCheckRequest, session: ReadSession, request: Request) -> Response:
    """Up to 1,000 values at once, answered in order; unreadable values are rejected singly."""
    results = check_values(session, body.values, request_language(request))
    # Serialised once, by pydantic-core: FastAPI's own path (validate against the response model,
    # dump to Python objects, encode those) takes 10 ms for a thousand answers, this 2 ms.
    answer = BulkCheckResponse(results=results).model_dump_json()
    return Response(answer, media_type="application/json")


@indicators_router.get("", response_model=IndicatorPageRead)
def list_indicators(
    principal: Staff,
    session: DbSession,
    kind: Kind | None = None,
    source: Annotated[
        str | None,
        Query(min_length=1, max_length=100, description=f"a feed's name, or `{REPORTS_SOURCE}`"),
    ] = None,
    cursor: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> IndicatorPageRead:
    """Indicators by id, of one kind and from one source (a feed, or the reports) if asked."""
    return indicator_page(session, principal, kind.value if kind else None, source, cursor, limit)


@indicators_router.get("/{indicator_id}", response_model=IndicatorDetail, responses=NOT_FOUND)
def read_indicator(
    indicator_id: Annotated[int, Path(ge=1, le=2**63 - 1)],
    principal: Staff,
    session: DbSession,
    cursor: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = REPORTS_SHOWN,
) -> IndicatorDetail:
    """One indicator with a keyset page of the reports that name it (newest first) and the
    feeds that list it."""
    return indicator_detail(session, principal, indicator_id, cursor, limit)


router = APIRouter()
router.include_router(check_router)
router.include_router(indicators_router)
