"""Audit use cases: record what someone did, and check that the log was not tampered with."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from tipline.audit import repository
from tipline.audit.core import AuditRecord, ChainPoint, VerifyResult, next_entry, verify
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
