"""Evidence use cases: receive a file for a report or case, view, download, transfer, verify.

Every access and transfer is both a chain-of-custody entry (on the file) and an audit entry (in
the tamper-evident log), written in the same transaction.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.orm import Session

from tipline.audit.service import record
from tipline.db_types import utc_now
from tipline.errors import Conflict, InvalidInput, NotFound, NotPermitted
from tipline.evidence import repository
from tipline.evidence.core import (
    ContentCheck,
    agreed_media_type,
    clean_partner,
    is_sha256,
    sanitise_file_name,
)
from tipline.evidence.models import CustodyEntry, Evidence, EvidenceAttachment
from tipline.evidence.repository import AttachedFile
from tipline.evidence.store import EvidenceStore, StoredFile, Tampered
from tipline.principals import Caller, Principal, ReportHolder
from tipline.settings import Settings


class EvidenceTampered(Conflict):
    """A stored file no longer matches its SHA-256: it is not handed out."""

    code = "evidence_tampered"


@dataclass(frozen=True, slots=True)
class Upload:
    """A file as it arrives: its bytes in chunks, and what the uploader said it is."""

    chunks: Iterable[bytes]
    file_name: str | None
    declared_type: str | None


@dataclass(frozen=True, slots=True)
class Received:
    evidence: Evidence
    attachment: EvidenceAttachment
    duplicate: bool  # this content was stored before: not written again


@dataclass(frozen=True, slots=True)
class EvidenceView:
    evidence: Evidence
    attachments: list[AttachedFile]
    custody: list[CustodyEntry]
    revealed: bool = False  # an image the viewer asked to see (`reveal`) in the last minutes


REVEAL_SECONDS = 600  # how long an analyst's reveal shows an image, to her alone


@dataclass(frozen=True, slots=True)
class Download:
    content: bytes
    media_type: str
    file_name: str
    sha256: str


@dataclass(frozen=True, slots=True)
class VerifyOutcome:
    checked: int
    mismatches: list[tuple[str, str]]  # (sha256, what is wrong)

    @property
    def intact(self) -> bool:
        return not self.mismatches


class ArrivalCheck(Protocol):
    """What is done with an image as it arrives, given by whoever assembles tipline (the app:
    `tipline.media.screening.screen_received`), since the capabilities that do it sit above
    this one: hash it, match it against the banks, and raise its report when it matches."""

    def __call__(
        self, session: Session, store: EvidenceStore, evidence: Evidence, report_id: int | None
    ) -> None: ...


def store_of(settings: Settings) -> EvidenceStore:
    return EvidenceStore(settings.data_dir)


def add_custody(
    session: Session, evidence: Evidence, action: str, actor: str, details: dict[str, Any],
    now: datetime | None = None,
) -> None:  # fmt: skip
    """A custody entry and the matching audit entry, in the caller's transaction."""
    moment = now or utc_now()
    repository.add_custody(session, evidence.id, action, actor, moment, details)
    audit_details = {"sha256": evidence.sha256, **details}
    record(session, actor, f"evidence.{action}", "evidence", evidence.id, audit_details, now=moment)


def _check_target(
    session: Session, caller: Caller, report_id: int | None, case_id: int | None
) -> None:
    if (report_id is None) == (case_id is None):
        raise InvalidInput("evidence is attached to one report or one case", field="target")
    if report_id is not None and not repository.report_exists(session, caller, report_id):
        raise NotFound(f"no report {report_id}", field="report_id")
    if case_id is not None and not repository.case_exists(session, caller, case_id):
        raise NotFound(f"no case {case_id}", field="case_id")


def _vetting(upload: Upload, file_name: str) -> Callable[[ContentCheck], str]:
    """What the store asks of a file once it has streamed: not empty, and a type it agrees to."""

    def vet(check: ContentCheck) -> str:
        if check.size == 0:
            raise InvalidInput("the file is empty", field="file")
        return agreed_media_type(check.kind(), upload.declared_type, file_name)

    return vet


def receive(
    session: Session,
    store: EvidenceStore,
    upload: Upload,
    caller: Principal | ReportHolder,
    limit: int,
    *,
    report_id: int | None = None,
    case_id: int | None = None,
    screen: ArrivalCheck | None = None,
) -> Received:
    """Store an uploaded file (once per content) and attach it to a report or a case (a
    reporter, to her own report only: the target check reads it as her); an image then goes
    through `screen` (the app's: `tipline.media.screening`, hashed and matched against the
    banks), after the file is committed."""
    _check_target(session, caller, report_id, case_id)
    stored = store_upload(store, upload, limit)
    try:
        received = record_upload(session, stored, caller.actor, report_id, case_id)
        session.commit()
    except BaseException:
        session.rollback()
        forget_upload(store, stored)
        raise
    if screen is not None:
        screen_received(session, store, [received], report_id, screen)
    return received


@dataclass(frozen=True, slots=True)
class StoredUpload:
    """A file in the store, waiting for the row that records it (the file first: a crash
    between the two leaves a file without a row, which `sweep_orphans` removes)."""

    stored: StoredFile
    file_name: str


def store_upload(store: EvidenceStore, upload: Upload, limit: int) -> StoredUpload:
    """Put the file in the store (synced), vetted as `receive` vets it; not recorded yet."""
    file_name = sanitise_file_name(upload.file_name)
    return StoredUpload(store.put(upload.chunks, limit, _vetting(upload, file_name)), file_name)


def forget_upload(store: EvidenceStore, upload: StoredUpload) -> None:
    """Remove a file this upload wrote, when what was to record it failed."""
    if upload.stored.newly_written:
        store.path_for(upload.stored.sha256).unlink(missing_ok=True)


def record_upload(
    session: Session, upload: StoredUpload, actor: str, report_id: int | None = None,
    case_id: int | None = None,
) -> Received:  # fmt: skip
    """The evidence row (once per content), its attachment, custody and audit entries for a
    stored file, in the caller's transaction (the caller checked the target and commits)."""
    stored = upload.stored
    return _record_receipt(session, stored.sha256, stored.size, stored.media_type,
                           upload.file_name, actor, report_id, case_id)  # fmt: skip


def screen_received(
    session: Session, store: EvidenceStore, received: Iterable[Received], report_id: int | None,
    screen: ArrivalCheck,
) -> None:  # fmt: skip
    """Put each committed image through `screen` (the app's hash-bank check)."""
    for item in received:
        if item.evidence.media_type.startswith("image/"):
            screen(session, store, item.evidence, report_id)


def keep_answer_file(
    session: Session, store: EvidenceStore, upload: Upload, actor: str, limit: int,
    details: dict[str, Any],
) -> Evidence:  # fmt: skip
    """Store a file an organisation answered a request with (once per content), with a custody
    entry saying which request (`details`), in the caller's transaction: not attached to a
    report or case (the organisation may read neither; its right to answer was checked by the
    request it answers)."""
    file_name = sanitise_file_name(upload.file_name)
    stored = store.put(upload.chunks, limit, _vetting(upload, file_name))
    try:
        evidence = repository.evidence_by_hash(session, stored.sha256)
        if evidence is None:
            evidence = repository.add_evidence(session, Evidence(
                sha256=stored.sha256, size=stored.size, media_type=stored.media_type,
                original_name=file_name, uploaded_by=actor, uploaded_at=utc_now(),
            ))  # fmt: skip
        add_custody(session, evidence, "received", actor, details)
    except BaseException:
        if stored.newly_written:
            store.path_for(stored.sha256).unlink(missing_ok=True)
        raise
    return evidence


def _record_receipt(
    session: Session, sha256: str, size: int, media_type: str, file_name: str, actor: str,
    report_id: int | None, case_id: int | None,
) -> Received:  # fmt: skip
    evidence = repository.evidence_by_hash(session, sha256)
    duplicate = evidence is not None
    if evidence is None:
        evidence = repository.add_evidence(session, Evidence(
            sha256=sha256, size=size, media_type=media_type, original_name=file_name,
            uploaded_by=actor, uploaded_at=utc_now(),
        ))  # fmt: skip
    attachment = repository.find_attachment(session, evidence.id, report_id, case_id)
    if attachment is None:
        attachment = repository.add_attachment(session, EvidenceAttachment(
            evidence_id=evidence.id, report_id=report_id, case_id=case_id, file_name=file_name,
            attached_by=actor, attached_at=utc_now(),
        ))  # fmt: skip
    # No file name: it can name the victim, and the audit log's entries are hashed into its
    # chain, never re-encrypted; the attachment keeps it, encrypted.
    details = {
        "report_id": report_id, "case_id": case_id, "attachment_id": attachment.id,
        "size": size, "media_type": media_type, "duplicate": duplicate,
    }  # fmt: skip
    add_custody(session, evidence, "received", actor, details)
    return Received(evidence, attachment, duplicate)


def get_evidence(session: Session, caller: Caller, evidence_id: int) -> Evidence:
    """The file's record, if the caller may read it; NotFound otherwise."""
    evidence = repository.get_evidence(session, caller, evidence_id)
    if evidence is None:
        raise NotFound(f"no evidence {evidence_id}", field="evidence_id")
    return evidence


def evidence_by_hash(session: Session, sha256: str) -> Evidence:
    sha256 = sha256.strip().lower()
    evidence = repository.evidence_by_hash(session, sha256) if is_sha256(sha256) else None
    if evidence is None:
        raise NotFound(f"no evidence with SHA-256 {sha256}", field="sha256")
    return evidence


def attached_to_case(session: Session, caller: Caller, case_id: int) -> list[AttachedFile]:
    return repository.attached_to_case(session, caller, case_id)


def attached_to_report(session: Session, caller: Caller, report_id: int) -> list[AttachedFile]:
    """The files attached to a report (for the report view)."""
    return repository.attached_to_report(session, caller, report_id)


def view_evidence(session: Session, evidence_id: int, caller: Principal) -> EvidenceView:
    """A file's record, attachments and chain of custody; the viewing is itself an entry."""
    evidence = get_evidence(session, caller, evidence_id)
    add_custody(session, evidence, "viewed", caller.actor, {})
    session.commit()
    attachments = repository.attachments_of(session, caller, evidence_id)
    custody = repository.custody_of(session, evidence_id)
    return EvidenceView(evidence, attachments, custody, _revealed(session, evidence, caller))


def _is_image(evidence: Evidence) -> bool:
    return evidence.media_type.startswith("image/")


def _revealed(session: Session, evidence: Evidence, caller: Principal) -> bool:
    since = utc_now() - timedelta(seconds=REVEAL_SECONDS)
    return _is_image(evidence) and repository.revealed_since(
        session, evidence.id, caller.actor, since
    )


def reveal(session: Session, evidence_id: int, caller: Principal) -> Evidence:
    """An analyst asks to see an image (none is ever shown unasked): a custody entry and an
    audit entry say who and when; it is then shown to her for `REVEAL_SECONDS`."""
    evidence = get_evidence(session, caller, evidence_id)
    if not _is_image(evidence):
        raise InvalidInput("only an image is shown in the page", field="evidence_id")
    add_custody(session, evidence, "revealed", caller.actor, {})
    session.commit()
    return evidence


def preview(
    session: Session, store: EvidenceStore, evidence_id: int, caller: Principal
) -> Download:
    """An image's bytes to show in the page, for the analyst who revealed it in the last
    `REVEAL_SECONDS` (NotPermitted otherwise); re-hashed first, as a download."""
    evidence = get_evidence(session, caller, evidence_id)
    if not _revealed(session, evidence, caller):
        raise NotPermitted("the image is shown only once you ask to see it", field="evidence_id")
    try:
        content = store.read_verified(evidence.sha256)
    except Tampered as problem:
        _refuse_tampered(session, evidence, caller.actor, problem)
        raise  # unreachable: _refuse_tampered raises
    return Download(content, evidence.media_type, evidence.original_name, evidence.sha256)


def _refuse_tampered(session: Session, evidence: Evidence, actor: str, problem: Tampered) -> None:
    """Log a file found changed on disk (custody and audit), then refuse it."""
    add_custody(session, evidence, "verified", actor, {"intact": False, "problem": problem.reason})
    session.commit()
    raise EvidenceTampered(
        f"evidence {evidence.sha256} was refused: {problem.reason}", field="sha256"
    )


def download(
    session: Session, store: EvidenceStore, evidence_id: int, caller: Principal
) -> Download:
    """The file's bytes, re-hashed first: a file changed on disk is refused and logged."""
    evidence, actor = get_evidence(session, caller, evidence_id), caller.actor
    try:
        content = store.read_verified(evidence.sha256)
    except Tampered as problem:
        _refuse_tampered(session, evidence, actor, problem)
        raise  # unreachable: _refuse_tampered raises
    add_custody(session, evidence, "downloaded", actor, {})
    session.commit()
    return Download(content, evidence.media_type, evidence.original_name, evidence.sha256)


def transfer(
    session: Session, evidence_id: int, partner: str, reason: str, caller: Principal
) -> CustodyEntry:
    """Record that the file was handed to a partner (an agency, a court, a platform)."""
    evidence, actor = get_evidence(session, caller, evidence_id), caller.actor
    details = {"partner": clean_partner(partner), "reason": " ".join(reason.split())[:500]}
    add_custody(session, evidence, "transferred", actor, details)
    session.commit()
    return repository.custody_of(session, evidence_id)[-1]


def custody_chain(session: Session, sha256: str) -> tuple[Evidence, list[CustodyEntry]]:
    evidence = evidence_by_hash(session, sha256)
    return evidence, repository.custody_of(session, evidence.id)


def verify_store(session: Session, store: EvidenceStore, actor: str) -> VerifyOutcome:
    """Re-hash every stored file; each check is a custody entry, the run one audit entry."""
    mismatches: list[tuple[str, str]] = []
    checked = 0
    for evidence_id, sha256, _size in list(repository.every_evidence(session)):
        problem = store.check(sha256)
        checked += 1
        details: dict[str, Any] = {"intact": problem is None}
        if problem is not None:
            mismatches.append((sha256, problem))
            details["problem"] = problem
        repository.add_custody(session, evidence_id, "verified", actor, utc_now(), details)
    summary = {"checked": checked, "mismatches": [sha for sha, _ in mismatches]}
    record(session, actor, "evidence.verify", "evidence", "*", summary)
    session.commit()
    return VerifyOutcome(checked, mismatches)


SWEEP_AFTER_SECONDS = 3600  # far longer than any upload takes between its file and its row


def sweep_orphans(
    session: Session, store: EvidenceStore, actor: str, older_than: float = SWEEP_AFTER_SECONDS
) -> list[str]:
    """Remove the files a crash left without an evidence row (stored before the row committed)
    and unfinished uploads, once older than `older_than` seconds; one audit entry says which."""

    def is_recorded(name: str) -> bool:
        return is_sha256(name) and repository.evidence_by_hash(session, name) is not None

    removed = store.sweep(is_recorded, older_than)
    record(session, actor, "evidence.sweep", "evidence", "*", {"removed": removed})
    session.commit()
    return removed


def export(
    session: Session, store: EvidenceStore, sha256: str, destination: Path, actor: str
) -> Path:
    """Copy a verified file out of the store (e.g. onto a disc for a court); logged."""
    evidence = evidence_by_hash(session, sha256)
    try:
        content = store.read_verified(evidence.sha256)
    except Tampered as problem:
        _refuse_tampered(session, evidence, actor, problem)
        raise
    target = destination / evidence.original_name if destination.is_dir() else destination
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".export-")
    with os.fdopen(handle, "wb") as out:
        out.write(content)
    shutil.move(temporary, target)
    add_custody(session, evidence, "exported", actor, {"to": str(target)})
    session.commit()
    return target
