"""`tipline campaigns rebuild` on a fresh SQLite database."""

from __future__ import annotations

from datetime import UTC, datetime

from typer.testing import CliRunner

from tipline.cli import app
from tipline.db import transaction
from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.reports.models import Report
from tipline.server.console import open_database
from tipline.settings import Settings

runner = CliRunner()
T0 = datetime(2024, 3, 1, tzinfo=UTC)


def _store_two_linked_reports(settings: Settings) -> None:
    factory = open_database(settings)
    with transaction(factory) as session:
        phone = IndicatorRecord(kind="phone", value="+84987654321", first_seen=T0, last_seen=T0)
        session.add(phone)
        for k in range(2):
            report = Report(code=f"CLI{k}", channel="api", narrative="…", language="vi",
                            category="fraud.impersonation", urgency="normal")  # fmt: skip
            session.add(report)
            session.flush()
            session.add(ReportIndicator(report_id=report.id, indicator_id=phone.id))


def test_rebuild_prints_what_it_found(settings: Settings) -> None:
    _store_two_linked_reports(settings)
    result = runner.invoke(app, ["campaigns", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "2 reports, 2 links: 1 campaigns (1 of more than one report), 0 hub" in result.output
    result = runner.invoke(app, ["campaigns", "rebuild", "--hub-threshold", "1"])
    assert "2 campaigns (0 of more than one report), 1 hub indicators" in result.output


def test_threshold_below_one_is_a_usage_error(settings: Settings) -> None:
    result = runner.invoke(app, ["campaigns", "rebuild", "--hub-threshold", "0"])
    assert result.exit_code == 2
    assert "Invalid value for '--hub-threshold'" in result.output
    assert "greater than or equal" in result.output
