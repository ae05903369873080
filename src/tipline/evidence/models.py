"""Evidence as stored: one row per distinct file (its SHA-256), where it is attached, and its
chain of custody. The bytes live outside the database (see `tipline.evidence.store`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from tipline.db import Base
from tipline.db_types import BigId, EncryptedText, UtcDateTime, utc_now


class Evidence(Base):
    """A distinct file: the same content uploaded twice is one row (and one stored file)."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(100))
    # File names can name the victim: encrypted at rest, as her narrative (tipline.keyring).
    original_name: Mapped[str] = mapped_column(EncryptedText("evidence.original_name", 255))
    uploaded_by: Mapped[str] = mapped_column(String(200))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class EvidenceAttachment(Base):
    """A file attached to exactly one report or one case, under the name it was uploaded as."""

    __tablename__ = "evidence_attachment"
    __table_args__ = (
        CheckConstraint("(report_id IS NULL) <> (case_id IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    evidence_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("evidence.id", ondelete="CASCADE"), index=True
    )
    report_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("report.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("case_file.id", ondelete="CASCADE"), index=True
    )
    file_name: Mapped[str] = mapped_column(EncryptedText("evidence_attachment.file_name", 255))
    attached_by: Mapped[str] = mapped_column(String(200))
    attached_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class CustodyEntry(Base):
    """One link of a file's chain of custody: who did what with it, when. Never updated."""

    __tablename__ = "evidence_custody"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    evidence_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("evidence.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
