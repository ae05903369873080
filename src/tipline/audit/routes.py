"""The audit log's API, for admins: its entries (filtered, keyset pages) and its verification."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from tipline.access import Admin
from tipline.audit import service
from tipline.audit.core import EntryFilter, page_filter
from tipline.audit.schemas import AuditPageRead, ChainStatusRead
from tipline.dependencies import DbSession
from tipline.errors import error_responses
from tipline.html.rendering import render_workspace
from tipline.messages import EraAwareDatetime

router = APIRouter(prefix="/audit", tags=["audit"], responses=error_responses(401, 403, 422))
pages = APIRouter(include_in_schema=False)
PAGE_ENTRIES = 50

Text = Annotated[str | None, Query(min_length=1, max_length=200)]


@router.get("/entries", response_model=AuditPageRead)
def audit_entries(
    principal: Admin,
    session: DbSession,
    actor: Text = None,
    action: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    target_type: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    target_id: Text = None,
    since: EraAwareDatetime | None = None,
    until: EraAwareDatetime | None = None,
    cursor: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> AuditPageRead:
    """Entries newest first, by actor, action, object (type and id) and time [since, until)."""
    flt = EntryFilter(actor, action, target_type, target_id, since, until)
    return service.audit_page(session, flt, cursor, limit)


@router.get("/verification", response_model=ChainStatusRead)
def audit_verification(principal: Admin, session: DbSession) -> ChainStatusRead:
    """Walk the whole hash chain and say whether (and where) it was tampered with."""
    return service.chain_status(session)


@pages.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, principal: Admin, session: DbSession) -> HTMLResponse:
    """The log for admins: entries by actor, object and days, newest first (keyset pages), and
    the chain's state (verified against the last signed checkpoint) on the first page."""
    params = request.query_params
    flt, shown = page_filter(params)
    cursor = params.get("cursor") or None
    entries = service.audit_page(session, flt, cursor, PAGE_ENTRIES)
    overview = None if cursor else service.chain_overview(session, request.app.state.settings)
    older = [*shown.items(), ("cursor", entries.next_cursor)] if entries.next_cursor else None
    values = {
        "entries": entries.items, "filter": shown, "overview": overview,
        "older_href": "/audit?" + urlencode(older) if older else None,
        "newest_href": "/audit?" + urlencode(shown) if cursor else None,
    }  # fmt: skip
    return render_workspace(request, "audit/audit.html", "audit", values, principal)
