"""`tipline audit verify` on a fresh SQLite database: exit 0 intact, 1 (saying where) if not."""

from __future__ import annotations

import json
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
    head = runner.invoke(app, ["audit", "verify"]).output.split("head ")[1].split()[0]
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


def _rewrite_from(factory: sessionmaker[Session], sequence: int) -> None:
    """Edit entry `sequence` and recompute every later hash with tipline's own function."""
    from tipline.audit.core import AuditRecord, recomputed_hash
    from tipline.audit.repository import records_in_order

    with transaction(factory) as session:
        records = list(records_in_order(session))
        previous = records[sequence - 2].entry_hash if sequence > 1 else "0" * 64
        for old in records[sequence - 1 :]:
            actor = "forger" if old.sequence == sequence else old.actor
            fields = {**old.__dict__, "actor": actor, "previous_hash": previous}
            new_hash = recomputed_hash(AuditRecord(**fields))
            session.execute(
                text("UPDATE audit_entry SET actor = :a, previous_hash = :p, entry_hash = :h "
                     "WHERE sequence = :s"),
                {"a": actor, "p": previous, "h": new_hash, "s": old.sequence},
            )  # fmt: skip
            previous = new_hash


def test_checkpoint_is_signed_with_a_private_key_outside_the_database(
    factory: sessionmaker[Session], settings: Settings
) -> None:
    result = runner.invoke(app, ["audit", "checkpoint"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("checkpoint 1: entry 4:")
    key = settings.data_dir / "audit-key.pem"
    assert key.stat().st_mode & 0o777 == 0o600
    assert key.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    lines = (settings.data_dir / "audit-checkpoints.jsonl").read_text().splitlines()
    assert [json.loads(line)["sequence"] for line in lines] == [4]
    again = runner.invoke(app, ["audit", "checkpoint"])
    assert again.output.startswith("checkpoint 1: entry 4:")  # the end has not moved
    verified = runner.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "checkpoint 1 (entry 4) holds" in verified.output


def test_deleted_tail_is_caught_against_the_checkpoint(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        for k in range(60):
            record(session, "analyst:7", "report.view", "report", k, {"k": k}, now=T0)
    assert runner.invoke(app, ["audit", "checkpoint"]).exit_code == 0
    with transaction(factory) as session:
        session.execute(text("DELETE FROM audit_entry WHERE sequence > 14"))
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "NOT intact at entry 15 (truncated)" in result.output
    assert "missing entries after entry 14: 50 entries up to checkpoint 1 (entry 64)" in (
        result.output
    )
    with transaction(factory) as session:
        session.execute(text("DELETE FROM audit_entry"))
    emptied = runner.invoke(app, ["audit", "verify"])
    assert emptied.exit_code == 1
    assert "NOT intact at entry 1 (truncated)" in emptied.output


def test_consistent_rewrite_is_caught_against_the_checkpoint(
    factory: sessionmaker[Session],
) -> None:
    assert runner.invoke(app, ["audit", "checkpoint"]).exit_code == 0
    _rewrite_from(factory, 2)
    result = runner.invoke(app, ["audit", "verify", "--head", "1:" + "0" * 64])
    assert "(hash_mismatch)" in result.output  # the rewrite itself is a consistent chain...
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1  # ...that no longer passes through the signed entry
    assert "NOT intact at entry 4 (hash_mismatch)" in result.output
    assert "entry 4 does not match checkpoint 1's hash: the log was rewritten" in result.output


def test_edited_checkpoint_is_caught_by_its_signature(
    factory: sessionmaker[Session], settings: Settings
) -> None:
    assert runner.invoke(app, ["audit", "checkpoint"]).exit_code == 0
    _rewrite_from(factory, 2)
    path = settings.data_dir / "audit-checkpoints.jsonl"
    forged = json.loads(path.read_text())
    with factory() as session:
        forged["entry_hash"] = session.execute(
            text("SELECT entry_hash FROM audit_entry WHERE sequence = 4")
        ).scalar_one()
    path.write_text(json.dumps(forged) + "\n")
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "(bad_checkpoint): checkpoint 1 (entry 4) does not carry this key's signature" in (
        result.output
    )


def test_verify_without_the_key_is_a_user_error(
    factory: sessionmaker[Session], settings: Settings
) -> None:
    assert runner.invoke(app, ["audit", "checkpoint"]).exit_code == 0
    (settings.data_dir / "audit-key.pem").unlink()
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 2
    assert "audit-key.pem is missing" in result.output.replace("\n", "")
