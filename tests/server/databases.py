"""What the tests of several servers on one PostgreSQL share: a migrated database of their own."""

from __future__ import annotations

import os
from collections.abc import Iterator

from tests.conftest import POSTGRES_URL, _worker_database

from tipline.db import make_engine
from tipline.server.migrate import upgrade


def migrated_database(suffix: str) -> Iterator[str]:
    """A database of its own on the test cluster, migrated, whose commits are real (no test
    transaction around); dropped at the end."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    for url in _worker_database(POSTGRES_URL or "", f"{worker}_{suffix}"):
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
