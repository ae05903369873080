from __future__ import annotations

import hashlib

import pytest
from sqlalchemy.orm import Session, sessionmaker
from tests.principals import staff
from typer.testing import CliRunner

from tipline.cases.service import create_case
from tipline.cli import app
from tipline.evidence.service import Upload, receive, store_of
from tipline.server.console import open_database
from tipline.settings import Settings

runner = CliRunner()


@pytest.fixture
def factory(settings: Settings) -> sessionmaker[Session]:
    return open_database(settings)


def put(factory: sessionmaker[Session], settings: Settings, content: bytes, name: str) -> str:
    with factory() as session:
        case = create_case(session, staff("analyst:lan"), "CLI")
        upload = Upload([content], name, None)
        received = receive(
            session, store_of(settings), upload, staff("analyst:lan"), 10_000, case_id=case.id
        )
        return received.evidence.sha256


def test_verify_exits_0_then_1_naming_a_tampered_file(
    factory: sessionmaker[Session], settings: Settings, samples: dict[str, bytes]
) -> None:
    good = put(factory, settings, samples["PDF"], "a.pdf")
    bad = put(factory, settings, samples["GIF"], "b.gif")
    intact = runner.invoke(app, ["evidence", "verify"])
    assert intact.exit_code == 0
    assert "evidence intact: 2 files" in intact.output
    store_of(settings).path_for(bad).write_bytes(samples["GIF"] + b"!")
    broken = runner.invoke(app, ["evidence", "verify"])
    assert broken.exit_code == 1
    assert f"MISMATCH {bad}: the stored file no longer matches its SHA-256" in broken.output
    assert good not in broken.output


def test_custody_prints_the_chain(
    factory: sessionmaker[Session], settings: Settings, samples: dict[str, bytes]
) -> None:
    digest = put(factory, settings, samples["TEXT"], "chat.txt")
    assert digest == hashlib.sha256(samples["TEXT"]).hexdigest()
    runner.invoke(app, ["evidence", "verify"])
    chain = runner.invoke(app, ["evidence", "custody", digest])
    assert chain.exit_code == 0
    lines = chain.output.splitlines()
    assert lines[0] == f'{digest} text/plain {len(samples["TEXT"])} bytes "chat.txt"'
    assert [line.split("\t")[1:3] for line in lines[1:]] == [
        ["received", "analyst:lan"],
        ["verified", "cli:operator"],
    ]
    unknown = runner.invoke(app, ["evidence", "custody", "0" * 64])
    assert unknown.exit_code == 2
    assert "no evidence" in unknown.output


def test_sweep_removes_what_has_no_record_once_old_enough(
    factory: sessionmaker[Session], settings: Settings, samples: dict[str, bytes]
) -> None:
    kept = put(factory, settings, samples["PDF"], "a.pdf")
    store = store_of(settings)
    orphan = store.put([samples["GIF"]], 10_000, lambda _: "image/gif").sha256
    young = runner.invoke(app, ["evidence", "sweep"])
    assert young.exit_code == 0
    assert "0 files without a record removed" in young.output
    swept = runner.invoke(app, ["evidence", "sweep", "--minutes", "0"])
    assert "1 files without a record removed" in swept.output
    assert store.stored_files() == [store.path_for(kept)]
    assert not store.path_for(orphan).exists()
