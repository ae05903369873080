"""The organisations tipline works with (banks, telecoms, platforms), for admins. (Partner
agencies abroad and their policies are administered with sharing: `tipline.sharing.routes`.)"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from tipline.access import Admin
from tipline.dependencies import DbSession
from tipline.html.rendering import render_workspace
from tipline.partners.service import feed_agreement, list_organisations

pages = APIRouter(include_in_schema=False)


@pages.get("/admin/organisations", response_class=HTMLResponse)
def organisations_page(request: Request, principal: Admin, session: DbSession) -> HTMLResponse:
    """Every organisation by name, with its kind and the day it was added (not its contacts)."""
    values = {"organisations": list_organisations(session), "agreement": feed_agreement}
    return render_workspace(request, "partners/organisations.html", "partners", values, principal)
