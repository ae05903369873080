"""The real tipline server for browser tests: uvicorn in a subprocess on 127.0.0.1, on a
temporary data folder (SQLite), with the users a test signs in as made by the service behind
`tipline users add`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

START_SECONDS = 120  # a loaded 2-core machine starts the server slowly


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(url: str, server: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            tail = log_path.read_text("utf-8", "replace")[-2000:]
            raise RuntimeError(f"the server stopped with status {server.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 (loopback)
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within {START_SECONDS} s")


def seed_triage_model(data_dir: Path) -> None:
    """Put this test process's triage model (trained once per process, then copied) in the data
    folder, so that a tipline process started on it loads it instead of training its own at
    start-up (several seconds of CPU per server on a loaded 2-core machine)."""
    from tipline.triage.store import load_or_train

    load_or_train(data_dir / "models" / "triage")


def add_users(data_dir: Path, database_url: str, users: Sequence[tuple[str, str, str]]) -> None:
    """Add each (name, role, password) through the service `tipline users add` calls (its
    command line is tested in tests/accounts): in this process, not one interpreter each."""
    if not users:
        return
    from tipline.accounts.service import create_user
    from tipline.server.console import open_database
    from tipline.settings import Settings

    settings = Settings(data_dir=data_dir, database_url=database_url or None)
    factory = open_database(settings)
    try:
        with factory() as session:
            for name, role, password in users:
                create_user(session, "cli:tests", name, role, password)
            session.commit()
    finally:
        engine = factory.kw["bind"]
        engine.dispose()


@contextmanager
def running_tipline(
    data_dir: Path, users: Sequence[tuple[str, str, str]] = (), database_url: str = ""
) -> Iterator[str]:
    """`tipline serve` on `data_dir` (and on `database_url` if given, else SQLite there), after
    `tipline users add` of each (name, role, password); yields the base URL and stops the
    server at the end."""
    seed_triage_model(data_dir)
    add_users(data_dir, database_url, users)
    env = os.environ | {"TIPLINE_DATA_DIR": str(data_dir), "TIPLINE_DATABASE_URL": database_url}
    tipline = [sys.executable, "-m", "tipline"]
    port = free_port()
    log_path = data_dir / "server.log"
    serve = [*tipline, "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log_path.open("wb") as log:
        server = subprocess.Popen(serve, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_up(f"http://127.0.0.1:{port}/", server, log_path)
            yield f"http://127.0.0.1:{port}"
        finally:
            stop(server)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate a process this test started, killed when it has not ended within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
