"""The weekly trends page and each of its figures as CSV (staff only)."""

from __future__ import annotations

from typing import Annotated, Any

from babel.numbers import format_decimal
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from tipline.access import Staff
from tipline.dependencies import DbSession
from tipline.errors import InvalidInput
from tipline.html.i18n import Translator
from tipline.html.language import request_language
from tipline.html.rendering import render_workspace, translator
from tipline.trends import service
from tipline.trends.core import FIGURE_NAMES, RULE, Trend
from tipline.trends.scripts import SCRIPT_RULE

pages = APIRouter(include_in_schema=False)

Week = Annotated[str | None, Query(max_length=10)]


def _series_label(t: Translator, name: str, key: str) -> str:
    """A series as the page names it: a category or kind in the reader's language, a script by
    its number (the table beside it gives its words)."""
    prefix = {"categories": "category", "kinds": "kind"}.get(name)
    if prefix and t.has(f"{prefix}.{key}"):
        return t(f"{prefix}.{key}")
    return t("trends.script", id=key) if name == "scripts" else key


def _figures_json(view: service.WeeklyTrends, t: Translator) -> dict[str, Any]:
    """What the charts draw: per figure, [key, count, bound, rising, label] rows."""
    return {
        name: [[x.key, x.count, x.bound, x.rising, _series_label(t, name, x.key)] for x in trends]
        for name, trends in view.figures.items()
    }


def _shown_rows(
    view: service.WeeklyTrends, t: Translator, name: str, language: str
) -> list[tuple[object, ...]]:
    """The table of a figure as a person reads it: each series by its label, the mean and the
    probability as decimals of her language (`2,75`, `< 0,001`), not `2.75` or `1.2e-05`."""

    def decimal(value: float) -> str:
        return format_decimal(value, format="#,##0.###", locale=language)

    def row(x: Trend) -> tuple[object, ...]:
        tail = decimal(x.tail) if x.tail >= 0.001 else f"< {decimal(0.001)}"
        label = _series_label(t, name, x.key)
        return (x.key, x.count, decimal(round(x.mean, 2)), x.bound, tail, x.rising, label)

    return [row(x) for x in view.figures[name]]


TABLE_HEADER = ["key", "count", "mean", "bound", "tail", "rising"]


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
    t, language = translator(request), request_language(request)
    values: dict[str, Any] = {
        "filter_error": problem,
        "view": view,
        "rule": RULE,
        "script_rule": SCRIPT_RULE,
        "alpha": format_decimal(RULE.alpha, format="0.####", locale=language),
        "names": FIGURE_NAMES,
        "header": TABLE_HEADER,
        "tables": {name: _shown_rows(view, t, name, language) for name in FIGURE_NAMES},
        "figures_json": _figures_json(view, t),
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
