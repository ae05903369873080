"""Every query on evidence: files by hash, attachments, the chain of custody."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, false, select, true
from sqlalchemy.orm import Session

from tipline.evidence.models import CustodyEntry, Evidence, EvidenceAttachment
from tipline.principals import Caller, is_staff
from tipline.reports.repository import readable_report


def evidence_scope(caller: Caller) -> ColumnElement[bool]:
    """The condition that the caller may read evidence files: staff only (a file is the
    victims' screenshots, chats and recordings, kept under chain of custody)."""
    return true() if is_staff(caller) else false()


def readable_evidence(caller: Caller) -> Select[Any]:
    """The evidence files this caller may read, as a statement to narrow further."""
    return select(Evidence).where(evidence_scope(caller))


def get_evidence(session: Session, caller: Caller, evidence_id: int) -> Evidence | None:
    """One file's record, if it exists and the caller may read it."""
    statement = readable_evidence(caller).where(Evidence.id == evidence_id)
    return session.scalars(statement).one_or_none()


def evidence_by_hash(session: Session, sha256: str) -> Evidence | None:
    return session.scalar(select(Evidence).where(Evidence.sha256 == sha256))


def add_evidence(session: Session, evidence: Evidence) -> Evidence:
    session.add(evidence)
    session.flush()
    return evidence


def report_exists(session: Session, caller: Caller, report_id: int) -> bool:
    return readable_report(session, caller, report_id) is not None


def case_exists(session: Session, caller: Caller, case_id: int) -> bool:
    """Whether the case exists and the caller may attach evidence to it: staff, as
    `tipline.cases.repository.case_scope` says of cases (evidence does not import cases)."""
    # The case table as the attachment's foreign key names it: cases shows its evidence, so
    # evidence does not import cases.
    (key,) = EvidenceAttachment.__table__.c.case_id.foreign_keys
    statement = select(key.column).where(key.column == case_id, evidence_scope(caller))
    return session.scalar(statement) is not None


def find_attachment(
    session: Session, evidence_id: int, report_id: int | None, case_id: int | None
) -> EvidenceAttachment | None:
    stmt = select(EvidenceAttachment).where(
        EvidenceAttachment.evidence_id == evidence_id,
        EvidenceAttachment.report_id.is_(None)
        if report_id is None
        else EvidenceAttachment.report_id == report_id,
        EvidenceAttachment.case_id.is_(None)
        if case_id is None
        else EvidenceAttachment.case_id == case_id,
    )
    return session.scalar(stmt)


def add_attachment(session: Session, attachment: EvidenceAttachment) -> EvidenceAttachment:
    session.add(attachment)
    session.flush()
    return attachment


def add_custody(
    session: Session, evidence_id: int, action: str, actor: str, at: datetime,
    details: dict[str, Any],
) -> CustodyEntry:  # fmt: skip
    entry = CustodyEntry(
        evidence_id=evidence_id, action=action, actor=actor, at=at, details=details
    )
    session.add(entry)
    session.flush()
    return entry


def revealed_since(session: Session, evidence_id: int, actor: str, since: datetime) -> bool:
    """Whether `actor` asked to see this image (a `revealed` custody entry) since `since`."""
    stmt = select(CustodyEntry.id).where(
        CustodyEntry.evidence_id == evidence_id,
        CustodyEntry.action == "revealed",
        CustodyEntry.actor == actor,
        CustodyEntry.at >= since,
    )
    return session.scalars(stmt.limit(1)).first() is not None


def custody_of(session: Session, evidence_id: int) -> list[CustodyEntry]:
    stmt = (
        select(CustodyEntry)
        .where(CustodyEntry.evidence_id == evidence_id)
        .order_by(CustodyEntry.at, CustodyEntry.id)
    )
    return list(session.scalars(stmt))


@dataclass(frozen=True, slots=True)
class AttachedFile:
    """A file as a report's or case's page lists it."""

    attachment_id: int
    evidence_id: int
    sha256: str
    size: int
    media_type: str
    file_name: str
    attached_by: str
    attached_at: datetime
    report_id: int | None
    case_id: int | None


def _attached_stmt(caller: Caller) -> Any:
    return select(
        EvidenceAttachment.id, Evidence.id, Evidence.sha256, Evidence.size, Evidence.media_type,
        EvidenceAttachment.file_name, EvidenceAttachment.attached_by,
        EvidenceAttachment.attached_at, EvidenceAttachment.report_id, EvidenceAttachment.case_id,
    ).join(Evidence, Evidence.id == EvidenceAttachment.evidence_id).where(
        evidence_scope(caller)
    )  # fmt: skip


def attached_to_case(session: Session, caller: Caller, case_id: int) -> list[AttachedFile]:
    stmt = _attached_stmt(caller).where(EvidenceAttachment.case_id == case_id)
    return [AttachedFile(*row) for row in session.execute(stmt.order_by(EvidenceAttachment.id))]


def attached_to_report(session: Session, caller: Caller, report_id: int) -> list[AttachedFile]:
    stmt = _attached_stmt(caller).where(EvidenceAttachment.report_id == report_id)
    return [AttachedFile(*row) for row in session.execute(stmt.order_by(EvidenceAttachment.id))]


def attachments_of(session: Session, caller: Caller, evidence_id: int) -> list[AttachedFile]:
    stmt = _attached_stmt(caller).where(EvidenceAttachment.evidence_id == evidence_id)
    return [AttachedFile(*row) for row in session.execute(stmt.order_by(EvidenceAttachment.id))]


def every_evidence(session: Session) -> Iterator[tuple[int, str, int]]:
    """(id, sha256, size) of every stored file, by id."""
    stmt = select(Evidence.id, Evidence.sha256, Evidence.size).order_by(Evidence.id)
    for row in session.execute(stmt).all():
        yield row[0], row[1], row[2]
