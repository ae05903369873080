"""The weekly trends page and each of its figures as CSV (staff only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from tipline.access import Staff
from tipline.dependencies import DbSession
from tipline.errors import InvalidInput
from tipline.html.i18n import Translator
from tipline.html.rendering import render_workspace, translator
from tipline.trends import service
from tipline.trends.core import FIGURE_NAMES, RULE, trend_table
from tipline.trends.scripts import SCRIPT_RULE

pages = APIRouter(include_in_schema=False)

Week = Annotated[str | None, Query(max_length=10)]


def _axis_label(t: Translator, name: str, key: str) -> str:
    """A series as the chart's axis names it: a category or kind in the reader's language, a
    script by its number (the table beside it gives its words)."""
    prefix = {"categories": "category", "kinds": "kind"}.get(name)
    if prefix and t.has(f"{prefix}.{key}"):
        return t(f"{prefix}.{key}")
    return t("trends.script", id=key) if name == "scripts" else key


def _figures_json(view: service.WeeklyTrends, t: Translator) -> dict[str, Any]:
    """What the charts draw: per figure, [key, count, bound, rising, label] rows."""
    return {
        name: [[x.key, x.count, x.bound, x.rising, _axis_label(t, name, x.key)] for x in trends]
        for name, trends in view.figures.items()
    }


@pages.get("/trends", response_class=HTMLResponse)
def trends_page(
    request: Request, principal: Staff, session: DbSession, week: Week = None
) -> HTMLResponse:
    problem, status = None, 200
    try:
        monday = service.read_week(week)
    except InvalidInput as error:  # the page still answers, with the last whole week
        problem, status, monday = error.message, 422, service.read_week(None)
    view = service.weekly_trends(session, principal, monday)
    values: dict[str, Any] = {
        "filter_error": problem,
        "view": view,
        "rule": RULE,
        "script_rule": SCRIPT_RULE,
        "names": FIGURE_NAMES,
        "tables": {name: trend_table(view.figures[name]) for name in FIGURE_NAMES},
        "figures_json": _figures_json(view, translator(request)),
    }
    return render_workspace(request, "trends/trends.html", "trends", values, principal, status)


@pages.get("/trends/{figure}.csv")
def trend_csv(figure: str, principal: Staff, session: DbSession, week: Week = None) -> Response:
    monday = service.read_week(week)
    text = service.trend_csv(session, principal, figure, monday)
    return Response(
        text.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="tipline-trends-{figure}-{monday}.csv"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
