"""Two deliverers on one PostgreSQL database (two servers running `tipline serve`) never send the
same webhook twice: each claims rows the other skips (FOR UPDATE SKIP LOCKED)."""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from tests.orgrequests.webhook_receiver import receiving

from tipline.db import make_engine, make_session_factory
from tipline.orgrequests import webhook_repository
from tipline.orgrequests.delivery import Round, deliver_due, enqueue, webhook_client
from tipline.orgrequests.webhook_service import set_webhook
from tipline.partners import service as partners
from tipline.sealing import derived_key
from tipline.server.migrate import upgrade
from tipline.settings import Settings

POSTGRES_URL = os.environ.get("TIPLINE_TEST_DATABASE_URL")
pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="several deliverers need PostgreSQL")
AT = datetime(2026, 12, 7, 8, tzinfo=UTC)
SECRET = "whsec_0123456789abcdef"
KEY = derived_key("test key")
ROWS = 40


@pytest.fixture
def factory() -> Iterator[sessionmaker[Session]]:
    """A migrated database of its own whose commits are real (no test transaction around)."""
    url = make_url(POSTGRES_URL or "")
    name = f"{url.database}_webhooks_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(url.set(database=name).render_as_string(hide_password=False))
    try:
        upgrade(engine)
        yield make_session_factory(engine)
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def queue(factory: sessionmaker[Session], url: str) -> list[int]:
    with factory() as session:
        organisation = partners.add_organisation(session, "cli:t", "Vietcombank", "bank")
        set_webhook(session, "cli:t", organisation.name, url, SECRET, KEY)
        ids = [
            enqueue(session, organisation, "request.sent", {"n": n}, now=AT) for n in range(ROWS)
        ]
        session.commit()
        return [d.id for d in ids if d is not None]


def test_two_open_claims_take_disjoint_rows(factory: sessionmaker[Session]) -> None:
    ids = queue(factory, "https://bank.example/hooks")
    with factory() as first, factory() as second:
        mine = webhook_repository.claim_due(first, AT, 25)  # its row locks held: not committed
        theirs = webhook_repository.claim_due(second, AT, 25)
        first.commit()
        second.commit()
    assert (len(mine), len(theirs)) == (25, ROWS - 25)
    assert sorted(c.id for c in mine + theirs) == ids
    with factory() as third:
        assert webhook_repository.claim_due(third, AT, 25) == []  # both claims hold: not due


def test_two_deliverers_at_once_send_every_row_once(factory: sessionmaker[Session]) -> None:
    with receiving(SECRET, int(AT.timestamp())) as receiver:
        ids = queue(factory, receiver.url)
        start = threading.Barrier(2)
        rounds: list[Round] = []

        def deliverer() -> None:
            with webhook_client(Settings(webhook_timeout_seconds=30)) as client:
                start.wait()
                rounds.append(deliver_due(factory, AT, client, KEY, limit=3))

        threads = [threading.Thread(target=deliverer) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    sent = Counter(int(r.delivery) for r in receiver.received)
    assert sorted(sent) == ids
    assert set(sent.values()) == {1}
    assert sum(r.delivered for r in rounds) == ROWS
    assert all(r.valid for r in receiver.received)
