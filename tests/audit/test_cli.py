"""`tipline audit verify` on a fresh SQLite database: exit 0 intact, 1 (saying where) if not."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from tipline.audit.service import record
from tipline.cli import app
from tipline.db import transaction
from tipline.server.console import open_database
from tipline.settings import Settings

runner = CliRunner()
T0 = datetime(2024, 5, 1, 8, 30, tzinfo=UTC)


@pytest.fixture
def factory(settings: Settings) -> sessionmaker[Session]:
    sessions = open_database(settings)
    with transaction(sessions) as session:
        for k in range(4):
            record(session, "analyst:7", "report.view", "report", 40 + k, {"k": k}, now=T0)
    return sessions


def test_intact_log_exits_0_and_prints_the_head(factory: sessionmaker[Session]) -> None:
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "audit log intact: 4 entries, head 4:" in result.output


def test_edited_entry_exits_1_and_says_where(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        session.execute(text("UPDATE audit_entry SET details_json = '{}' WHERE sequence = 3"))
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "NOT intact at entry 3 (hash_mismatch)" in result.output
    assert "2 entries before it are intact" in result.output


def test_cut_off_end_is_found_with_head(factory: sessionmaker[Session]) -> None:
    head = runner.invoke(app, ["audit", "verify"]).output.split("head ")[1].strip()
    with transaction(factory) as session:
        session.execute(text("DELETE FROM audit_entry WHERE sequence = 4"))
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0
    result = runner.invoke(app, ["audit", "verify", "--head", head])
    assert result.exit_code == 1
    assert "NOT intact at entry 4 (truncated)" in result.output


def test_malformed_head_is_a_usage_error(factory: sessionmaker[Session]) -> None:
    result = runner.invoke(app, ["audit", "verify", "--head", "4:xyz"])
    assert result.exit_code == 2
    assert "SEQUENCE:HASH" in result.output
