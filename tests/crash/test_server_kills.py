"""`tipline serve` killed with SIGKILL at random moments under load, then started again.

Clients file reports through the API and the page (with a file), upload evidence, write notes
(audited), send bulk batches and check values, all at once. At a random moment (seeded) the
server's process group gets SIGKILL; while it is down the database and the evidence folder are
read: every acknowledged report, file, note and bulk row is there, nothing is half-written, the
audit chain and every stored file verify. Then it starts again on the same folder, and again.
At the end every bulk batch ever sent (acknowledged or cut off) is sent again: each row is
stored once. `TIPLINE_CRASH_KILLS` and `TIPLINE_CRASH_SEED` run more kills or other moments.
"""

from __future__ import annotations

import os
import random
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.conftest import POSTGRES_URL, _worker_database
from tests.crash import invariants
from tests.crash.clients import Acknowledged, Client, Numbers, load_until
from tests.crash.server import Tipline, prepare

from tipline.db import make_engine
from tipline.evidence.service import sweep_orphans, verify_store
from tipline.evidence.store import EvidenceStore
from tipline.reports.models import Report

KILLS = int(os.environ.get("TIPLINE_CRASH_KILLS", "2"))
SEED = int(os.environ.get("TIPLINE_CRASH_SEED", "1812"))
CLIENTS = 4


@pytest.fixture
def database_for_server(tmp_path: Path) -> Iterator[str]:
    """The server's own database: SQLite in its folder, or a new PostgreSQL database."""
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'data' / 'tipline.db'}"
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    yield from _worker_database(POSTGRES_URL, f"crash_{worker}")


def load_then_kill(server: Tipline, token: str, numbers: Numbers, ack: Acknowledged,
                   rng: random.Random) -> None:  # fmt: skip
    """Clients at work until SIGKILL at a random moment, then until they have all stopped."""
    stop = threading.Event()

    def client_of(http: httpx.Client, client_rng: random.Random) -> Client:
        return Client(http, token, numbers, ack, client_rng)

    threads = load_until(server.url, client_of, rng.randrange(10**6), CLIENTS, stop)
    stop.wait(rng.uniform(0.3, 1.5))
    server.kill()
    stop.set()
    for thread in threads:
        thread.join()


def problems_while_down(database_url: str, data_dir: Path, ack: Acknowledged) -> list[str]:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            return invariants.everything(session, data_dir, ack)
    finally:
        engine.dispose()


def test_a_server_killed_under_load_keeps_every_acknowledged_write_whole(
    tmp_path: Path, database_for_server: str
) -> None:
    data_dir = tmp_path / "data"
    token = prepare(data_dir, database_for_server)
    server = Tipline(data_dir, database_for_server)
    numbers, ack, rng = Numbers(SEED), Acknowledged(), random.Random(SEED)
    try:
        for kill in range(KILLS):
            server.start()
            load_then_kill(server, token, numbers, ack, rng)
            problems = problems_while_down(database_for_server, data_dir, ack)
            assert problems == [], f"after kill {kill + 1} (seed {SEED})"
        server.start()
        resend_every_batch(server, token, numbers, ack)
    finally:
        server.stop()
    assert ack.count() > 0  # the clients did get answers before the kills
    assert problems_while_down(database_for_server, data_dir, ack) == []
    engine = make_engine(database_for_server)
    with Session(engine) as session:
        rows = session.scalar(select(func.count()).where(Report.external_id.is_not(None)))
        # Files a kill left without their row (stored first, the row not yet committed).
        orphans = invariants.orphan_files(session, store := EvidenceStore(data_dir))
        swept = sweep_orphans(session, store, "test", older_than=0)
        assert invariants.orphan_files(session, store) == []
        assert verify_store(session, store, "test").intact
    engine.dispose()
    assert rows == sum(len(batch) for batch in ack.bulk_sent)
    assert sorted(swept) == sorted(path.name for path in orphans)


def resend_every_batch(server: Tipline, token: str, numbers: Numbers, ack: Acknowledged) -> None:
    """Every batch sent, again: each row stored once, the acknowledged ones as they were."""
    with httpx.Client(base_url=server.url, timeout=30) as http:
        client = Client(http, token, numbers, ack, random.Random(SEED))
        for batch in ack.bulk_sent:
            acknowledged = {row["external_id"]: ack.bulk.get(row["external_id"]) for row in batch}
            outcomes = client.send_bulk(batch)
            assert set(outcomes) == set(acknowledged)
            for external_id, code in acknowledged.items():
                if code is not None:
                    assert outcomes[external_id] == "already_stored"
                    assert ack.bulk[external_id] == code
