"""The statements of a purge: what each data class holds past its cutoff, and removing it.

Every read and write here runs in the purge's one transaction; a report in a case, and the
evidence of a case or of such a report, never match (see `tipline.retention.core`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, delete, exists, func, or_, select, text, type_coerce, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from tipline.cases.models import CaseReport
from tipline.evidence.models import CustodyEntry, Evidence, EvidenceAttachment
from tipline.media.models import BankHash
from tipline.orgrequests.core import RequestStatus
from tipline.orgrequests.models import OrgRequest, OrgRequestFile
from tipline.reports.models import Report

IN_CHUNK = 500
CLOSED = (RequestStatus.ANSWERED.value, RequestStatus.CANCELLED.value)


def _unheld_report(cutoff: datetime) -> ColumnElement[bool]:
    held = exists().where(CaseReport.report_id == Report.id)
    return (Report.created_at < cutoff) & ~held


def _count(session: Session, model: type, condition: ColumnElement[bool]) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(condition)) or 0)


# The narrative as stored: encrypted (tipline.keyring), except a purged one, stored as a plain
# "" (which reads as ""), so that SQL can tell it apart.
_STORED_NARRATIVE = type_coerce(Report.narrative, Text)


def _narratives(cutoff: datetime) -> ColumnElement[bool]:
    return _unheld_report(cutoff) & (_STORED_NARRATIVE != "")


def _contacts(cutoff: datetime) -> ColumnElement[bool]:
    return _unheld_report(cutoff) & Report.reporter_contact.is_not(None)


def count_narratives(session: Session, cutoff: datetime) -> int:
    return _count(session, Report, _narratives(cutoff))


def clear_narratives(session: Session, cutoff: datetime) -> int:
    """Empty the narratives of reports older than `cutoff`, and their search terms (the
    full-text index follows by trigger on SQLite, by its expression on PostgreSQL)."""
    emptied = {Report.narrative: type_coerce("", Text), Report.search_terms: ""}
    result = session.execute(update(Report).where(_narratives(cutoff)).values(emptied))
    return int(result.rowcount)  # type: ignore[attr-defined]


def count_contacts(session: Session, cutoff: datetime) -> int:
    return _count(session, Report, _contacts(cutoff))


def clear_contacts(session: Session, cutoff: datetime) -> int:
    result = session.execute(update(Report).where(_contacts(cutoff)).values(reporter_contact=None))
    return int(result.rowcount)  # type: ignore[attr-defined]


def _evidence(cutoff: datetime) -> ColumnElement[bool]:
    in_case = exists().where(
        EvidenceAttachment.evidence_id == Evidence.id,
        or_(
            EvidenceAttachment.case_id.is_not(None),
            EvidenceAttachment.report_id.in_(select(CaseReport.report_id)),
        ),
    )
    answer_file = exists().where(OrgRequestFile.evidence_id == Evidence.id)
    return (Evidence.uploaded_at < cutoff) & ~in_case & ~answer_file


def expired_evidence(session: Session, cutoff: datetime) -> list[tuple[int, str]]:
    """(id, sha256) of each evidence file past its cutoff that no case holds."""
    statement = select(Evidence.id, Evidence.sha256).where(_evidence(cutoff)).order_by(Evidence.id)
    return [(row.id, row.sha256) for row in session.execute(statement)]


def delete_evidence(session: Session, ids: list[int]) -> None:
    """Delete evidence rows with their attachments and chain of custody."""
    for start in range(0, len(ids), IN_CHUNK):
        chunk = ids[start : start + IN_CHUNK]
        session.execute(delete(EvidenceAttachment).where(EvidenceAttachment.evidence_id.in_(chunk)))
        session.execute(delete(CustodyEntry).where(CustodyEntry.evidence_id.in_(chunk)))
        session.execute(delete(Evidence).where(Evidence.id.in_(chunk)))


def count_hashes(session: Session, cutoff: datetime) -> int:
    return _count(session, BankHash, (BankHash.added_at < cutoff) & BankHash.removed_at.is_(None))


def _requests(cutoff: datetime) -> ColumnElement[bool]:
    closed_at = func.coalesce(OrgRequest.answered_at, OrgRequest.created_at)
    return OrgRequest.status.in_(CLOSED) & (closed_at < cutoff)


def count_requests(session: Session, cutoff: datetime) -> int:
    return _count(session, OrgRequest, _requests(cutoff))


def delete_requests(session: Session, cutoff: datetime) -> int:
    """Delete closed requests past the cutoff (lines, history, deliveries, file links follow)."""
    result = session.execute(delete(OrgRequest).where(_requests(cutoff)))
    return int(result.rowcount)  # type: ignore[attr-defined]


def secure_delete(session: Session) -> None:
    """SQLite: overwrite what this connection deletes with zeros, not just unlink it. (Debian's
    SQLite is built with it on by default, SQLITE_SECURE_DELETE; this is for other builds, and
    is left on: it is never turned off where it was the default.)"""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA secure_delete = ON"))


def compact(session: Session, narratives_cleared: bool) -> None:
    """After a purge's commit, leave no copy of what went in the database's files.

    SQLite: merge the full-text index into one segment (the emptied narratives' terms leave
    it; the freed pages are zeroed under `secure_delete`), then copy the WAL into the database
    and truncate it (it holds the pages as they were before). PostgreSQL: VACUUM the tables a
    purge changes, so the old row versions and their index entries are reclaimed.
    """
    if session.get_bind().dialect.name == "sqlite":
        if narratives_cleared:
            session.execute(text("INSERT INTO report_fts(report_fts) VALUES ('optimize')"))
            session.commit()
        session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        return
    session.close()
    with session.get_bind().engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        for table in ("report", "evidence", "evidence_attachment", "evidence_custody",
                      "media_hash", "org_request"):  # fmt: skip
            connection.execute(text(f"VACUUM {table}"))
