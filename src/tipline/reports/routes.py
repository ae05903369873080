"""`GET /api/v1/reports/{code}` (reports are filed through `tipline.intake.routes`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Response

from tipline.access import PUBLIC
from tipline.dependencies import DbSession
from tipline.errors import error_responses
from tipline.ratelimits.dependencies import limited
from tipline.reports.schemas import ReportStatus
from tipline.reports.service import follow_report

router = APIRouter(prefix="/reports", tags=["reports"])

NO_STORE = "no-store"


# Guarded by the report's secret: a wrong one answers 404, as an unknown code does.
@router.get(
    "/{code}",
    dependencies=[Depends(PUBLIC), limited("public")],
    responses=error_responses(404, 422, 429),
)
def read_report_status(
    code: str,
    session: DbSession,
    response: Response,
    x_report_secret: Annotated[str | None, Header(max_length=200)] = None,
) -> ReportStatus:
    """A report's status, for the holder of its secret (header `X-Report-Secret`; never in the
    URL, where it would land in logs and browser history)."""
    response.headers["Cache-Control"] = NO_STORE
    return follow_report(session, code[:40], x_report_secret or "")
