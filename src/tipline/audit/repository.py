"""Every query on the audit log: lock the chain's end, read it, append, walk it in order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from tipline.audit.core import GENESIS, AuditRecord, ChainPoint, EntryFilter
from tipline.audit.models import AuditEntry
from tipline.db import serialise_appends

# PostgreSQL advisory lock key of the chain's end ("tipline audit" as a 63-bit number).
CHAIN_LOCK_KEY = 0x7469706C_61756474
PAGE_SIZE = 1000


def lock_chain_end(session: Session) -> None:
    """Hold the chain's end until this transaction ends, so appends happen one after another."""
    serialise_appends(session, CHAIN_LOCK_KEY, cast(Table, AuditEntry.__table__))


def chain_end(session: Session) -> ChainPoint:
    """The last entry's sequence number and hash (the genesis for an empty log)."""
    row = session.execute(
        select(AuditEntry.sequence, AuditEntry.entry_hash)
        .order_by(AuditEntry.sequence.desc())
        .limit(1)
    ).first()
    return GENESIS if row is None else ChainPoint(row.sequence, row.entry_hash)


def add_entry(session: Session, record: AuditRecord) -> AuditEntry:
    entry = AuditEntry(
        sequence=record.sequence,
        recorded_at=record.recorded_at,
        actor=record.actor,
        action=record.action,
        target_type=record.target_type,
        target_id=record.target_id,
        details_json=record.details_json,
        previous_hash=record.previous_hash,
        entry_hash=record.entry_hash,
    )
    session.add(entry)
    session.flush()
    return entry


_RECORD_COLUMNS = (
    AuditEntry.sequence,
    AuditEntry.recorded_at,
    AuditEntry.actor,
    AuditEntry.action,
    AuditEntry.target_type,
    AuditEntry.target_id,
    AuditEntry.details_json,
    AuditEntry.previous_hash,
    AuditEntry.entry_hash,
)


def records_in_order(session: Session, after: int = 0) -> Iterator[AuditRecord]:
    """Every entry after sequence `after`, by sequence number, a page at a time.

    Plain rows, not ORM objects, so that walking a long log fills no identity map.
    """
    while True:
        page = session.execute(
            select(*_RECORD_COLUMNS)
            .where(AuditEntry.sequence > after)
            .order_by(AuditEntry.sequence)
            .limit(PAGE_SIZE)
        ).all()
        for row in page:
            yield AuditRecord(*row)
        if len(page) < PAGE_SIZE:
            return
        after = page[-1].sequence


def newest_records(
    session: Session, flt: EntryFilter, before: int | None, limit: int
) -> list[AuditRecord]:
    """Up to `limit` entries matching `flt`, newest first, older than sequence `before`."""
    stmt = select(*_RECORD_COLUMNS)
    for name in ("actor", "action", "target_type", "target_id"):
        if (value := getattr(flt, name)) is not None:
            stmt = stmt.where(getattr(AuditEntry, name) == value)
    if flt.since is not None:
        stmt = stmt.where(AuditEntry.recorded_at >= flt.since)
    if flt.until is not None:
        stmt = stmt.where(AuditEntry.recorded_at < flt.until)
    if before is not None:
        stmt = stmt.where(AuditEntry.sequence < before)
    rows = session.execute(stmt.order_by(AuditEntry.sequence.desc()).limit(limit))
    return [AuditRecord(*row) for row in rows]
