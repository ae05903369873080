from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update
from tests.conftest import POSTGRES_URL
from tests.instances import InstanceMaker
from typer.testing import CliRunner

from tipline.cli import app
from tipline.db_types import utc_now
from tipline.intake.service import submit_report
from tipline.reports.models import Report
from tipline.reports.schemas import ReportCreate
from tipline.retention.core import DataClass
from tipline.retention.service import policy_of
from tipline.settings import Settings, get_settings

runner = CliRunner()
# The commands are the same on both databases (tests/…/test_service.py runs on PostgreSQL too):
# once, on SQLite, is enough.
on_sqlite_only = pytest.mark.skipif(bool(POSTGRES_URL), reason="the SQLite run covers the CLI")


def test_the_default_keeps_everything_but_contacts_for_a_year() -> None:
    days = policy_of(Settings(_env_file=None)).days  # type: ignore[call-arg]
    assert days[DataClass.CONTACTS] == 365
    assert [days[c] for c in DataClass if c != DataClass.CONTACTS] == [None] * 4


@on_sqlite_only
def test_purge_dry_run_then_purge_from_the_command_line(
    make_instance: InstanceMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance = make_instance("purge-cli")
    monkeypatch.setenv("TIPLINE_RETENTION_NARRATIVES_DAYS", "30")
    get_settings.cache_clear()
    with instance.factory()() as session:
        text = "Kẻ lừa gọi từ số 0987 654 321 bảo chuyển tiền vào STK 0123456789"
        submit_report(session, ReportCreate(narrative=text, contact="lan@example.org"), "api")
        session.execute(update(Report).values(created_at=utc_now() - timedelta(days=400)))
        session.commit()
    dry = runner.invoke(app, ["purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "narratives         1 would go (older than 30 days" in dry.output
    assert "contacts           1 would go (older than 365 days" in dry.output
    assert "evidence    kept (no retention set)" in dry.output
    assert "dry run: nothing was changed" in dry.output
    done = runner.invoke(app, ["purge"])
    assert done.exit_code == 0, done.output
    assert "narratives         1 removed" in done.output
    with instance.factory()() as session:
        assert session.scalars(select(Report.narrative)).one() == ""
