"""Audit use cases: record what someone did, and check that the log was not tampered with."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from tipline.audit import repository
from tipline.audit.core import AuditRecord, ChainPoint, VerifyResult, next_entry, verify
from tipline.audit.repository import EntryFilter
from tipline.audit.schemas import AuditEntryRead, AuditPageRead, ChainStatusRead
from tipline.cursors import make_cursor, read_cursor
from tipline.db_types import utc_now


def record(
    session: Session,
    actor: str,
    action: str,
    target_type: str,
    target_id: str | int,
    details: Mapping[str, Any] | None = None,
    *,
    now: datetime | None = None,
) -> AuditRecord:
    """Append one entry to the audit log, inside the caller's transaction.

    `details` says what changed (ids, statuses, field names), never a narrative or a contact.
    The chain's end stays locked until the caller's transaction ends.
    """
    repository.lock_chain_end(session)
    entry = next_entry(
        repository.chain_end(session),
        recorded_at=now or utc_now(),
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        details=details or {},
    )
    repository.add_entry(session, entry)
    return entry


def verify_log(session: Session, head: ChainPoint | None = None) -> VerifyResult:
    """Walk the whole log in sequence order and say whether (and where) it was tampered with."""
    return verify(repository.records_in_order(session), head=head)


def audit_page(session: Session, flt: EntryFilter, cursor: str | None, size: int) -> AuditPageRead:
    """One page of the log's entries matching `flt`, newest first (the cursor is opaque)."""
    before = read_cursor(cursor)[1] if cursor else None
    records = repository.newest_records(session, flt, before, size + 1)
    shown = records[:size]
    more = len(records) > size
    return AuditPageRead(
        items=[_entry_read(r) for r in shown],
        next_cursor=make_cursor("before", shown[-1].sequence) if more else None,
    )


def _entry_read(record: AuditRecord) -> AuditEntryRead:
    fields = {name: getattr(record, name) for name in AuditEntryRead.model_fields}
    return AuditEntryRead.model_validate(fields)


def chain_status(session: Session) -> ChainStatusRead:
    """The verification of the whole chain, as `tipline audit verify` does it."""
    result = verify_log(session)
    return ChainStatusRead(
        intact=result.intact, checked=result.checked, last_sequence=result.last.sequence,
        last_hash=result.last.entry_hash,
        problem=None if result.problem is None else result.problem.value,
        sequence=result.sequence, message=result.message,
    )  # fmt: skip
