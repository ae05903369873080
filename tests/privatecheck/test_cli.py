"""`tipline private-check build|rotate|status` on the settings' database."""

from __future__ import annotations

from typer.testing import CliRunner

from tipline.cli import app
from tipline.intake.service import submit_report
from tipline.reports.schemas import ReportCreate
from tipline.server.console import open_database
from tipline.settings import Settings

runner = CliRunner()


def test_build_rotate_and_status(settings: Settings) -> None:
    with open_database(settings)() as session:
        submit_report(session, ReportCreate(narrative="Gọi từ số 0911 222 555 lừa tiền"), "api")
    built = runner.invoke(app, ["private-check", "build", "--processes", "1"])
    assert built.exit_code == 0, built.output
    assert built.output.splitlines()[-1].endswith(": 1 entries from 1 indicators")
    first = built.output.split()[1].rstrip(":")
    rotated = runner.invoke(app, ["private-check", "rotate", "--processes", "1"])
    assert rotated.exit_code == 0, rotated.output
    second = rotated.output.split()[1].rstrip(":")
    status = runner.invoke(app, ["private-check", "status"])
    lines = dict(line.split(": ", 1) for line in status.output.splitlines())
    assert second != first
    assert (lines["active_key"], lines["active_entries"], lines["prefix_bits"]) == (
        second,
        "1",
        "16",
    )
