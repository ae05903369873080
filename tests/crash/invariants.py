"""What must hold in a tipline killed at any moment: read from its database and evidence folder
while it is down. Each check gives the problems it found (an empty list when it holds)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session
from tests.crash.clients import Acknowledged

from tipline.audit.models import AuditEntry
from tipline.audit.service import verify_log
from tipline.evidence.models import CustodyEntry, Evidence, EvidenceAttachment
from tipline.evidence.store import EvidenceStore
from tipline.html import csrf
from tipline.html.sealed import unseal
from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.reports.models import Report
from tipline.web.holding import HOLD_SECONDS, HOLDER_COOKIE
from tipline.workspace.models import ReportNote


def links_of(session: Session, codes: list[str]) -> dict[str, set[tuple[str, str]]]:
    """The (kind, value) of each report's indicators, by code (every code asked for)."""
    found: dict[str, set[tuple[str, str]]] = {code: set() for code in codes}
    query = (
        select(Report.code, IndicatorRecord.kind, IndicatorRecord.value)
        .join(ReportIndicator, ReportIndicator.report_id == Report.id)
        .join(IndicatorRecord, IndicatorRecord.id == ReportIndicator.indicator_id)
        .where(Report.code.in_(codes))
    )
    for code, kind, value in session.execute(query):
        found[code].add((kind, value))
    return found


def acknowledged_reports(session: Session, ack: Acknowledged) -> list[str]:
    """Every report the API acknowledged is stored, with the indicators its receipt named."""
    stored = links_of(session, list(ack.reports))
    codes = set(session.scalars(select(Report.code).where(Report.code.in_(list(ack.reports)))))
    problems = [
        f"acknowledged report {code} is missing" for code in ack.reports if code not in codes
    ]
    return problems + [
        f"report {code} has indicators {sorted(stored[code])}, its receipt {sorted(named)}"
        for code, named in ack.reports.items()
        if code in codes and not named <= stored[code]
    ]


def page_codes(data_dir: Path, ack: Acknowledged) -> dict[str, str]:
    """The code in each receipt cookie the page answered with: its file's SHA-256."""
    key = csrf.signing_key(None, data_dir)
    codes = {}
    for cookie, sha256 in ack.page_cookies.items():
        held = unseal(key, "report-holder", cookie, HOLD_SECONDS)
        assert held is not None, f"a {HOLDER_COOKIE} cookie the server sealed does not unseal"
        codes[held["c"]] = sha256
    return codes


def attached(session: Session) -> set[tuple[int, str, str]]:
    """(report id, report code, file's SHA-256) of every file attached to a report."""
    query = (
        select(Report.id, Report.code, Evidence.sha256)
        .join(EvidenceAttachment, EvidenceAttachment.report_id == Report.id)
        .join(Evidence, Evidence.id == EvidenceAttachment.evidence_id)
    )
    return {(int(i), c, s) for i, c, s in session.execute(query)}


def acknowledged_files(session: Session, data_dir: Path, ack: Acknowledged) -> list[str]:
    """Every report filed from the page is stored with its file; every file uploaded, attached."""
    files = attached(session)
    by_code = {(code, sha) for _, code, sha in files}
    by_id = {(ident, sha) for ident, _, sha in files}
    return [
        f"page report {code} is missing or lacks its file"
        for code, sha in page_codes(data_dir, ack).items()
        if (code, sha) not in by_code
    ] + [f"uploaded file {sha} of report {ident} is missing" for ident, sha in ack.evidence - by_id]


def page_reports_have_files(session: Session) -> list[str]:
    """Every report filed from the page has its file (each such filing in the test sends one):
    not a report whose files a crash cut off."""
    with_files = select(EvidenceAttachment.report_id).where(
        EvidenceAttachment.report_id == Report.id
    )
    bare = session.scalars(select(Report.code).where(Report.channel == "web", ~exists(with_files)))
    return [f"page report {code} was stored without its file" for code in bare]


def acknowledged_notes_and_bulk(session: Session, ack: Acknowledged) -> list[str]:
    """Every acknowledged note is stored with its audit entry; every bulk row with its code."""
    notes = set(session.scalars(select(ReportNote.id).where(ReportNote.id.in_(ack.notes))))
    audited = {
        json.loads(details).get("note_id")
        for details in session.scalars(
            select(AuditEntry.details_json).where(AuditEntry.action == "report.note")
        )
    }
    query = select(Report.external_id, Report.code).where(Report.external_id.in_(list(ack.bulk)))
    codes = {str(external_id): code for external_id, code in session.execute(query)}
    return (
        [f"acknowledged note {n} is missing" for n in ack.notes - notes]
        + [f"note {n} has no audit entry" for n in notes - audited]
        + [
            f"bulk row {ext} is stored as {codes.get(ext)}, acknowledged as {code}"
            for ext, code in ack.bulk.items()
            if codes.get(ext) != code
        ]
    )


def whole_reports(session: Session) -> list[str]:
    """No report without its triage and its indicators, and indicator counts that add up."""
    unread = session.scalar(
        select(func.count()).where(
            (Report.category == "") | (Report.urgency == "") | (Report.language == "")
        )
    )
    unlinked = session.scalars(
        select(Report.code).where(~exists().where(ReportIndicator.report_id == Report.id))
    ).all()
    linked = session.scalar(select(func.count()).select_from(ReportIndicator)) or 0
    counted = session.scalar(select(func.sum(IndicatorRecord.report_count))) or 0
    problems = [f"report {code} has no indicator (each named one)" for code in unlinked]
    if unread:
        problems.append(f"{unread} reports lack their triage")
    if linked != counted:
        problems.append(f"{linked} report-indicator links but report counts add to {counted}")
    return problems


def whole_evidence(session: Session, store: EvidenceStore) -> list[str]:
    """Each evidence row has its file (hashing to it), an attachment and a custody entry."""
    problems = []
    rows = session.execute(select(Evidence.id, Evidence.sha256)).all()
    attachments = set(session.scalars(select(EvidenceAttachment.evidence_id)))
    received = set(
        session.scalars(select(CustodyEntry.evidence_id).where(CustodyEntry.action == "received"))
    )
    for ident, sha256 in rows:
        if (problem := store.check(sha256)) is not None:
            problems.append(f"evidence {ident}: {problem}")
        if ident not in attachments or ident not in received:
            problems.append(f"evidence {ident} lacks its attachment or its custody entry")
    return problems


def orphan_files(session: Session, store: EvidenceStore) -> list[Path]:
    """Files in the store with no evidence row (and unfinished uploads)."""
    known = {store.path_for(sha) for sha in session.scalars(select(Evidence.sha256))}
    return [path for path in store.stored_files() if path not in known]


def audit_chain(session: Session) -> list[str]:
    result = verify_log(session)
    return [] if result.intact else [f"audit chain broken: {result.message}"]


def everything(session: Session, data_dir: Path, ack: Acknowledged) -> list[str]:
    """Every check above, on the database `session` reads and the store in `data_dir`."""
    store = EvidenceStore(data_dir)
    return [
        *acknowledged_reports(session, ack),
        *acknowledged_files(session, data_dir, ack),
        *page_reports_have_files(session),
        *acknowledged_notes_and_bulk(session, ack),
        *whole_reports(session),
        *whole_evidence(session, store),
        *audit_chain(session),
    ]
