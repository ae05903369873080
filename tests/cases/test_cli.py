from __future__ import annotations

from datetime import date

from tests.principals import staff
from typer.testing import CliRunner

from tipline.cases.service import create_case
from tipline.cli import app
from tipline.server.console import open_database
from tipline.settings import Settings

runner = CliRunner()


def test_list_prints_cases_overdue_first(settings: Settings) -> None:
    with open_database(settings)() as session:
        create_case(session, staff("analyst:lan"), "Later", deadline=date(2999, 1, 1))
        create_case(session, staff("analyst:lan"), "Late", assignee="an", deadline=date(2000, 1, 1))
    result = runner.invoke(app, ["cases", "list"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].endswith("2000-01-01 OVERDUE\tLate")
    assert "\tan\t" in lines[0]
    assert lines[1].endswith("2999-01-01\tLater")
    assert lines[-1] == "2 cases"
