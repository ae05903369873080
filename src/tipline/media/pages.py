"""The hash banks' admin pages (staff): every bank with its counts and a form to create one;
one bank with who may match against it, its latest hashes, and forms to add hashes (lines of an
HMA signal file), remove them by id, and grant an organisation or partner agency."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any

from babel.numbers import format_decimal
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from tipline.access import Principal, Staff
from tipline.dependencies import DbSession
from tipline.errors import InvalidInput, TiplineError
from tipline.html.protection import VerifiedForm
from tipline.html.rendering import render_workspace, translator
from tipline.media import service, transfer
from tipline.media.core import BANK_KINDS
from tipline.sharing.tlp import TLPS

pages = APIRouter(include_in_schema=False)
BANKS = "/admin/banks"
BankId = Annotated[int, Path(ge=1, le=2**62)]
Count = Annotated[int | None, Query(ge=0, le=10**9)]
SHOWN_HASHES = 50
MAX_TYPED = 2_000_000  # characters of hashes pasted in the form (~25,000 lines)
FORM_ERRORS = {
    ("invalid_input", "bank"): "media.error.bank",
    ("invalid_input", "tlp"): "media.error.tlp",
    ("conflict", "name"): "media.error.name_taken",
    ("not_found", "organisation"): "media.error.organisation",
    ("not_found", "partner"): "media.error.partner",
    ("invalid_input", "grant"): "media.error.grant",
    ("invalid_input", "ids"): "media.error.ids",
}
NOTHING_DONE: dict[str, int | None] = dict.fromkeys(
    ("added", "skipped", "refused", "removed", "granted")
)
BLANK = {"name": "", "kind": "other", "owner": "", "provenance": "", "tlp": "amber",
         "retention_days": "", "owner_organisation": ""}  # fmt: skip


def _numbers(request: Request) -> Callable[[int], str]:
    """Counts as the reader writes them: 12.345 in Vietnamese, 12,345 in English."""
    language = translator(request).language
    return lambda n: format_decimal(n, locale=language)


def _text(form: FormData, name: str, limit: int = 200) -> str:
    value = form.get(name)
    return value[:limit].strip() if isinstance(value, str) else ""


def _error_text(request: Request, exc: TiplineError) -> str:
    key = FORM_ERRORS.get((exc.code, exc.field or ""))
    if key is None:
        raise exc
    return translator(request)(key)


def _banks_page(
    request: Request, session: Session, principal: Principal, typed: dict[str, str],
    error: str | None = None, status: int = 200,
) -> HTMLResponse:  # fmt: skip
    values = {"banks": service.list_banks(session, principal), "form": typed,
              "form_error": error, "kinds": BANK_KINDS, "tlps": TLPS,
              "number": _numbers(request)}  # fmt: skip
    return render_workspace(request, "media/banks.html", "banks", values, principal, status)


@pages.get(BANKS, response_class=HTMLResponse)
def banks_page(request: Request, principal: Staff, session: DbSession) -> HTMLResponse:
    return _banks_page(request, session, principal, BLANK)


@pages.post(BANKS, response_class=HTMLResponse)
def create_bank_page(
    request: Request, principal: Staff, session: DbSession, form: VerifiedForm
) -> Response:
    typed = {name: _text(form, name, 2000 if name == "provenance" else 200) for name in BLANK}
    days = typed["retention_days"]
    try:
        if days and not days.isdigit():
            raise InvalidInput("retention is a number of days", field="bank")
        bank = service.create_bank(
            session, principal, typed["name"], typed["kind"], typed["owner"],
            typed["provenance"], typed["tlp"], int(days) if days else None,
            typed["owner_organisation"] or None,
        )  # fmt: skip
    except TiplineError as exc:
        error = _error_text(request, exc)
        session.rollback()
        return _banks_page(request, session, principal, typed, error, 422)
    return RedirectResponse(f"{BANKS}/{bank.id}", status_code=303)


@pages.get(BANKS + "/{bank_id}", response_class=HTMLResponse)
def bank_page(
    request: Request, bank_id: BankId, principal: Staff, session: DbSession,
    added: Count = None, skipped: Count = None, refused: Count = None, removed: Count = None,
    granted: Count = None,
) -> HTMLResponse:  # fmt: skip
    done = {
        "added": added,
        "skipped": skipped,
        "refused": refused,
        "removed": removed,
        "granted": granted,
    }  # fmt: skip (the keys of NOTHING_DONE)
    return _bank_page(request, session, principal, bank_id, done)


def _bank_page(
    request: Request, session: Session, principal: Principal, bank_id: int,
    done: dict[str, int | None], error: str | None = None, status: int = 200,
) -> HTMLResponse:  # fmt: skip
    view = service.view_bank(session, principal, bank_id)
    values: dict[str, Any] = {
        "view": view, "bank": view.summary.bank, "done": done, "form_error": error,
        "hashes": service.bank_hashes(session, principal, bank_id, 0, SHOWN_HASHES),
        "shown": SHOWN_HASHES, "number": _numbers(request),
    }  # fmt: skip
    return render_workspace(request, "media/bank.html", "banks", values, principal, status)


@pages.post(BANKS + "/{bank_id}/hashes")
async def add_hashes_page(
    bank_id: BankId, principal: Staff, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    """Hashes pasted as lines of an HMA signal file (`pdq <64 hex>`, `md5 <32 hex>`…)."""
    lines = _text(form, "hashes", MAX_TYPED).splitlines()
    source = _text(form, "source") or principal.actor
    done = await run_in_threadpool(
        transfer.import_hashes, session, principal, bank_id, "hma", lines, source
    )
    query = f"added={done.added}&skipped={done.skipped}&refused={done.refused}"
    return RedirectResponse(f"{BANKS}/{bank_id}?{query}", status_code=303)


@pages.post(BANKS + "/{bank_id}/remove", response_class=HTMLResponse)
async def remove_hashes_page(
    request: Request, bank_id: BankId, principal: Staff, session: DbSession, form: VerifiedForm
) -> Response:
    """Hashes removed by their ids (commas or spaces between)."""
    words = [w for w in re.split(r"[\s,;]+", _text(form, "ids", 100_000)) if w]
    if not words or not all(w.isdigit() and len(w) < 19 for w in words):
        error = _error_text(request, InvalidInput("hash ids are numbers", field="ids"))
        return _bank_page(request, session, principal, bank_id, NOTHING_DONE, error, 422)
    count = await run_in_threadpool(
        service.remove_hashes, session, principal, bank_id, [int(w) for w in words]
    )
    return RedirectResponse(f"{BANKS}/{bank_id}?removed={count}", status_code=303)


@pages.post(BANKS + "/{bank_id}/grants", response_class=HTMLResponse)
def grant_page(
    request: Request, bank_id: BankId, principal: Staff, session: DbSession, form: VerifiedForm
) -> Response:
    """Let an organisation (or a partner agency), by its name, match against the bank."""
    organisation, partner = _text(form, "organisation"), _text(form, "partner")
    try:
        service.grant(session, principal, bank_id, organisation or None, partner or None)
    except TiplineError as exc:
        error = _error_text(request, exc)
        session.rollback()
        return _bank_page(request, session, principal, bank_id, NOTHING_DONE, error, 422)
    return RedirectResponse(f"{BANKS}/{bank_id}?granted=1", status_code=303)
