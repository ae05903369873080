"""CSV injection, in every CSV export the app has: the exports are found by walking the app's
routes (a `.csv` path, a `text/csv` answer, a `format` that offers `csv`) and the source (a
module that writes `text/csv` or a csv writer), so a new one fails here until it is classed.

- Spreadsheet exports (the dashboard's and the trends' figures) go through one helper,
  `tipline.spreadsheets`: no cell of any figure starts with `=`, `+`, `-`, `@`, a tab or a CR,
  whatever the reports held.
- Machine feeds (the indicator feed's CSV) keep such a value as it is (`+84912345678` is a
  phone number), and docs/feeds.md tells their readers so.
"""

from __future__ import annotations

import csv
import io
import re
import typing
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.conftest import REPO, ClientAs
from tests.feeds.conftest import FeedWorld, feed_world  # noqa: F401 (the fixture)
from tests.feeds.test_routes import token_of
from tests.public_pages import _routes

from tipline.app import create_app
from tipline.dashboard.core import FIGURE_NAMES as DASHBOARD_FIGURES
from tipline.dashboard.core import vietnam_day
from tipline.db_types import utc_now
from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.reports.models import Report
from tipline.settings import Settings
from tipline.spreadsheets import FORMULA_STARTS, spreadsheet_cell, spreadsheet_csv
from tipline.trends.core import FIGURE_NAMES as TREND_FIGURES

# One value for each start a spreadsheet reads as a formula, as a report's text may hold them.
HOSTILE = (
    '=HYPERLINK("http://x.example","y")', "+84912345678", "-2+3", "@SUM(A1)", "\t=1",
    "\r=1",
)  # fmt: skip


@dataclass(frozen=True)
class Export:
    """A CSV export: for a spreadsheet (every cell neutralised) or a machine feed (as is)."""

    spreadsheet: bool
    figures: tuple[str, ...] = ()  # what fills `{figure}` in its path
    params: dict[str, str] = field(default_factory=dict)


def _exports(week: str) -> dict[str, Export]:
    return {
        "/dashboard/{figure}.csv": Export(True, DASHBOARD_FIGURES, {"days": "7"}),
        "/trends/{figure}.csv": Export(True, TREND_FIGURES, {"week": week}),
        "/api/v1/feeds/indicators": Export(False, (), {"format": "csv"}),
    }


# The modules that write CSV or answer text/csv, and why each is here.
CSV_MODULES = {
    "spreadsheets.py": "the one writer of spreadsheet CSV",
    "dashboard/routes.py": "answers the dashboard's figures (spreadsheets.spreadsheet_csv)",
    "trends/routes.py": "answers the trends' figures (spreadsheets.spreadsheet_csv)",
    "feeds/formats.py": "the indicator feed's CSV, a machine feed (docs/feeds.md)",
    "feeds/routes.py": "the indicator feed's route (its documented media types)",
    "evidence/core.py": "accepts text/csv uploads as text: no export",
}
WRITES_CSV = re.compile(r"text/csv|csv\.(writer|DictWriter)\(")


def _offers_csv(route: APIRoute) -> bool:
    if route.path.endswith(".csv") or "text/csv" in repr(route.responses):
        return True
    for parameter in route.dependant.query_params:
        if "csv" in typing.get_args(parameter.field_info.annotation):
            return True
    return False


def csv_routes(app: FastAPI) -> set[str]:
    """The app's routes that answer CSV."""
    return {path for path, route in _routes(app.routes) if "GET" in (route.methods or ())
            and _offers_csv(route)}  # fmt: skip


def test_every_csv_export_is_classed(settings: Settings) -> None:
    found = csv_routes(create_app(settings=settings))
    assert found == set(_exports("")), "class each CSV export: spreadsheet or machine feed"
    source = REPO / "src" / "tipline"
    writers = {
        path.relative_to(source).as_posix()
        for path in source.rglob("*.py")
        if WRITES_CSV.search(path.read_text("utf-8"))
    }
    assert writers == set(CSV_MODULES)


@pytest.mark.parametrize("value", [*HOSTILE, "=", "-", "'=1"])
def test_a_formula_start_gets_a_quote(value: str) -> None:
    assert spreadsheet_cell(value) == ("'" + value if value.startswith(FORMULA_STARTS) else value)


def test_the_file_has_a_bom_crlf_and_no_formula_anywhere() -> None:
    text = spreadsheet_csv(["=header", "count"], [(value, -1) for value in HOSTILE])
    assert text.startswith("\ufeff'=header,count\r\n")
    cells = [cell for row in csv.reader(io.StringIO(text[1:], newline="")) for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert {f"'{value}" for value in HOSTILE} <= set(cells)
    assert "'-1" in cells  # a negative number too: the spreadsheet shows it as text


def _seed_hostile_reports(session: Session) -> str:
    """Reports of yesterday whose category, province and indicator hold each hostile value (the
    category column takes any text: the export must hold whatever it gets); the Monday of
    their week in Vietnam."""
    at = utc_now() - timedelta(days=1)
    for number, value in enumerate(HOSTILE):
        report = Report(
            code=f"TL-CSV-{number:04d}", channel="web", narrative="Tôi bị lừa", language="vi",
            category=value[:40], urgency="normal", triage_reasons=[], listed_values=[],
            anonymous=False, status="new", created_at=at, updated_at=at, province=value,
        )  # fmt: skip
        session.add(report)
        hostile = IndicatorRecord(kind="url", value=value, allowlisted=False,
                                  first_seen=at, last_seen=at, report_count=1)  # fmt: skip
        session.add(hostile)
        session.flush()
        session.add(ReportIndicator(report_id=report.id, indicator_id=hostile.id))
    session.commit()
    day = vietnam_day(at)
    return (day - timedelta(days=day.weekday())).isoformat()


def _cells(answer_text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(answer_text, newline="")) for cell in row]


def test_no_spreadsheet_export_holds_a_formula(client_as: ClientAs, db_session: Session) -> None:
    week = _seed_hostile_reports(db_session)
    analyst = client_as("analyst")
    seen: set[str] = set()
    for path, export in _exports(week).items():
        if not export.spreadsheet:
            continue
        for figure in export.figures:
            answer = analyst.get(path.format(figure=figure), params=export.params)
            assert answer.status_code == 200, (path, figure, answer.text[:300])
            assert answer.headers["content-type"] == "text/csv; charset=utf-8"
            assert answer.headers["content-disposition"].startswith("attachment;")
            cells = _cells(answer.content.decode("utf-8-sig"))
            formulas = [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
            assert formulas == [], (path, figure)
            seen.update(cells)
    # Every hostile value reached an export, neutralised (so the test can fail).
    assert {f"'{value}" for value in HOSTILE} <= seen


def test_the_machine_feed_keeps_a_phone_number_as_data(
    settings: Settings,
    client: TestClient,
    db_session: Session,
    feed_world: FeedWorld,  # noqa: F811
) -> None:
    token = token_of(db_session, "bankx", "platform", organisation="Bank X")
    export = _exports("")["/api/v1/feeds/indicators"]
    answer = client.get(
        "/api/v1/feeds/indicators",
        params=export.params | {"kind": "phone"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert rows[0]["value"] == "+84912345678"
    documented = (REPO / "docs" / "feeds.md").read_text("utf-8")
    assert "not escaped for spreadsheets" in documented
