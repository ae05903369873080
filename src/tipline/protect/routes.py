"""The victim's page (`/protect-my-photo`), its withdrawal page, and the API her browser calls:
`POST /api/v1/media/victim-hashes` (two hashes in, a receipt out) and
`POST /api/v1/media/victim-hashes/withdraw` (a receipt in, how many hashes removed out).
Both are public and counted against the address's report limit."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from tipline.access import PUBLIC
from tipline.dependencies import DbSession
from tipline.errors import error_responses
from tipline.html.protection import CSRF
from tipline.html.rendering import render, render_form, translator
from tipline.protect.schemas import RECEIPT_MAX, VictimHashes, VictimReceipt, Withdrawal, Withdrawn
from tipline.protect.service import submit_hashes, withdraw_hashes
from tipline.ratelimits.dependencies import limited
from tipline.settings import Settings

router = APIRouter(prefix="/media/victim-hashes", tags=["media"])
pages = APIRouter(include_in_schema=False)

NO_STORE = "no-store"
WITHDRAW = "protect/withdraw.html"
# The page runs tipline's own modules (the hashing) and calls tipline's API; nothing else.
PROTECT_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}


def _bank_name(request: Request) -> str:
    settings: Settings = request.app.state.settings
    return settings.victim_bank


@router.post(
    "",
    status_code=201,
    dependencies=[Depends(PUBLIC), limited("reports")],
    responses=error_responses(404, 429),
)
def add_victim_hashes(
    hashes: VictimHashes, request: Request, session: DbSession, response: Response
) -> VictimReceipt:
    """Add one photo's hashes (PDQ with its quality, and MD5) to the victims' NCII bank, with
    her consent: the answer holds, once only, the receipt code that withdraws them."""
    response.headers["Cache-Control"] = NO_STORE
    return submit_hashes(session, _bank_name(request), hashes)


@router.post(
    "/withdraw", dependencies=[Depends(PUBLIC), limited("reports")], responses=error_responses(429)
)
def withdraw_victim_hashes(withdrawal: Withdrawal, session: DbSession) -> Withdrawn:
    """Withdraw consent: every hash of the receipt is removed from the bank at once."""
    return Withdrawn(removed=withdraw_hashes(session, withdrawal.receipt))


@pages.get("/protect-my-photo", response_class=HTMLResponse, dependencies=[Depends(PUBLIC)])
def protect_page(request: Request) -> HTMLResponse:
    response = render(request, "protect/protect.html", "protect", {})
    response.headers.update(PROTECT_HEADERS)
    return response


@pages.get(
    "/protect-my-photo/withdraw", response_class=HTMLResponse, dependencies=[Depends(PUBLIC)]
)
def withdraw_page(request: Request) -> HTMLResponse:
    return render_form(request, WITHDRAW, "protect", {"removed": None, "form_error": None})


@pages.post(
    "/protect-my-photo/withdraw",
    response_class=HTMLResponse,
    dependencies=[Depends(PUBLIC), limited("reports"), CSRF],
)
async def withdraw_submit(request: Request, session: DbSession) -> HTMLResponse:
    """Works without JavaScript: a plain form with her receipt code."""
    form = await request.form(max_files=0, max_fields=5)
    receipt = str(form.get("receipt", "")).strip()[:RECEIPT_MAX]
    if not receipt:
        empty = translator(request)("protect.withdraw.empty")
        values = {"removed": None, "form_error": empty}
        return render_form(request, WITHDRAW, "protect", values, 422)
    removed = await run_in_threadpool(withdraw_hashes, session, receipt)
    return render_form(request, WITHDRAW, "protect", {"removed": removed, "form_error": None})
