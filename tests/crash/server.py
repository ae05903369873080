"""A real `tipline serve` that the crash tests start, kill with SIGKILL and start again, on its
own data folder and database (SQLite in the folder, or a PostgreSQL database of its own)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session
from tests.live_server import free_port, seed_triage_model, wait_until_up

from tipline.accounts.service import create_token, create_user
from tipline.db import make_engine
from tipline.server.migrate import upgrade

ANALYST = "crash-analyst"
IMPORT_BATCH = 5


def prepare(data_dir: Path, database_url: str) -> str:
    """Tables, an analyst and her API token (in this process: faster than the CLI), and the
    triage model in the folder; the token."""
    seed_triage_model(data_dir)
    engine = make_engine(database_url)
    upgrade(engine)
    with Session(engine) as session:
        create_user(session, "test", ANALYST, "analyst", "crash-test-password-1")
        token = create_token(session, "test", ANALYST, "crash test").plaintext
        session.commit()
    engine.dispose()
    return token


@dataclass
class Tipline:
    """`tipline serve` on `data_dir` and `database_url`, started and killed at will."""

    data_dir: Path
    database_url: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = self.environment()
        command = [sys.executable, "-m", "tipline", "serve", "--host", "127.0.0.1",
                   "--port", str(self.port)]  # fmt: skip
        log_path = self.data_dir / f"server-{self.starts}.log"
        with log_path.open("wb") as log:
            # A session of its own: the kill reaches the server and anything it started.
            self.process = subprocess.Popen(
                command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.starts += 1
        wait_until_up(f"{self.url}/", self.process, log_path)

    def kill(self) -> None:
        """SIGKILL, as the kernel's OOM killer would end it: nothing of it runs after."""
        assert self.process is not None
        kill_group(self.process)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.kill()

    def environment(self) -> dict[str, str]:
        return os.environ | {
            "TIPLINE_DATA_DIR": str(self.data_dir),
            "TIPLINE_DATABASE_URL": self.database_url,
        }

    def start_import(self, file: Path, source: str) -> subprocess.Popen[bytes]:
        """`tipline import FILE` on the same database, in small batches, in its own session."""
        command = [sys.executable, "-m", "tipline", "import", str(file), "--source", source,
                   "--batch", str(IMPORT_BATCH), "--workers", "0"]  # fmt: skip
        return subprocess.Popen(
            command, env=self.environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL to the process and all it started (unless it ended already)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()  # and close its pipe
