"""A real tipline server for the client's tests (uvicorn in a subprocess, on SQLite or on a
PostgreSQL database of its own when TIPLINE_TEST_DATABASE_URL is set), started once per test
process, with one report filed through its API and the private check's keyed set built:
`LiveServer.url` and what the report names."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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
        build_private_check(data_dir, live_database)
        yield LiveServer(url, answer.json()["code"])


def build_private_check(data_dir: Path, database_url: str) -> None:
    """`tipline private-check build` on the server's database: its keyed set holds the report."""
    env = os.environ | {"TIPLINE_DATA_DIR": str(data_dir), "TIPLINE_DATABASE_URL": database_url}
    build = [sys.executable, "-m", "tipline", "private-check", "build", "--processes", "1"]
    run = subprocess.run(build, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
