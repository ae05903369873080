"""Two writers appending at once on PostgreSQL: the advisory lock keeps one unforked chain."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import delete
from sqlalchemy.engine import Engine

from tipline.audit.models import AuditEntry
from tipline.audit.service import record, verify_log
from tipline.db import make_session_factory, transaction

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("TIPLINE_TEST_DATABASE_URL"), reason="needs PostgreSQL (see conftest)"
    ),
]


@pytest.fixture
def committed_log(engine: Engine) -> Iterator[Engine]:
    """The audit table, committed (each writer needs its own transaction), emptied afterwards."""
    try:
        yield engine
    finally:
        with engine.begin() as connection:
            connection.execute(delete(AuditEntry))


def test_concurrent_writers_build_one_chain(committed_log: Engine) -> None:
    factory = make_session_factory(committed_log)
    failures: list[BaseException] = []

    def write(actor: str) -> None:
        try:
            for k in range(15):
                with transaction(factory) as session:
                    record(session, actor, "report.view", "report", k)
        except BaseException as exc:  # reported to the main thread
            failures.append(exc)

    writers = [threading.Thread(target=write, args=(f"analyst:{n}",)) for n in range(2)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert failures == []
    with factory() as session:
        result = verify_log(session)
    assert (result.intact, result.checked) == (True, 30)
