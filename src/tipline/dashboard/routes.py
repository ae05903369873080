"""The dashboard page, its figures as JSON, and each figure as CSV (staff only)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from tipline.access import Staff
from tipline.dashboard import service
from tipline.dashboard.core import (
    FIGURE_NAMES,
    PERIOD_DAYS,
    Figures,
    figure_table,
    figures_json,
)
from tipline.dashboard.schemas import FiguresRead
from tipline.dependencies import DbSession, ReadSession
from tipline.errors import InvalidInput, error_responses
from tipline.html.i18n import Translator
from tipline.html.rendering import render_workspace, translator
from tipline.indicators.accounts import shown_value
from tipline.indicators.types import Kind
from tipline.vocabulary import CATEGORIES

pages = APIRouter(include_in_schema=False)
router = APIRouter(prefix="/dashboard", tags=["dashboard"])

Days = Annotated[str | None, Query(max_length=4)]
Day = Annotated[str | None, Query(max_length=10)]
Category = Annotated[str | None, Query(max_length=40)]


def _query(days: str | None, first: str | None, last: str | None, category: str | None) -> str:
    items = [("days", days), ("from", first), ("to", last), ("category", category)]
    return urlencode([(k, v) for k, v in items if v])


def _chart_labels(t: Translator) -> dict[str, Any]:
    """What the charts call categories, urgencies and their series, in the page's language."""
    return {
        "category": {c: t(f"category.{c}") for c in CATEGORIES if t.has(f"category.{c}")},
        "urgency": {u: t(f"urgency.{u}") for u in ("critical", "high", "normal", "low")},
        "kind": {k.value: t(f"kind.{k.value}") for k in Kind if t.has(f"kind.{k.value}")},
        "reports": t("dashboard.column.reports"),
        "campaigns": t("dashboard.column.campaigns"),
    }


def _as_read(figures: Figures) -> Figures:
    """The figures as the page shows them: each indicator as a person reads it
    (`0451000123999 (Vietcombank)`, `TikTok: kiemtien.anh`), never the stored `VCB:…`."""
    shown = [replace(i, value=shown_value(i.kind, i.value)) for i in figures.indicators]
    return replace(figures, indicators=shown)


@pages.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(
    request: Request,
    principal: Staff,
    session: ReadSession,
    days: Days = None,
    first: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    last: Annotated[str | None, Query(alias="to", max_length=10)] = None,
    category: Category = None,
) -> HTMLResponse:
    problem, status = None, 200
    try:
        period, chosen = service.read_filter(days, first, last, category)
    except InvalidInput as error:  # the page still answers, with the default period
        problem, status = error.message, 422
        period, chosen = service.read_filter(None, None, None, None)
        days = first = last = None
    figures = _as_read(service.dashboard_figures(session, principal, period, chosen))
    values: dict[str, Any] = {
        "filter_error": problem,
        "figures": figures,
        "figures_json": figures_json(figures),
        "tables": {name: figure_table(figures, name) for name in FIGURE_NAMES},
        "query": _query(days, first, last, chosen),
        "days": "" if first or last else (days or "30"),  # dates win over days
        "period_days": PERIOD_DAYS,
        "categories": CATEGORIES,
        "labels": _chart_labels(translator(request)),
    }
    return render_workspace(
        request, "dashboard/dashboard.html", "dashboard", values, principal, status
    )


@pages.get("/dashboard/{figure}.csv")
def figure_csv(
    figure: str,
    principal: Staff,
    session: DbSession,
    days: Days = None,
    first: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    last: Annotated[str | None, Query(alias="to", max_length=10)] = None,
    category: Category = None,
) -> Response:
    period, chosen = service.read_filter(days, first, last, category)
    text = service.figure_csv(session, principal, figure, period, chosen)
    filename = f"tipline-{figure}-{period.first.isoformat()}-{period.last.isoformat()}.csv"
    return Response(
        text.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.get("/figures", responses=error_responses(401, 403, 422))
def figures_api(
    principal: Staff,
    session: ReadSession,
    days: Days = None,
    first: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    last: Annotated[str | None, Query(alias="to", max_length=10)] = None,
    category: Category = None,
) -> FiguresRead:
    """Every figure of the dashboard for a period: `days` (7, 30, 90, 365) or `from`–`to`."""
    period, chosen = service.read_filter(days, first, last, category)
    return FiguresRead.model_validate(
        figures_json(service.dashboard_figures(session, principal, period, chosen))
    )
