"""The status of each envelope POSTed to a writable collection (TAXII's status resource)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tipline.db import Base
from tipline.db_types import BigId, UtcDateTime

STATUS_ID_LENGTH = 36


class TaxiiStatus(Base):
    """One POSTed envelope: its counts and, as JSON (`outcomes`), the successes and failures of
    its objects by STIX id and version (never an object's content). Read back by the user who
    posted it, its partner agency's other users, and staff."""

    __tablename__ = "taxii_status"

    id: Mapped[str] = mapped_column(String(STATUS_ID_LENGTH), primary_key=True)  # a UUID
    user_id: Mapped[int] = mapped_column(BigId)
    partner_id: Mapped[int | None] = mapped_column(BigId)
    collection_id: Mapped[str] = mapped_column(String(STATUS_ID_LENGTH))
    status: Mapped[str] = mapped_column(String(16))  # "complete" or "pending"
    request_timestamp: Mapped[datetime] = mapped_column(UtcDateTime)
    total_count: Mapped[int] = mapped_column(Integer)
    success_count: Mapped[int] = mapped_column(Integer)
    failure_count: Mapped[int] = mapped_column(Integer)
    pending_count: Mapped[int] = mapped_column(Integer)
    outcomes: Mapped[str] = mapped_column(Text)  # {"successes": [...], "failures": [...]}

    def __repr__(self) -> str:
        return f"TaxiiStatus({self.id}, {self.status})"
