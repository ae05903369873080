"""Hash banks as stored: a bank (known abuse images, victims' own photos), who may match
against it, and its hashes.

No image is ever stored here: a bank holds hashes only (PDQ, MD5, SHA-256). A hash that is
removed (a victim withdraws her consent, an analyst takes a wrong one out, the bank's retention
runs out) keeps its row with `removed_at` set and its value erased, so that it can never match
again and an index of PDQ rows (tipline.media.matching) learns of the removal by its id.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tipline.db import Base
from tipline.db_types import BigId, UtcDateTime, utc_now


class Bank(Base):
    """One bank of hashes ("CSAM known", "NCII reported by victims").

    `kind` (tipline.media.core.BANK_KINDS): a match against a `child` bank raises a report to
    critical. `owner` names who runs the bank; `owner_organisation_id`, when set, is an
    organisation whose users may match against it (as if granted). `tlp` (tipline.sharing.tlp)
    bounds where its hashes may be exported. `retention_days`: a hash older than this is
    removed (None: kept until removed).
    """

    __tablename__ = "media_bank"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    owner: Mapped[str] = mapped_column(String(200))
    owner_organisation_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("organisation.id", ondelete="SET NULL")
    )
    provenance: Mapped[str] = mapped_column(Text, default="")
    tlp: Mapped[str] = mapped_column(String(16), default="amber")
    retention_days: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    def __repr__(self) -> str:
        return f"Bank(id={self.id!r}, name={self.name!r}, kind={self.kind!r})"


class BankAccess(Base):
    """One organisation (a platform's users and tokens) or one partner agency that may match
    against a bank. Staff always may; nobody else unless named here (or the owner)."""

    __tablename__ = "media_bank_access"
    __table_args__ = (
        UniqueConstraint("bank_id", "organisation_id", name="uq_media_bank_access_organisation"),
        UniqueConstraint("bank_id", "partner_id", name="uq_media_bank_access_partner"),
        Index("ix_media_bank_access_organisation", "organisation_id", "bank_id"),
        Index("ix_media_bank_access_partner", "partner_id", "bank_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    bank_id: Mapped[int] = mapped_column(BigId, ForeignKey("media_bank.id", ondelete="CASCADE"))
    organisation_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("organisation.id", ondelete="CASCADE")
    )
    partner_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("partner.id", ondelete="CASCADE")
    )
    granted_by: Mapped[str] = mapped_column(String(200))
    granted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class BankHash(Base):
    """One hash of a bank: its signal type (`pdq`, `md5`, `sha256`), canonical value (lower-case
    hex), PDQ's quality (0-100), where it came from, when it was added and removed.

    `receipt_hash` is the SHA-256 of the receipt code a victim was given when she submitted her
    own photo's hashes (never the code itself): she withdraws them with it.
    """

    __tablename__ = "media_hash"
    # Exact matching looks a value up by (signal, value); the brute-force PDQ matcher and an
    # index rebuild read one bank's live rows of one signal in id order.
    __table_args__ = (
        Index("ix_media_hash_signal_value", "signal", "value"),
        Index("ix_media_hash_bank_signal", "bank_id", "signal", "id"),
        Index("ix_media_hash_receipt", "receipt_hash"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    bank_id: Mapped[int] = mapped_column(BigId, ForeignKey("media_bank.id", ondelete="CASCADE"))
    signal: Mapped[str] = mapped_column(String(8))
    value: Mapped[str] = mapped_column(String(64))  # "" once removed
    quality: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(200), default="")
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    removed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    receipt_hash: Mapped[str | None] = mapped_column(String(64))
