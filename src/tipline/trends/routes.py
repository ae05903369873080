"""The weekly trends page and each of its figures as CSV (staff only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from tipline.access import Staff
from tipline.dependencies import DbSession
from tipline.errors import InvalidInput
from tipline.html.rendering import render_workspace
from tipline.trends import service
from tipline.trends.core import FIGURE_NAMES, RULE, trend_table

pages = APIRouter(include_in_schema=False)

Week = Annotated[str | None, Query(max_length=10)]


def _figures_json(view: service.WeeklyTrends) -> dict[str, Any]:
    """What the charts draw: per figure, [key, count, bound, rising] rows."""
    return {
        name: [[t.key, t.count, t.bound, t.rising] for t in trends]
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
        "names": FIGURE_NAMES,
        "tables": {name: trend_table(view.figures[name]) for name in FIGURE_NAMES},
        "figures_json": _figures_json(view),
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
