"""The audit API's shapes: entries of the log, a keyset page of them, the chain's verification."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class AuditEntryRead(BaseModel):
    sequence: int
    recorded_at: datetime
    actor: str
    action: str
    target_type: str
    target_id: str
    details: Any
    previous_hash: str
    entry_hash: str


class AuditPageRead(BaseModel):
    """Entries newest first; pass `next_cursor` back as `cursor` for the older ones."""

    items: list[AuditEntryRead]
    next_cursor: str | None


class ChainStatusRead(BaseModel):
    """Whether the hash chain is intact and, if not, the first entry found wrong and why."""

    intact: bool
    checked: int
    last_sequence: int
    last_hash: str
    problem: str | None
    sequence: int | None
    message: str
