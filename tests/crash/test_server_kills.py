"""`tipline serve` and `tipline import` killed with SIGKILL at random moments under load, then
started again.

Clients file reports through the API and the page (with a file), upload evidence, write notes
(audited), send bulk batches and check values, all at once, while `tipline import` loads a file
into the same database. At a random moment (seeded) both get SIGKILL; while they are down the
database and the evidence folder are read: every acknowledged report, file, note and bulk row
is there, nothing is half-written, the audit chain and every stored file verify. Then both start
again on the same folder, and again. At the end every bulk batch ever sent (acknowledged or cut
off) is sent again, and the import is run to its end: each row is stored once, none is lost.
`TIPLINE_CRASH_KILLS` and `TIPLINE_CRASH_SEED` run more kills, or at other moments.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from tests.conftest import POSTGRES_URL, _worker_database
from tests.crash import invariants
from tests.crash.clients import Acknowledged, Client, Numbers, load_until, narrative, phone
from tests.crash.server import Tipline, kill_group, prepare

from tipline.db import make_engine
from tipline.evidence.service import sweep_orphans, verify_store
from tipline.evidence.store import EvidenceStore
from tipline.reports.models import Report

KILLS = int(os.environ.get("TIPLINE_CRASH_KILLS", "2"))
SEED = int(os.environ.get("TIPLINE_CRASH_SEED", "1812"))
CLIENTS = 4
IMPORT_ROWS = 300
IMPORT_SOURCE = "partner-file"
IMPORT_NUMBERS = 10_000_000  # 091…: the clients' numbers start at 092…


def import_file(path: Path) -> Path:
    """Rows with ids of their own (`imp-N`), each naming one phone number."""
    with path.open("w", encoding="utf-8") as out:
        for n in range(IMPORT_ROWS):
            number = IMPORT_NUMBERS + n
            row = {"id": f"imp-{n}", "narrative": narrative(number), "indicators": [phone(number)]}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


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
    """Clients at work until SIGKILL of the server at a random moment, then until they have
    all stopped."""
    stop = threading.Event()

    def client_of(http: httpx.Client, client_rng: random.Random) -> Client:
        return Client(http, token, numbers, ack, client_rng)

    threads = load_until(server.url, client_of, rng.randrange(10**6), CLIENTS, stop)
    stop.wait(rng.uniform(0.5, 2.5))
    server.kill()
    stop.set()
    for thread in threads:
        thread.join()


@dataclass
class Importer:
    """`tipline import` of the file, killed once `kill_at` of its rows are stored (by a thread
    of its own: the import runs while the server starts, serves and is killed)."""

    process: subprocess.Popen[bytes]
    database_url: str
    kill_at: int
    done: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.watch = threading.Thread(target=self.kill_when_stored)
        self.watch.start()

    def kill_when_stored(self) -> None:
        engine = make_engine(self.database_url)
        try:
            while self.process.poll() is None and not self.done.is_set():
                if imported(engine) >= self.kill_at:
                    break
                self.done.wait(0.05)
            kill_group(self.process)
        finally:
            engine.dispose()

    def join(self) -> None:
        """Wait for the kill (a minute at most: then it is killed where it is)."""
        self.watch.join(timeout=60)
        self.done.set()
        self.watch.join()


def imported(engine: Engine) -> int:
    with Session(engine) as session:
        query = select(func.count()).where(Report.source == IMPORT_SOURCE)
        return session.scalar(query) or 0


def start_import(server: Tipline, rows: Path, rng: random.Random) -> Importer:
    """The import started again; it is to be killed a random number of rows further on."""
    engine = make_engine(server.database_url)
    try:
        stored = imported(engine)
    finally:
        engine.dispose()
    step = IMPORT_ROWS // (KILLS + 1)
    kill_at = stored + rng.randrange(1, step)
    return Importer(server.start_import(rows, IMPORT_SOURCE), server.database_url, kill_at)


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
    import_rows = import_file(tmp_path / "reports.jsonl")
    try:
        for kill in range(KILLS):
            importer = start_import(server, import_rows, rng)
            server.start()
            load_then_kill(server, token, numbers, ack, rng)
            importer.join()
            problems = problems_while_down(database_for_server, data_dir, ack)
            assert problems == [], f"after kill {kill + 1} (seed {SEED})"
        last_import = server.start_import(import_rows, IMPORT_SOURCE)  # to its end, this time
        server.start()
        resend_every_batch(server, token, numbers, ack)
        output = last_import.communicate(timeout=300)[0].decode()
    finally:
        server.stop()
    assert last_import.returncode == 0, output
    assert ", 0 rejected" in output
    assert import_whole(database_for_server) == [], output
    assert ack.count() > 0  # the clients did get answers before the kills
    assert problems_while_down(database_for_server, data_dir, ack) == []
    engine = make_engine(database_for_server)
    with Session(engine) as session:
        bulk_rows = session.scalar(select(func.count()).where(Report.source.like("token:%")))
        # Files a kill left without their row (stored first, the row not yet committed).
        orphans = invariants.orphan_files(session, store := EvidenceStore(data_dir))
        swept = sweep_orphans(session, store, "test", older_than=0)
        assert invariants.orphan_files(session, store) == []
        assert verify_store(session, store, "test").intact
    engine.dispose()
    assert bulk_rows == sum(len(batch) for batch in ack.bulk_sent)
    assert sorted(swept) == sorted(path.name for path in orphans)
    note_run(ack, len(swept), output)


def note_run(ack: Acknowledged, swept: int, import_output: str) -> None:
    """With TIPLINE_CRASH_LOG set, a line of what this run did (for docs/reliability.md)."""
    path = os.environ.get("TIPLINE_CRASH_LOG")
    if not path:
        return
    counts = {
        "seed": SEED, "kills": KILLS, "reports": len(ack.reports),
        "page_reports": len(ack.page_cookies), "files": len(ack.evidence), "notes": len(ack.notes),
        "bulk_rows": len(ack.bulk), "bulk_batches": len(ack.bulk_sent), "checks": ack.checks,
        "cut_off": ack.cut_off,
        "swept": swept, "last_import": import_output.strip().splitlines()[-1],
        "database": "postgresql" if POSTGRES_URL else "sqlite",
    }  # fmt: skip
    with open(path, "a", encoding="utf-8") as log:
        log.write(json.dumps(counts) + "\n")


def import_whole(database_url: str) -> list[str]:
    """Every row of the file stored once, each with its phone number."""
    engine = make_engine(database_url)
    with Session(engine) as session:
        query = select(Report.external_id, Report.code).where(Report.source == IMPORT_SOURCE)
        codes = {str(external_id): code for external_id, code in session.execute(query)}
        links = invariants.links_of(session, list(codes.values()))
    engine.dispose()
    problems = [f"row imp-{n} is missing" for n in range(IMPORT_ROWS) if f"imp-{n}" not in codes]
    return problems + [
        f"row {external_id} lacks its phone"
        for external_id, code in codes.items()
        if not any(value.endswith(imported_phone(external_id)) for _, value in links[code])
    ]


def imported_phone(external_id: str) -> str:
    """The phone number of row `imp-N`, without its leading 0 (stored as +84…)."""
    return phone(IMPORT_NUMBERS + int(external_id.removeprefix("imp-")))[1:]


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
