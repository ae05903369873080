"""`tipline db upgrade`."""

from __future__ import annotations

from sqlalchemy import inspect
from typer.testing import CliRunner

from tipline.cli import app
from tipline.db import make_engine
from tipline.settings import Settings

runner = CliRunner()


def test_db_upgrade_creates_every_table(settings: Settings) -> None:
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "database at head (sqlite)" in result.output
    tables = set(inspect(make_engine(settings.sqlalchemy_url)).get_table_names())
    assert {
        "report",
        "indicator",
        "report_indicator",
        "indicator_source",
        "alembic_version",
    } <= tables
    again = runner.invoke(app, ["db", "upgrade"])
    assert again.exit_code == 0
