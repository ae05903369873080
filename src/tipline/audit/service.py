"""Audit use cases: record what someone did, and check that the log was not tampered with."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy.orm import Session, sessionmaker

from tipline.audit import repository
from tipline.audit.anchors import (
    CheckpointFile,
    checkpoint_file,
    key_path,
    load_key,
    load_or_create_key,
)
from tipline.audit.checkpoints import Checkpoint, sign, signature_ok
from tipline.audit.core import (
    GENESIS,
    AuditRecord,
    ChainPoint,
    Problem,
    VerifyResult,
    next_entry,
    verify,
)
from tipline.audit.repository import EntryFilter
from tipline.audit.schemas import AuditEntryRead, AuditPageRead, ChainStatusRead
from tipline.cursors import make_cursor, read_cursor
from tipline.db import transaction
from tipline.db_types import utc_now
from tipline.settings import Settings

log = logging.getLogger("tipline.audit")


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


def write_checkpoint(
    session: Session, key: Ed25519PrivateKey, store: CheckpointFile, now: datetime | None = None
) -> Checkpoint | None:
    """Sign the chain's end and append it to `store`; nothing new when the end has not moved
    since the last checkpoint, nothing at all for an empty log."""
    end = repository.chain_end(session)
    if end == GENESIS:
        return None
    earlier = store.read()
    if earlier and earlier[-1].point == end:
        return earlier[-1]
    checkpoint = sign(key, end, now or utc_now())
    store.append(checkpoint)
    return checkpoint


def verify_anchored(
    session: Session, public_key: Ed25519PublicKey, checkpoints: list[Checkpoint]
) -> VerifyResult:
    """Every checkpoint's signature, then the log against the last one: a cut-off end or a
    consistently rewritten log no longer passes through the signed entry."""
    for number, checkpoint in enumerate(checkpoints, 1):
        if not signature_ok(public_key, checkpoint):
            message = (
                f"checkpoint {number} (entry {checkpoint.sequence}) does not carry this key's "
                "signature: the checkpoint file was edited, or another key signed it"
            )
            return VerifyResult(
                False, 0, GENESIS, Problem.BAD_CHECKPOINT, checkpoint.sequence, message
            )
    if not checkpoints:
        return verify_log(session)
    last = checkpoints[-1]
    records = repository.records_in_order(session)
    return verify(records, head=last.point, head_label=f"checkpoint {len(checkpoints)}")


def checkpoint_now(factory: sessionmaker[Session], settings: Settings) -> Checkpoint | None:
    """Sign the chain's end now with the key and file `settings` name (the key made if new)."""
    with transaction(factory) as session:
        return write_checkpoint(session, load_or_create_key(settings), checkpoint_file(settings))


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
    return _status_read(verify_log(session))


def _status_read(result: VerifyResult) -> ChainStatusRead:
    return ChainStatusRead(
        intact=result.intact, checked=result.checked, last_sequence=result.last.sequence,
        last_hash=result.last.entry_hash,
        problem=None if result.problem is None else result.problem.value,
        sequence=result.sequence, message=result.message,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class ChainOverview:
    """What the audit page says of the chain: verified or broken (against the last signed
    checkpoint when there is one), and that checkpoint."""

    status: ChainStatusRead
    last_checkpoint: Checkpoint | None
    anchored: bool  # verified against the last checkpoint's signature and entry


def chain_overview(session: Session, settings: Settings) -> ChainOverview:
    """The chain verified against its signed checkpoints when the key is there, else alone."""
    checkpoints = checkpoint_file(settings).read()
    anchored = bool(checkpoints) and key_path(settings).exists()
    if anchored:
        public_key = load_key(settings).public_key()
        result = verify_anchored(session, public_key, checkpoints)
    else:
        result = verify_log(session)
    return ChainOverview(_status_read(result), checkpoints[-1] if checkpoints else None, anchored)
