from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.principals import staff

from tipline.audit.models import AuditEntry
from tipline.cases.service import create_case
from tipline.errors import InvalidInput, NotFound, TooLarge
from tipline.evidence import service
from tipline.evidence.models import Evidence, EvidenceAttachment
from tipline.evidence.service import EvidenceTampered, Upload
from tipline.evidence.store import EvidenceStore

LIMIT = 1024 * 1024


def upload(content: bytes, name: str = "shot.png", declared: str | None = None) -> Upload:
    return Upload([content[i : i + 5] for i in range(0, len(content), 5)], name, declared)


def actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.sequence)))


def test_same_content_is_stored_once_and_attached_twice(
    db_session: Session, tmp_path: Path, new_report: Any, samples: dict[str, bytes]
) -> None:
    store = EvidenceStore(tmp_path)
    report = new_report()
    case = create_case(db_session, staff("analyst:lan"), "Sàn giả")
    first = service.receive(
        db_session, store, upload(samples["PNG"]), staff("analyst:lan"), LIMIT, report_id=report
    )
    second = service.receive(
        db_session,
        store,
        upload(samples["PNG"], "copy.png"),
        staff("analyst:an"),
        LIMIT,
        case_id=case.id,
    )
    digest = hashlib.sha256(samples["PNG"]).hexdigest()
    assert first.evidence.id == second.evidence.id
    assert second.duplicate
    assert not first.duplicate
    assert first.evidence.sha256 == digest
    assert first.evidence.media_type == "image/png"
    assert store.stored_files() == [
        tmp_path / "evidence/sha256" / digest[:2] / digest[2:4] / digest
    ]
    assert db_session.scalar(select(Evidence.original_name)) == "shot.png"
    names = db_session.scalars(select(EvidenceAttachment.file_name).order_by(EvidenceAttachment.id))
    assert list(names) == ["shot.png", "copy.png"]
    assert [
        f.file_name for f in service.attached_to_report(db_session, staff("analyst:lan"), report)
    ] == ["shot.png"]
    assert [
        f.file_name for f in service.attached_to_case(db_session, staff("analyst:lan"), case.id)
    ] == ["copy.png"]
    _, chain = service.custody_chain(db_session, digest)
    assert [(c.action, c.actor) for c in chain] == [
        ("received", "analyst:lan"),
        ("received", "analyst:an"),
    ]
    assert chain[1].details["duplicate"] is True
    assert actions(db_session)[-1] == "evidence.received"


def test_too_large_leaves_nothing(db_session: Session, tmp_path: Path, new_report: Any) -> None:
    store = EvidenceStore(tmp_path)
    report = new_report()
    with pytest.raises(TooLarge, match="larger than the limit of 100 bytes"):
        service.receive(
            db_session,
            store,
            upload(b"x" * 101, "big.txt"),
            staff("analyst:lan"),
            100,
            report_id=report,
        )
    assert store.stored_files() == []
    assert db_session.scalar(select(Evidence.id)) is None


def test_wrong_or_unknown_type_is_refused(
    db_session: Session, tmp_path: Path, new_report: Any, samples: dict[str, bytes]
) -> None:
    store = EvidenceStore(tmp_path)
    report = new_report()
    for content, name, declared in (
        (samples["PNG"], "doc.pdf", "application/pdf"),
        (b"MZ\x90\x00" + bytes(40), "setup.exe", "application/x-msdownload"),
        (b"", "empty.txt", "text/plain"),
    ):
        with pytest.raises(InvalidInput) as refused:
            service.receive(
                db_session,
                store,
                upload(content, name, declared),
                staff("analyst:lan"),
                LIMIT,
                report_id=report,
            )
        assert refused.value.field == "file"
    assert store.stored_files() == []


def test_unknown_target_is_refused_before_storing(
    db_session: Session, tmp_path: Path, samples: dict[str, bytes]
) -> None:
    store = EvidenceStore(tmp_path)
    with pytest.raises(NotFound):
        service.receive(
            db_session,
            store,
            upload(samples["PDF"], "a.pdf"),
            staff("analyst:lan"),
            LIMIT,
            report_id=999_999,
        )
    assert store.stored_files() == []


def test_download_rehashes_and_refuses_a_tampered_file(
    db_session: Session, tmp_path: Path, new_report: Any, samples: dict[str, bytes]
) -> None:
    store = EvidenceStore(tmp_path)
    report = new_report()
    received = service.receive(
        db_session,
        store,
        upload(samples["ZIP"], "chat.zip"),
        staff("analyst:lan"),
        LIMIT,
        report_id=report,
    )
    evidence = received.evidence
    got = service.download(db_session, store, evidence.id, staff("analyst:lan"))
    assert got.content == samples["ZIP"]
    assert got.media_type == "application/zip"
    store.path_for(evidence.sha256).write_bytes(samples["ZIP"] + b"edited")
    with pytest.raises(EvidenceTampered, match="no longer matches"):
        service.download(db_session, store, evidence.id, staff("analyst:lan"))
    _, chain = service.custody_chain(db_session, evidence.sha256)
    assert [c.action for c in chain] == ["received", "downloaded", "verified"]
    assert chain[-1].details == {
        "intact": False,
        "problem": "the stored file no longer matches its SHA-256",
    }
    assert actions(db_session)[-2:] == ["evidence.downloaded", "evidence.verified"]


def test_verify_names_mismatches_and_view_transfer_are_custody(
    db_session: Session, tmp_path: Path, new_report: Any, samples: dict[str, bytes]
) -> None:
    store = EvidenceStore(tmp_path)
    report = new_report()
    kept = service.receive(
        db_session,
        store,
        upload(samples["PDF"], "a.pdf"),
        staff("analyst:lan"),
        LIMIT,
        report_id=report,
    ).evidence
    lost = service.receive(
        db_session,
        store,
        upload(samples["WAV"], "call.wav"),
        staff("analyst:lan"),
        LIMIT,
        report_id=report,
    ).evidence
    assert service.verify_store(db_session, store, "cli:operator").intact
    store.path_for(lost.sha256).unlink()
    outcome = service.verify_store(db_session, store, "cli:operator")
    assert outcome.checked == 2
    assert outcome.mismatches == [(lost.sha256, "the stored file is missing")]
    service.transfer(
        db_session, kept.id, "  Công an   tỉnh X ", "subpoena 12", staff("analyst:lan")
    )
    view = service.view_evidence(db_session, kept.id, staff("analyst:an"))
    assert [c.action for c in view.custody] == [
        "received",
        "verified",
        "verified",
        "transferred",
        "viewed",
    ]
    assert view.custody[3].details == {"partner": "Công an tỉnh X", "reason": "subpoena 12"}
    assert actions(db_session)[-2:] == ["evidence.transferred", "evidence.viewed"]


def test_export_copies_a_verified_file(
    db_session: Session, tmp_path: Path, new_report: Any, samples: dict[str, bytes]
) -> None:
    store = EvidenceStore(tmp_path / "data")
    report = new_report()
    evidence = service.receive(
        db_session,
        store,
        upload(samples["OGG"], "voice.ogg"),
        staff("analyst:lan"),
        LIMIT,
        report_id=report,
    ).evidence
    out = tmp_path / "out"
    out.mkdir()
    target = service.export(db_session, store, evidence.sha256, out, "cli:operator")
    assert target == out / "voice.ogg"
    assert target.read_bytes() == samples["OGG"]
    _, chain = service.custody_chain(db_session, evidence.sha256)
    assert chain[-1].action == "exported"
    assert chain[-1].details == {"to": str(target)}


def test_sweep_removes_files_without_a_row_and_says_so_in_the_audit_log(
    db_session: Session, tmp_path: Path, new_report: Any, samples: dict[str, bytes]
) -> None:
    store = EvidenceStore(tmp_path)
    kept = service.receive(
        db_session, store, upload(samples["PNG"]), staff("analyst:lan"), LIMIT,
        report_id=new_report(),
    ).evidence.sha256  # fmt: skip
    # A crash after the file was stored and before its row committed leaves it alone.
    orphan = store.put([samples["PDF"]], LIMIT, lambda _: "application/pdf").sha256

    removed = service.sweep_orphans(db_session, store, "cli:operator", older_than=0)

    assert removed == [orphan]
    assert store.stored_files() == [store.path_for(kept)]
    assert service.verify_store(db_session, store, "cli:operator").intact
    assert actions(db_session)[-2:] == ["evidence.sweep", "evidence.verify"]
