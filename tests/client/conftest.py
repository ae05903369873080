"""A real tipline server for the client's tests (uvicorn in a subprocess, on SQLite or on a
PostgreSQL database of its own when TIPLINE_TEST_DATABASE_URL is set), started once per test
process, with one report filed through its API: `LiveServer.url` and what the report names."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from tests.conftest import DEFAULT_NARRATIVE, POSTGRES_URL, _worker_database
from tests.live_server import running_tipline

# What DEFAULT_NARRATIVE names, as the server reads it.
REPORTED_PHONE = "+84987654321"
REPORTED_ACCOUNT = "VCB:0123456789"


@dataclass(frozen=True)
class LiveServer:
    url: str
    report_code: str


@pytest.fixture(scope="session")
def live_database() -> Iterator[str]:
    """'' (SQLite in the server's data folder) or a fresh PostgreSQL database."""
    if not POSTGRES_URL:
        yield ""
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    yield from _worker_database(POSTGRES_URL, f"{worker}_client")


@pytest.fixture(scope="session")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, live_database: str
) -> Iterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("client-server")
    with running_tipline(data_dir, database_url=live_database) as url:
        answer = httpx.post(f"{url}/api/v1/reports", json={"narrative": DEFAULT_NARRATIVE})
        assert answer.status_code == 201, answer.text
        yield LiveServer(url, answer.json()["code"])
