"""What syncing with partners' TAXII servers keeps: how to reach each server, where each
collection's pull stopped, and which of our objects went to which collection."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from tipline.db import Base
from tipline.db_types import BigId, UtcDateTime

URL_LENGTH = 500
COLLECTION_ID_LENGTH = 200
STIX_ID_LENGTH = 120
NEXT_LENGTH = 1000
REASON_LENGTH = 500


class PartnerEndpoint(Base):
    """A partner's TAXII 2.1 server and how we sign in to it.

    `auth` is `basic` (username and password) or `token` (`Authorization: Token …`); the secret
    (password or token) is sealed with this instance's key (`tipline.sealing`) and
    appears in no repr, log or audit entry.
    """

    __tablename__ = "partner_endpoint"

    partner_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("partner.id", ondelete="CASCADE"), primary_key=True
    )
    url: Mapped[str] = mapped_column(String(URL_LENGTH))  # discovery or an API root
    auth: Mapped[str] = mapped_column(String(8))
    username: Mapped[str] = mapped_column(String(200), default="")
    sealed_secret: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    def __repr__(self) -> str:  # never the secret
        return f"PartnerEndpoint(partner={self.partner_id!r}, url={self.url!r})"


class SyncCursor(Base):
    """Where pulling one collection of a partner stopped.

    `added_last` is the `X-TAXII-Date-Added-Last` of the last page of the last finished run,
    kept as the server wrote it and sent back as `added_after` (None: from the start).
    `next_page` is the `next` of the last page imported by a run that did not finish: the next
    run resumes there, with the same `added_after` (objects added at the same instant may
    straddle a page, so the page's date alone would skip some).
    """

    __tablename__ = "sync_cursor"

    partner_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("partner.id", ondelete="CASCADE"), primary_key=True
    )
    collection_id: Mapped[str] = mapped_column(String(COLLECTION_ID_LENGTH), primary_key=True)
    added_last: Mapped[str | None] = mapped_column(String(40))
    next_page: Mapped[str | None] = mapped_column(String(NEXT_LENGTH))
    pulled: Mapped[int] = mapped_column(Integer, default=0)  # objects taken so far, all syncs
    synced_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PushedObject(Base):
    """One of our published objects, at one version, sent to one collection of a partner:
    accepted, or `rejected` by its server for good (its status listed it as failed, with the
    `reason` it gave). Neither is sent again until a newer version is published."""

    __tablename__ = "pushed_object"

    partner_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("partner.id", ondelete="CASCADE"), primary_key=True
    )
    collection_id: Mapped[str] = mapped_column(String(COLLECTION_ID_LENGTH), primary_key=True)
    stix_id: Mapped[str] = mapped_column(String(STIX_ID_LENGTH), primary_key=True)
    modified: Mapped[datetime] = mapped_column(UtcDateTime)
    pushed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    rejected: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    reason: Mapped[str | None] = mapped_column(String(REASON_LENGTH), nullable=True)
