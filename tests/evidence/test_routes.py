from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tipline.audit.models import AuditEntry
from tipline.evidence.models import CustodyEntry
from tipline.evidence.store import EvidenceStore
from tipline.settings import Settings


def csrf_of(client: TestClient) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/cases/new").text)
    assert match is not None
    return match.group(1)


def stored(settings: Settings) -> list[Path]:
    return EvidenceStore(settings.data_dir).stored_files()


def test_upload_to_a_report_then_download_with_safe_headers(
    client_as: Any,
    new_report: Any,
    settings: Settings,
    samples: dict[str, bytes],
    db_session: Session,
) -> None:
    report = new_report()
    client = client_as("analyst")
    token = csrf_of(client)
    for _ in range(2):
        sent = client.post(
            f"/reports/{report}/evidence",
            data={"csrf_token": token},
            files={"file": ("ảnh & 'x'.png", samples["PNG"], "image/png")},
            follow_redirects=False,
        )
        assert sent.status_code == 303
        assert sent.headers["location"] == f"/reports/{report}"
    assert len(stored(settings)) == 1
    # The id from the report's list, not 1: PostgreSQL's sequences outlive rolled-back tests.
    (listed,) = client.get(f"/api/v1/reports/{report}/evidence").json()
    info = client.get(f"/api/v1/evidence/{listed['evidence_id']}").json()
    assert info["sha256"] == hashlib.sha256(samples["PNG"]).hexdigest()
    got = client.get(f"/evidence/{info['id']}/download")
    assert got.status_code == 200
    assert got.content == samples["PNG"]
    assert got.headers["content-type"] == "image/png"
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["content-security-policy"].startswith("sandbox")
    assert got.headers["content-disposition"] == 'attachment; filename="anh _ _x.png"'
    page = client.get(f"/evidence/{info['id']}")
    assert "ảnh &amp; &#39;x&#39;.png" in page.text
    actions = [a for a in db_session.scalars(select(CustodyEntry.action).order_by(CustodyEntry.id))]
    # The app checks an image against the hash banks each time it arrives.
    assert actions == [
        "received", "screened", "received", "screened", "viewed", "downloaded", "viewed"
    ]  # fmt: skip
    audited = list(
        db_session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.target_type == "evidence")
            .order_by(AuditEntry.sequence)
        )
    )
    assert audited == [
        "evidence.received",
        "evidence.screened",
        "evidence.received",
        "evidence.screened",
        "evidence.viewed",
        "evidence.downloaded",
        "evidence.viewed",
    ]


def test_upload_to_a_case_page_and_transfer(
    client_as: Any, samples: dict[str, bytes], db_session: Session
) -> None:
    client = client_as("analyst")
    case = client.post("/api/v1/cases", json={"title": "Case"}).json()["id"]
    token = csrf_of(client)
    sent = client.post(
        f"/cases/{case}/evidence",
        data={"csrf_token": token},
        files={"file": ("chat.txt", samples["TEXT"], "text/plain")},
    )
    assert sent.status_code == 200
    assert "chat.txt" in sent.text
    evidence = client.get(f"/api/v1/cases/{case}").json()["evidence"][0]
    assert evidence["media_type"] == "text/plain"
    moved = client.post(
        f"/evidence/{evidence['evidence_id']}/transfer",
        data={"csrf_token": token, "partner": "<b>Interpol</b>"},
    )
    assert "&lt;b&gt;Interpol&lt;/b&gt;" in moved.text
    api = client.post(
        f"/api/v1/evidence/{evidence['evidence_id']}/transfers",
        json={"partner": "Bank A", "reason": "freeze"},
    )
    assert api.status_code == 201
    assert api.json()["details"] == {"partner": "Bank A", "reason": "freeze"}


def test_oversize_is_413_and_leaves_nothing(
    client_as: Any, new_report: Any, settings: Settings
) -> None:
    settings.evidence_max_bytes = 1000
    report = new_report()
    client = client_as("analyst")
    token = csrf_of(client)
    answer = client.post(
        f"/reports/{report}/evidence",
        data={"csrf_token": token},
        files={"file": ("big.txt", b"a" * 1001, "text/plain")},
    )
    assert answer.status_code == 413
    assert "larger than the limit of 1,000 bytes" in answer.text
    api = client.post(
        f"/api/v1/reports/{report}/evidence", files={"file": ("big.txt", b"a" * 1001, "text/plain")}
    )
    assert api.status_code == 413
    assert api.json()["error"]["field"] == "file"
    assert stored(settings) == []


def test_wrong_type_is_refused_with_a_clear_message(
    client_as: Any, new_report: Any, settings: Settings, samples: dict[str, bytes]
) -> None:
    report = new_report()
    client = client_as("analyst")
    answer = client.post(
        f"/api/v1/reports/{report}/evidence",
        files={"file": ("invoice.pdf", samples["PNG"], "application/pdf")},
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["message"] == (
        "the file was declared as application/pdf but its content is image/png"
    )
    exe = client.post(
        f"/api/v1/reports/{report}/evidence",
        files={"file": ("a.exe", b"MZ\x90" + bytes(60), "application/octet-stream")},
    )
    assert exe.status_code == 422
    assert "does not keep" in exe.json()["error"]["message"]
    assert stored(settings) == []


def test_a_tampered_file_is_refused_on_download_and_logged(
    client_as: Any,
    new_report: Any,
    settings: Settings,
    samples: dict[str, bytes],
    db_session: Session,
) -> None:
    report = new_report()
    client = client_as("analyst")
    body = client.post(
        f"/api/v1/reports/{report}/evidence",
        files={"file": ("call.mp3", samples["MP3"], "audio/mpeg")},
    ).json()
    EvidenceStore(settings.data_dir).path_for(body["sha256"]).write_bytes(b"ID3 forged")
    answer = client.get(f"/evidence/{body['id']}/download")
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "evidence_tampered"
    last = db_session.scalars(select(AuditEntry.action).order_by(AuditEntry.sequence.desc()))
    assert next(iter(last)) == "evidence.verified"


@pytest.mark.parametrize("role", ["partner", "platform"])
def test_partners_and_platforms_are_refused(
    client_as: Any, role: str, samples: dict[str, bytes]
) -> None:
    client = client_as(role)
    assert client.get("/evidence/1").status_code == 403
    assert client.get("/evidence/1/download").status_code == 403
    assert client.get("/api/v1/evidence/1/content").status_code == 403
    upload = {"file": ("a.png", samples["PNG"], "image/png")}
    assert client.post("/api/v1/reports/1/evidence", files=upload).status_code == 403


def test_the_body_limit_follows_the_evidence_limit(
    client_as: Any, new_report: Any, settings: Settings, samples: dict[str, bytes]
) -> None:
    report = new_report()
    client = client_as("analyst")
    big_zip = samples["ZIP"] + bytes(13 * 1024 * 1024)  # over the 12 MB of other page forms
    kept = client.post(
        f"/api/v1/reports/{report}/evidence",
        files={"file": ("export.zip", big_zip, "application/zip")},
    )
    assert kept.status_code == 201
    assert kept.json()["size"] == len(big_zip)
    settings.evidence_max_bytes = 1000
    refused = client.post(
        f"/api/v1/reports/{report}/evidence", files={"file": ("b.zip", big_zip + b"x", None)}
    )
    assert refused.status_code == 413
    assert len(stored(settings)) == 1


@pytest.mark.parametrize(
    ("name", "saved_as"),
    [
        ("invoice.html", "invoice.txt"),
        ("\u202egnp.hta", "gnp.txt"),
        ("run.bat", "run.txt"),
        ("setup.ps1", "setup.txt"),
        ("app.js", "app.txt"),
        ("a.b.html", "a_b.txt"),
    ],
)
def test_a_download_is_saved_under_a_safe_name_and_its_checked_type(
    client_as: Any, new_report: Any, samples: dict[str, bytes], name: str, saved_as: str
) -> None:
    client = client_as("analyst")
    report = new_report()
    sent = client.post(
        f"/api/v1/reports/{report}/evidence",
        files={"file": (name, samples["TEXT"], "application/octet-stream")},
    )
    assert sent.status_code == 201
    got = client.get(f"/api/v1/evidence/{sent.json()['id']}/content")
    assert got.headers["content-type"].startswith("text/plain")
    assert got.headers["content-disposition"] == f'attachment; filename="{saved_as}"'
