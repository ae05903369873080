"""`tipline keys rotate|list|retire` on an instance whose keys are in its data folder."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from tests.conftest import POSTGRES_URL
from typer.testing import CliRunner

from tipline.cli import app
from tipline.db_types import use_data_keys
from tipline.intake.service import submit_report
from tipline.keyring import KEY_FILE
from tipline.reports.models import Report
from tipline.reports.schemas import ReportCreate
from tipline.server.console import open_database
from tipline.settings import Settings, get_settings

runner = CliRunner()
# The commands run on their own SQLite instance, the same in both runs of the suite: once is
# enough (tests/keys/test_service.py rotates on PostgreSQL too).
on_sqlite_only = pytest.mark.skipif(bool(POSTGRES_URL), reason="the SQLite run covers the CLI")


@pytest.fixture
def file_keys(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    tests_keys = os.environ["TIPLINE_DATA_KEYS"]
    monkeypatch.delenv("TIPLINE_DATA_KEYS")
    get_settings.cache_clear()
    use_data_keys(None, settings.make_data_dir())
    yield get_settings()
    use_data_keys(tests_keys, settings.data_dir)
    get_settings.cache_clear()


@on_sqlite_only
def test_rotate_then_retire_the_old_key(file_keys: Settings) -> None:
    factory = open_database(file_keys)
    with factory() as session, session.begin():
        receipt = submit_report(
            session, ReportCreate(narrative="bị lừa qua Zalo", contact="Lan"), "api"
        )
    key_file = file_keys.data_dir / KEY_FILE
    (first,) = key_file.read_text().split()

    rotated = runner.invoke(app, ["keys", "rotate"])
    assert rotated.exit_code == 0, rotated.output
    assert "2 values and 0 files re-encrypted" in rotated.output  # her narrative and contact
    new, old = key_file.read_text().split()
    assert old == first
    listed = runner.invoke(app, ["keys", "list"]).output.splitlines()
    new_id, old_id = (line.split("\t")[0] for line in listed[:2])
    assert [line.split("\t")[1:] for line in listed] == [["current", "2"], ["old", "0"]]

    resumed = runner.invoke(app, ["keys", "rotate", "--resume"])
    assert "0 values and 0 files" in resumed.output
    assert runner.invoke(app, ["keys", "retire", new_id]).exit_code == 2
    retired = runner.invoke(app, ["keys", "retire", old_id])
    assert retired.exit_code == 0, retired.output
    assert key_file.read_text().split() == [new]
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    with factory() as session:
        report = session.scalars(select(Report).where(Report.code == receipt.code)).one()
        assert (report.narrative, report.reporter_contact) == ("bị lừa qua Zalo", "Lan")
