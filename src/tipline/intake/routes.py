"""`POST /api/v1/reports` (one report) and `POST /api/v1/reports/bulk` (a platform's batch)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from tipline.access import PUBLIC, STAFF_ROLES, Principal, Role, allow
from tipline.dependencies import DbSession
from tipline.errors import NotPermitted, error_responses
from tipline.intake.schemas import BulkReceipt, BulkSubmission
from tipline.intake.service import submit_bulk, submit_report
from tipline.ratelimits.dependencies import limited
from tipline.reports.schemas import ReportCreate, ReportReceipt
from tipline.server.limits import API_BODY_BYTES
from tipline.server.problems import request_language

router = APIRouter(prefix="/reports", tags=["reports"])

NO_STORE = "no-store"
BULK_SENDERS = allow(Role.PLATFORM, Role.PARTNER, *STAFF_ROLES)
Sender = Annotated[Principal, Depends(BULK_SENDERS)]
ERROR = {"description": "An error: `{error: {code, message, field, details}}`."}


@router.post(
    "",
    status_code=201,
    dependencies=[Depends(PUBLIC), limited("reports")],  # citizens, per address
    responses=error_responses(429),
)
def create_report(data: ReportCreate, session: DbSession, response: Response) -> ReportReceipt:
    """File a report; the answer holds its tracking code and, once only, its secret."""
    response.headers["Cache-Control"] = NO_STORE
    return submit_report(session, data, channel="api")


def token_source(principal: Principal) -> str:
    """The source of a bulk sender's reports: its API token (a web session may not send)."""
    if principal.via != "token" or principal.token_id is None:
        raise NotPermitted("Bulk submission takes an API token, not a web session.")
    return f"token:{principal.token_id}"


@router.post(
    "/bulk",
    dependencies=[limited("reports")],  # per token: only tokens may send
    responses={
        **error_responses(401, 403, 429),
        413: {**ERROR, "description": f"The body is larger than {API_BODY_BYTES:,} bytes."},
        422: {**ERROR, "description": "Not an object with 1 to 1,000 `reports`."},
    },
)
async def create_reports_in_bulk(
    submission: BulkSubmission, principal: Sender, session: DbSession, request: Request
) -> BulkReceipt:
    """File up to 1,000 reports for a platform, each with the sender's `external_id`.

    Each row is answered on its own, in order: `created` with its tracking code,
    `already_stored` (this token sent that `external_id` before) with the stored report's code,
    or `rejected` with its field errors. A bad row does not fail the others, and sending the
    same batch again adds nothing. An API token is required: the reports' source is the token.
    """
    source = token_source(principal)
    language = request_language(request)
    return await run_in_threadpool(submit_bulk, session, submission.reports, source, language)
