"""Files and messages a victim adds: on the report form and later on the follow page. They join
the evidence store with custody (received from the reporter) and the analysts' notes."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.web.test_receipt import file_report
from tests.web.test_routes import NARRATIVE, csrf_token, receipt_codes

from tipline.evidence import service as evidence_service
from tipline.evidence.models import CustodyEntry, Evidence, EvidenceAttachment
from tipline.evidence.store import EvidenceStore
from tipline.reports.models import Report
from tipline.settings import Settings
from tipline.web.attachments import file_problem
from tipline.workspace.models import ReportNote

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
SLIP = b"%PDF-1.4\n" + b"transfer slip " * 20


def report_of(db_session: Session, code: str) -> Report:
    return db_session.scalars(select(Report).where(Report.code == code)).one()


def attached(db_session: Session, report_id: int) -> list[tuple[str, str, str]]:
    """(file name, media type, custody actor of its receipt) of each file of the report."""
    rows = db_session.execute(
        select(EvidenceAttachment.file_name, Evidence.media_type, CustodyEntry.actor)
        .join(Evidence, Evidence.id == EvidenceAttachment.evidence_id)
        .join(CustodyEntry, CustodyEntry.evidence_id == Evidence.id)
        .where(EvidenceAttachment.report_id == report_id, CustodyEntry.action == "received")
    )
    return sorted(tuple(row) for row in rows)  # type: ignore[misc]  # names are encrypted in SQL


@pytest.mark.parametrize(
    ("content", "declared", "name", "problem"),
    [
        (PNG, "image/png", "chat.png", None),
        (SLIP, "application/pdf", "slip.pdf", None),
        ("tin nhắn".encode(), "text/plain", "chat.txt", None),
        (b"", "image/png", "x.png", "empty"),
        (PNG, "image/png", "chat.pdf", "not_accepted"),  # named as what it is not
        (b"PK\x03\x04" + b"\x00" * 40, "application/zip", "all.zip", "not_accepted"),
        (b"\x7fELF\x02\x01", "application/octet-stream", "run", "not_accepted"),
    ],
)
def test_file_problem(content: bytes, declared: str, name: str, problem: str | None) -> None:
    assert file_problem(content, declared, name) == problem


def test_the_report_form_takes_several_files_into_evidence(
    client: TestClient, db_session: Session
) -> None:
    form = {"csrf_token": csrf_token(client), "narrative": NARRATIVE}
    files = [
        ("files", ("chat.png", PNG, "image/png")),
        ("files", ("slip.pdf", SLIP, "application/pdf")),
    ]
    posted = client.post("/report", data=form, files=files, follow_redirects=False)
    assert posted.status_code == 303
    code, _ = receipt_codes(client.get("/report/receipt").text)
    report = report_of(db_session, code)
    assert attached(db_session, report.id) == [
        ("chat.png", "image/png", "reporter"),
        ("slip.pdf", "application/pdf", "reporter"),
    ]


def test_a_refused_file_files_nothing_and_keeps_the_text(
    client: TestClient, db_session: Session
) -> None:
    before = db_session.scalars(select(Report.id)).all()
    form = {"csrf_token": csrf_token(client), "narrative": NARRATIVE, "loss_amount": "5.000.000"}
    files = [("files", ("chat.pdf", PNG, "application/pdf"))]
    answer = client.post("/report", data=form, files=files)
    assert answer.status_code == 422
    assert "Không nhận được tệp chat.pdf" in answer.text
    assert 'value="5.000.000"' in answer.text
    assert db_session.scalars(select(Report.id)).all() == before
    too_many = [("files", (f"{n}.png", PNG, "image/png")) for n in range(6)]
    answer = client.post("/report", data=form | {"csrf_token": csrf_token(client)}, files=too_many)
    assert answer.status_code == 422
    assert "tối đa 5 tệp" in answer.text


def test_follow_adds_a_message_and_files_with_custody(
    client: TestClient, db_session: Session
) -> None:
    code, _ = receipt_codes(file_report(client))
    page = client.get("/follow").text
    assert 'action="/follow/add"' in page
    token = csrf_token(client, "/follow")
    posted = client.post(
        "/follow/add",
        data={"csrf_token": token, "more": "Họ lại gọi từ số 0911 222 333."},
        files=[("files", ("slip.pdf", SLIP, "application/pdf"))],
        follow_redirects=False,
    )
    assert posted.status_code == 303
    assert posted.headers["location"] == "/follow?added=1"
    added = client.get("/follow?added=1&lang=vi").text
    assert 'id="added"' in added
    assert "Những gì bạn gửi đã được thêm" in added  # a child sends no file: not "tệp"
    report = report_of(db_session, code)
    assert attached(db_session, report.id) == [("slip.pdf", "application/pdf", "reporter")]
    notes = db_session.scalars(select(ReportNote).where(ReportNote.report_id == report.id)).all()
    assert [(n.author, n.text) for n in notes] == [("reporter", "Họ lại gọi từ số 0911 222 333.")]


def test_follow_add_errors_are_clear_and_need_the_holder(client: TestClient) -> None:
    file_report(client)
    token = csrf_token(client, "/follow")
    empty = client.post("/follow/add", data={"csrf_token": token, "more": " "})
    assert empty.status_code == 422
    assert "Hãy viết thêm thông tin hoặc chọn một tệp." in empty.text
    refused = client.post(
        "/follow/add",
        data={"csrf_token": token},
        files=[("files", ("x.png", b"", "image/png"))],
    )
    assert refused.status_code == 422
    assert "Tệp x.png trống." in refused.text
    client.cookies.delete("tipline_holder")
    nobody = client.post(
        "/follow/add", data={"csrf_token": token, "more": "x"}, follow_redirects=False
    )
    assert nobody.status_code == 303
    assert nobody.headers["location"] == "/follow"


def test_a_childs_report_takes_no_files(client: TestClient) -> None:
    form_page = client.get("/report?child=1").text
    assert 'name="files"' not in form_page
    form = {"csrf_token": csrf_token(client), "narrative": "Có người lạ dụ con tôi gửi ảnh.",
            "about_child": "1", "victim_age": "13_17"}  # fmt: skip
    client.post("/report", data=form)
    page = client.get("/follow").text
    assert re.search(r'action="/follow/add"', page)
    assert 'name="files"' not in page


def test_a_report_and_its_files_are_filed_together_or_not_at_all(
    client: TestClient, db_session: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash between the report and its files (here: recording a file fails) files neither:
    before, the report was committed first and its files after, each on its own."""

    def crash(*_: object) -> None:
        raise RuntimeError("the process dies here")

    monkeypatch.setattr(evidence_service, "_record_receipt", crash)
    before = db_session.scalars(select(Report.id)).all()
    form = {"csrf_token": csrf_token(client), "narrative": NARRATIVE}
    with pytest.raises(RuntimeError, match="dies here"):
        client.post("/report", data=form, files=[("files", ("chat.png", PNG, "image/png"))])
    assert db_session.scalars(select(Report.id)).all() == before
    assert EvidenceStore(settings.data_dir).stored_files() == []  # the file kept for it, removed
