"""A real tipline server for the client's tests (uvicorn in a subprocess, on SQLite or on a
PostgreSQL database of its own when TIPLINE_TEST_DATABASE_URL is set), started once per test
process, with one report filed through its API and the private check's keyed set built:
`LiveServer.url` and what the report names; `live_feed`, a platform token of an organisation
whose feed holds a blocklist's domains."""

from __future__ import annotations

import json
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
    data_dir: Path
    database_url: str


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
        server = LiveServer(url, answer.json()["code"], data_dir, live_database)
        tipline_commands(server, ["private-check", "build", "--processes", "1"])
        yield server


def tipline_commands(server: LiveServer, *commands: list[str], stdin: str = "") -> list[str]:
    """Run `tipline` commands on the live server's data folder and database, in one process
    (each start of the CLI costs seconds); their outputs, in order."""
    env = os.environ | {"TIPLINE_DATA_DIR": str(server.data_dir),
                        "TIPLINE_DATABASE_URL": server.database_url}  # fmt: skip
    run = subprocess.run(
        [sys.executable, "-c", COMMANDS, json.dumps(commands), stdin],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    outputs: list[str] = json.loads(run.stdout)
    return outputs


COMMANDS = """
import json, sys
from typer.testing import CliRunner
from tipline.cli import app

outputs = []
for command in json.loads(sys.argv[1]):
    result = CliRunner().invoke(app, command, input=sys.argv[2])
    if result.exit_code != 0:
        sys.exit(f"{command}: {result.exit_code} {result.output} {result.exception!r}")
    outputs.append(result.stdout)
print(json.dumps(outputs))
"""


BLOCKLISTED = ("lua-dao-nganhang.com", "vcb-hoantien.net")


@dataclass(frozen=True)
class LiveFeed:
    url: str
    token: str


@pytest.fixture(scope="session")
def live_feed(live_server: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> LiveFeed:
    """Bank X (agreement: domains of phishing, confidence 50 up), its platform user's token,
    and a blocklist of two domains in the feed."""
    blocklist = tmp_path_factory.mktemp("blocklist") / "list.txt"
    blocklist.write_text("\n".join(BLOCKLISTED) + "\n")
    outputs = tipline_commands(
        live_server,
        ["import-feed", str(blocklist), "--source", "TestList", "--category", "fraud.phishing"],
        ["organisations", "add", "Bank X", "--kind", "bank"],
        ["organisations", "agreement", "Bank X", "--kinds", "domain",
         "--categories", "fraud.phishing", "--min-confidence", "50"],
        ["users", "add", "bankx", "--role", "platform", "--organisation", "Bank X",
         "--password-stdin"],
        ["tokens", "create", "bankx", "--name", "client test"],
        ["feeds", "refresh"],
        stdin="a long enough password 1\n",
    )  # fmt: skip
    token = outputs[4].splitlines()[1].strip()
    return LiveFeed(live_server.url, token)


BANKED_MD5 = "0cc175b9c0f1b6a831c399e269772661"
BANKED_PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"


@pytest.fixture(scope="session")
def live_bank(live_server: LiveServer, live_feed: LiveFeed) -> LiveFeed:
    """An NCII bank holding one MD5 and one PDQ, which Bank X (`live_feed`'s token) may use."""
    tipline_commands(
        live_server,
        ["media", "bank", "create", "NCII reported", "--kind", "ncii", "--owner", "Test NGO"],
        ["media", "bank", "add", "NCII reported", f"md5:{BANKED_MD5}", f"pdq:{BANKED_PDQ}"],
        ["media", "bank", "grant", "NCII reported", "--organisation", "Bank X"],
    )
    return live_feed
