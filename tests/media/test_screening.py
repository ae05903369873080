"""Images are hashed and matched against every bank as they arrive (the app's arrival check,
`screen_received`): a custody entry says what matched, and a match against a child bank raises
the report to critical with a reason."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.media.banks import bank_with, pdq_value
from tests.principals import staff

from tipline.audit.models import AuditEntry
from tipline.cases.service import create_case
from tipline.evidence import service
from tipline.evidence.models import CustodyEntry
from tipline.evidence.service import Upload
from tipline.evidence.store import EvidenceStore
from tipline.media.core import HashValue, Signal
from tipline.media.hashing import hash_image
from tipline.media.screening import SCREENING_ACTOR, screen_received
from tipline.principals import ReportHolder
from tipline.reports.models import Report

LIMIT = 4 * 1024 * 1024
ANALYST = staff("analyst:lan")
NARRATIVE = "Tôi bị lừa mua hàng online, shop không giao hàng sau khi tôi chuyển khoản."


def photo(seed: int = 3, turn: Image.Transpose | None = None) -> bytes:
    rng = np.random.default_rng(seed)
    blobs = Image.fromarray(rng.integers(0, 256, (24, 32, 3), dtype=np.uint8))
    image = blobs.resize((512, 512), Image.Resampling.BICUBIC)
    out = io.BytesIO()
    (image.transpose(turn) if turn else image).save(out, "PNG")
    return out.getvalue()


def bank_photo(
    session: Session, name: str = "CSAM known", kind: str = "child", seed: int = 3
) -> None:
    """A bank holding the PDQ of `photo(seed)`."""
    bank_with(session, name, kind, [pdq_value(hash_image(photo(seed)).pdq)])


def received(
    session: Session, tmp_path: Path, content: bytes, caller: Any = ANALYST, **target: int
) -> None:
    upload = Upload([content], "anh.png", "image/png")
    store = EvidenceStore(tmp_path)
    service.receive(session, store, upload, caller, LIMIT, screen=screen_received, **target)


def screened(session: Session) -> list[dict[str, Any]]:
    rows = session.scalars(select(CustodyEntry).where(CustodyEntry.action == "screened"))
    return [{"actor": row.actor, **row.details} for row in rows]


def urgency(session: Session, report_id: int) -> tuple[str, int, int, list[Any]]:
    report = session.get(Report, report_id)
    assert report is not None
    session.refresh(report)
    return report.urgency, report.urgency_rank, report.risk_rank, report.triage_reasons


def test_a_turned_copy_of_a_child_banks_image_raises_its_report_to_critical(
    db_session: Session, tmp_path: Path, new_report: Any
) -> None:
    bank_photo(db_session)
    report = new_report(NARRATIVE)
    before = urgency(db_session, report)
    assert before[0] != "critical"
    received(db_session, tmp_path, photo(turn=Image.Transpose.ROTATE_90), report_id=report)
    level, urgency_rank, risk_rank, reasons = urgency(db_session, report)
    assert (level, urgency_rank, risk_rank) == ("critical", 0, 0)
    (reason,) = [r for r in reasons if "hash bank" in r]
    assert reason.startswith("image matches child abuse hash bank 'CSAM known' (pdq, distance ")
    assert reasons[: len(before[3])] == before[3]
    (entry,) = screened(db_session)
    assert entry["actor"] == SCREENING_ACTOR
    assert entry["matched_banks"].startswith("CSAM known: ")
    assert entry["pdq"] == hash_image(photo(turn=Image.Transpose.ROTATE_90)).pdq
    escalations = db_session.scalars(
        select(AuditEntry).where(AuditEntry.action == "report.escalate")
    ).all()
    assert [
        (e.actor, e.target_id, json.loads(e.details_json)["previous"]) for e in escalations
    ] == [(SCREENING_ACTOR, str(report), before[0])]


def test_a_match_in_another_kind_of_bank_is_recorded_and_changes_no_urgency(
    db_session: Session, tmp_path: Path, new_report: Any
) -> None:
    bank_photo(db_session, "NCII reported", "ncii")
    bank_photo(db_session, seed=9)
    report = new_report(NARRATIVE)
    before = urgency(db_session, report)
    received(db_session, tmp_path, photo(), report_id=report)
    assert urgency(db_session, report) == before
    assert [e["matched_banks"] for e in screened(db_session)] == ["NCII reported: 0"]


def test_an_image_that_matches_nothing_is_screened_all_the_same(
    db_session: Session, tmp_path: Path, new_report: Any
) -> None:
    bank_photo(db_session, seed=9)
    report = new_report(NARRATIVE)
    before = urgency(db_session, report)
    received(db_session, tmp_path, photo(), report_id=report)
    assert urgency(db_session, report) == before
    (entry,) = screened(db_session)
    assert entry["matched_banks"] is None
    assert entry["quality"] == hash_image(photo()).quality


def test_a_file_that_is_not_a_decodable_image_matches_by_its_digests(
    db_session: Session, tmp_path: Path, new_report: Any, samples: dict[str, bytes]
) -> None:
    digest = hashlib.sha256(samples["PNG"]).hexdigest()
    bank_with(db_session, "CSAM known", "child", [HashValue(Signal.SHA256, digest)])
    report = new_report(NARRATIVE)
    received(db_session, tmp_path, samples["PNG"], report_id=report)
    assert urgency(db_session, report)[0] == "critical"
    (entry,) = screened(db_session)
    assert entry == {"actor": SCREENING_ACTOR, "matched_banks": "CSAM known: 0"}


def test_a_flat_pictures_pdq_is_not_matched(
    db_session: Session, tmp_path: Path, new_report: Any
) -> None:
    # The same flat picture saved twice: other bytes, the same PDQ, but of quality 0.
    flat, banked = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (300, 300), (200, 40, 90)).save(flat, "PNG", compress_level=1)
    Image.new("RGB", (300, 300), (200, 40, 90)).save(banked, "PNG", compress_level=9)
    assert flat.getvalue() != banked.getvalue()
    banked_hashes = hash_image(banked.getvalue())
    assert (banked_hashes.pdq, banked_hashes.quality) == (hash_image(flat.getvalue()).pdq, 0)
    bank_with(db_session, "CSAM known", "child", [pdq_value(banked_hashes.pdq, 0)])
    report = new_report(NARRATIVE)
    before = urgency(db_session, report)
    received(db_session, tmp_path, flat.getvalue(), report_id=report)
    assert urgency(db_session, report) == before
    assert screened(db_session)[0]["matched_banks"] is None


def test_a_reporters_upload_is_screened_against_banks_she_could_not_read(
    db_session: Session, tmp_path: Path, new_report: Any
) -> None:
    bank_photo(db_session)
    report = new_report(NARRATIVE)
    received(db_session, tmp_path, photo(), ReportHolder(report), report_id=report)
    assert urgency(db_session, report)[0] == "critical"


def test_an_image_attached_to_a_case_is_screened_and_no_report_changes(
    db_session: Session, tmp_path: Path, new_report: Any
) -> None:
    bank_photo(db_session)
    case = create_case(db_session, ANALYST, "Ảnh")
    report = new_report(NARRATIVE)
    before = urgency(db_session, report)
    received(db_session, tmp_path, photo(), case_id=case.id)
    assert [e["matched_banks"] for e in screened(db_session)] == ["CSAM known: 0"]
    assert urgency(db_session, report) == before
