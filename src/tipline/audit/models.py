"""The audit log as stored: one row per entry, keyed by its sequence number."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tipline.db import Base
from tipline.db_types import BigId, UtcDateTime


class AuditEntry(Base):
    """One entry of the hash chain (`tipline.audit.core`). Rows are never updated or deleted.

    The sequence number is the primary key, so two writers that raced past the lock could not
    both append entry n: one of them fails instead of forking the chain.
    """

    __tablename__ = "audit_entry"

    sequence: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str] = mapped_column(String(64))
    target_id: Mapped[str] = mapped_column(String(200))
    # Canonical JSON text, kept as text so that re-reading it gives back the hashed bytes.
    details_json: Mapped[str] = mapped_column(Text)
    previous_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)

    def __repr__(self) -> str:
        return f"AuditEntry({self.sequence}, {self.action!r}, {self.target_type}:{self.target_id})"
