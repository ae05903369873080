"""The private check as stored: its keys (sealed), the keyed set of each, and how far the
follow job has read the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tipline.db import Base
from tipline.db_types import BigId, UtcDateTime, utc_now

# A key's states: its set is being built, it answers checks, or it was replaced.
BUILDING, ACTIVE, RETIRED = "building", "active", "retired"


class PrivateCheckKey(Base):
    """An OPRF key: the scalar sealed with tipline.sealing (a copy of the database alone does
    not give it), its public name, and its state. One key at most is active."""

    __tablename__ = "private_check_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key_id: Mapped[str] = mapped_column(String(32), unique=True)
    sealed_key: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(16), index=True)
    prefix_bits: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    activated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class PrivateCheckEntry(Base):
    """One value of a key's set: its bucket, tag and sealed verdict (never the value). Read by
    (key, bucket) for each check; `last_seen` (the indicator's) decides when it expires."""

    __tablename__ = "private_check_entry"
    __table_args__ = (
        Index("ix_private_check_entry_bucket", "key_pk", "bucket"),
        Index("ix_private_check_entry_last_seen", "key_pk", "last_seen"),
    )

    key_pk: Mapped[int] = mapped_column(
        Integer, ForeignKey("private_check_key.id", ondelete="CASCADE"), primary_key=True
    )
    indicator_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    bucket: Mapped[int] = mapped_column(Integer)
    tag: Mapped[bytes] = mapped_column(LargeBinary(16))
    sealed: Mapped[bytes] = mapped_column(LargeBinary(500))
    last_seen: Mapped[datetime] = mapped_column(UtcDateTime)
    # The entry as an answer lists it (core.answer_json); None for an entry saved before this
    # was (migration 0038): the next save of it (the follow job's sweep, a build) writes it.
    answer_json: Mapped[str | None] = mapped_column(Text)


class PrivateCheckFollow(Base):
    """How far the follow job has read (one row): reports filed and reviews and corrections made
    since these moments, listings and indicators after these ids, and where the slow sweep of
    every indicator stands."""

    __tablename__ = "private_check_follow"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    changes_since: Mapped[datetime] = mapped_column(UtcDateTime)
    indicator_after: Mapped[int] = mapped_column(BigId, default=0)
    source_after: Mapped[int] = mapped_column(BigId, default=0)
    sweep_after: Mapped[int] = mapped_column(BigId, default=0)
    followed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
