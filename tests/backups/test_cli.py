from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import POSTGRES_URL
from tests.instances import InstanceMaker
from typer.testing import CliRunner

from tipline.cli import app
from tipline.intake.service import submit_report
from tipline.reports.schemas import ReportCreate

runner = CliRunner()
# The commands are the same on both databases (tests/…/test_service.py runs on PostgreSQL too):
# once, on SQLite, is enough.
on_sqlite_only = pytest.mark.skipif(bool(POSTGRES_URL), reason="the SQLite run covers the CLI")


@on_sqlite_only
def test_backup_verify_and_restore_from_the_command_line(
    make_instance: InstanceMaker, tmp_path: Path
) -> None:
    source = make_instance("cli-source")
    with source.factory()() as session:
        submit_report(session, ReportCreate(narrative="Gọi từ số 0987 654 321 lừa đảo"), "api")
    backup = tmp_path / "cli.backup"
    made = runner.invoke(app, ["backup", str(backup)])
    assert made.exit_code == 0, made.output
    assert "backup written to" in made.output
    checked = runner.invoke(app, ["backup", "verify", str(backup)])
    assert checked.exit_code == 0, checked.output
    assert "backup intact" in checked.output
    again = runner.invoke(app, ["backup", str(backup)])
    assert again.exit_code == 2
    assert "never written over" in again.output

    make_instance("cli-target", empty=True)
    restored = runner.invoke(app, ["restore", str(backup)])
    assert restored.exit_code == 0, restored.output
    assert "the backup holds no keys" in restored.output
    refused = runner.invoke(app, ["restore", str(backup)])
    assert refused.exit_code == 2
    assert "empty" in refused.output


def test_keygen_makes_a_private_key_file_once(tmp_path: Path) -> None:
    key = tmp_path / "backup.key"
    assert runner.invoke(app, ["backup", "keygen", str(key)]).exit_code == 0
    assert len(bytes.fromhex(key.read_text())) == 32
    assert key.stat().st_mode & 0o777 == 0o600
    assert runner.invoke(app, ["backup", "keygen", str(key)]).exit_code == 2
