"""The feed as stored: one row per indicator that was ever in it, at its latest state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tipline.db import Base
from tipline.db_types import BigId, UtcDateTime
from tipline.indicators.models import MAX_VALUE_LENGTH


class FeedEntry(Base):
    """An indicator as the feed last said it: present (with its categories, confidence and TLP)
    or removed (with why).

    `seq` is the number of its latest change, unique and growing: a pull since a cursor reads
    the entries whose `seq` is after it. No foreign key to `indicator`: an entry outlives its
    indicator, to tell the feed's readers it is gone. `value` is never served for a removal.
    """

    __tablename__ = "feed_entry"
    __table_args__ = (Index("ix_feed_entry_seq", "seq", unique=True),)

    indicator_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(MAX_VALUE_LENGTH))
    # Its STIX indicator's id (tipline.sharing.stix.indicator_id), or None where STIX cannot
    # carry the value: a removal's STIX object is named by it, without reading the value.
    stix_id: Mapped[str | None] = mapped_column(String(120))
    # While present, its STIX indicator as written when it last changed, but for the creator
    # and the reader's categories (tipline.feeds.formats.stix_template); "" where STIX cannot
    # carry the value; None while removed, or not yet written (the next refresh writes it).
    stix_body: Mapped[str | None] = mapped_column(Text)
    present: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(String(16))  # why not present
    category_mask: Mapped[int] = mapped_column(Integer)  # tipline.sharing.policy
    confidence: Mapped[int] = mapped_column(Integer)
    # Every category it had, and its highest confidence, while present: a removal goes to the
    # readers whose filters it may have matched, and to no one else.
    shown_mask: Mapped[int] = mapped_column(Integer)
    peak_confidence: Mapped[int] = mapped_column(Integer)
    tlp: Mapped[str] = mapped_column(String(16))
    first_seen: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen: Mapped[datetime] = mapped_column(UtcDateTime)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)  # first in the feed
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"))

    def __repr__(self) -> str:  # never the value
        return f"FeedEntry({self.indicator_id}, {self.kind}, present={self.present})"
