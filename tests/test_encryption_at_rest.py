"""A victim files a report through the real intake (the API, then the form with a file and a
message from the follow page): none of what identifies her is left in plain text, neither in the
raw SQLite files (database, -wal, -shm) and the evidence folder, nor in any table's rows read
with plain SQL (SQLite and PostgreSQL). Her report is still found by a queue search for a word
of her narrative (tipline.keyring, docs/reliability.md "Encryption at rest")."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session
from tests.conftest import POSTGRES_URL
from tests.web.test_routes import csrf_token

from tipline.app import create_app
from tipline.db import make_engine
from tipline.keyring import fold
from tipline.server.migrate import upgrade
from tipline.settings import Settings

NAME = "Phùng Thị Quyên Xoan"
EMAIL = "xoan.quyen.victim@example.vn"
PHONE = "0912468013"
RARE = "zorblattique"
NARRATIVE = (
    f"Tôi là {NAME}. Kẻ gian gọi từ số 0987 654 321, bảo tôi nạp tiền mua gói {RARE} "
    "rồi chiếm luôn tài khoản ngân hàng của tôi."
)
MESSAGE = f"Chị Quyên Xoan bổ sung: họ đòi thêm phí kích hoạt gói {RARE}."
MARKER = "XOANQUYEN-EVIDENCE-9931"
EVIDENCE = b"%PDF-1.4\n" + f"{MARKER} ".encode() * 8000  # 192 KiB: several sealed chunks
FILE_NAME = "sao-ke-quyen-xoan.pdf"
SECRETS = (NAME, "Quyên Xoan", EMAIL, PHONE, RARE, NARRATIVE[:40], MESSAGE[:40], MARKER,
           FILE_NAME)  # fmt: skip


def variants(secret: str) -> set[bytes]:
    """How a string could sit in a file: UTF-8 as typed, lower case, without accents, UTF-16."""
    forms = {secret, secret.lower(), fold(secret)}
    return {f.encode(codec) for f in forms for codec in ("utf-8", "utf-16-le", "utf-16-be")}


def leaks(blob: bytes) -> list[str]:
    return [secret for secret in SECRETS if any(v in blob for v in variants(secret))]


def seed_victim(client: TestClient) -> None:
    """Her report through the API, then again through the form with a file, then a message."""
    contact = f"{NAME}, {EMAIL}, {PHONE}"
    api = client.post("/api/v1/reports", json={"narrative": NARRATIVE, "contact": contact})
    assert api.status_code == 201
    form = {"csrf_token": csrf_token(client), "narrative": NARRATIVE, "contact": contact}
    files = [("files", (FILE_NAME, EVIDENCE, "application/pdf"))]
    posted = client.post("/report", data=form, files=files, follow_redirects=False)
    assert posted.status_code == 303
    more = {"csrf_token": csrf_token(client, "/follow"), "more": MESSAGE}
    added = client.post("/follow/add", data=more, follow_redirects=False)
    assert added.status_code == 303


def files_under(folder: Path) -> Iterable[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


@pytest.mark.skipif(bool(POSTGRES_URL), reason="its own SQLite instance: the SQLite run covers it")
def test_raw_sqlite_files_and_evidence_folder_hold_none_of_her_data(tmp_path: Path) -> None:
    data = tmp_path / "data"
    settings = Settings(data_dir=data)
    engine = make_engine(settings.sqlalchemy_url)
    upgrade(engine)
    engine.dispose()
    app = create_app(settings)
    with TestClient(app, base_url="https://testserver") as client:
        seed_victim(client)
        database_files = sorted(data.glob("tipline.db*"))
        assert {p.name for p in database_files} >= {"tipline.db", "tipline.db-wal"}
        open_files = {p.name: p.read_bytes() for p in database_files}
    app.state.session_factory.kw["bind"].dispose()
    closed = {p.name: p.read_bytes() for p in data.glob("tipline.db*")}
    evidence = {str(p): p.read_bytes() for p in files_under(data / "evidence")}
    assert len(evidence) == 1
    assert sum(len(b) for b in open_files.values()) > 100_000  # the files were read
    for name, blob in [*open_files.items(), *closed.items(), *evidence.items()]:
        assert leaks(blob) == [], name
    # The same bytes, told apart from a store that would hold nothing at all:
    assert {NAME, RARE, MARKER} <= set(leaks(NARRATIVE.encode() + EVIDENCE))


def table_texts(session: Session) -> dict[str, str]:
    """Every row of every table, as plain SQL reads it (no model, no type: what is stored)."""
    connection = session.connection()
    names = inspect(connection).get_table_names()
    if connection.dialect.name == "sqlite":  # FTS5's own tables are not listed by the inspector
        fts = "SELECT name FROM sqlite_master WHERE name LIKE 'report_fts%' AND type = 'table'"
        names += list(session.scalars(text(fts)))
    texts = {}
    for name in names:
        rows = connection.execute(text(f'SELECT * FROM "{name}"')).all()  # noqa: S608
        texts[name] = "\n".join(repr(tuple(row)) + str(tuple(row)) for row in rows)
    return texts


def test_no_table_holds_her_data_in_plain_text_and_search_finds_her(
    client: TestClient, client_as: object, db_session: Session
) -> None:
    seed_victim(client)
    texts = table_texts(db_session)
    assert sum(len(t) for t in texts.values()) > 1000
    for name, content in texts.items():
        assert leaks(content.encode("utf-8")) == [], name
    analyst = client_as("analyst")  # type: ignore[operator]
    found = analyst.get("/api/v1/queue", params={"q": f"{RARE.upper()} gói"}).json()["items"]
    assert [item["snippet"][:12] for item in found] == [NARRATIVE[:12]] * 2
    assert analyst.get("/api/v1/queue", params={"q": RARE[:-1]}).json()["items"] == []
