"""Recording audit entries in the database and verifying the stored chain."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from tipline.audit import repository
from tipline.audit.anchors import checkpoint_file
from tipline.audit.core import GENESIS_HASH, ChainPoint, Problem
from tipline.audit.models import AuditEntry
from tipline.audit.service import record, verify_log
from tipline.db import transaction
from tipline.jobs.tasks import job_named
from tipline.server.console import open_database
from tipline.settings import Settings

T0 = datetime(2024, 5, 1, 8, 30, 0, 123456, tzinfo=UTC)


@pytest.fixture
def audit_session(db_session: Session) -> Session:
    return db_session


def record_three(session: Session) -> None:
    record(session, "analyst:7", "report.status", "report", 41, {"from": "new", "to": "triaged"},
           now=T0)  # fmt: skip
    record(session, "analyst:7", "indicator.confirm", "indicator", "9", {"report": 41},
           now=T0 + timedelta(seconds=1))  # fmt: skip
    record(session, "supervisor:2", "case.open", "case", 3, None, now=T0 + timedelta(minutes=5))


def test_record_chains_entries_from_the_genesis(audit_session: Session) -> None:
    first = record(audit_session, "analyst:7", "report.view", "report", 41, now=T0)
    second = record(audit_session, "analyst:7", "report.view", "report", 42, now=T0)
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.entry_hash
    assert repository.chain_end(audit_session) == ChainPoint(2, second.entry_hash)


def test_stored_chain_reads_back_intact(audit_session: Session) -> None:
    record_three(audit_session)
    audit_session.expire_all()  # read timestamps and details back from the database
    result = verify_log(audit_session)
    assert result.intact
    assert result.checked == 3
    stored = audit_session.get(AuditEntry, 1)
    assert stored is not None
    assert stored.recorded_at == T0
    assert stored.details_json == '{"from":"new","to":"triaged"}'
    assert stored.target_id == "41"


def test_edited_row_is_found(audit_session: Session) -> None:
    record_three(audit_session)
    audit_session.execute(text("UPDATE audit_entry SET actor = 'someone-else' WHERE sequence = 2"))
    audit_session.expire_all()
    result = verify_log(audit_session)
    assert (result.intact, result.problem, result.sequence) == (False, Problem.HASH_MISMATCH, 2)


def test_deleted_row_is_found(audit_session: Session) -> None:
    record_three(audit_session)
    audit_session.execute(text("DELETE FROM audit_entry WHERE sequence = 2"))
    audit_session.expire_all()
    result = verify_log(audit_session)
    assert (result.problem, result.sequence) == (Problem.SEQUENCE_GAP, 3)


def test_deleted_last_row_is_found_against_the_head(audit_session: Session) -> None:
    record_three(audit_session)
    head = repository.chain_end(audit_session)
    audit_session.execute(text("DELETE FROM audit_entry WHERE sequence = 3"))
    audit_session.expire_all()
    assert verify_log(audit_session).intact
    result = verify_log(audit_session, head=head)
    assert (result.problem, result.sequence) == (Problem.TRUNCATED, 3)


def test_log_longer_than_a_page_is_walked_whole(
    audit_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(repository, "PAGE_SIZE", 4)
    for k in range(10):
        record(audit_session, "analyst:1", "report.view", "report", k, now=T0)
    result = verify_log(audit_session)
    assert (result.intact, result.checked, result.last.sequence) == (True, 10, 10)


def test_the_checkpoint_job_signs_when_the_log_grew(settings: Settings) -> None:
    factory = open_database(settings)
    with transaction(factory) as session:
        record_three(session)
    job = job_named("audit-checkpoint")  # tipline.jobs runs it once a period
    assert job.seconds(settings.model_copy(update={"audit_checkpoint_seconds": 7})) == 7
    first = job.run(factory, settings)
    assert job.run(factory, settings) == first  # the second round finds the end unmoved
    checkpoints = checkpoint_file(settings).read()
    assert [c.sequence for c in checkpoints] == [3]
    with factory() as session:
        assert checkpoints[0].entry_hash == repository.chain_end(session).entry_hash
