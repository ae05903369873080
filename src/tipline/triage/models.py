"""Analysts' corrections of triage, kept as training data.

The narrative is not copied here: it lives in the report, and training reads it from there.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from tipline.db import Base
from tipline.db_types import BigId, UtcDateTime, utc_now


class TriageCorrection(Base):
    """An analyst overruling triage's category or urgency of one report."""

    __tablename__ = "triage_correction"
    __table_args__ = (Index("ix_triage_correction_report_id", "report_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(BigId, ForeignKey("report.id", ondelete="CASCADE"))
    previous_category: Mapped[str] = mapped_column(String(40))
    previous_urgency: Mapped[str] = mapped_column(String(16))
    corrected_category: Mapped[str] = mapped_column(String(40))
    corrected_urgency: Mapped[str] = mapped_column(String(16))
    analyst: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    def __repr__(self) -> str:
        return (
            f"TriageCorrection(id={self.id!r}, report_id={self.report_id!r}, "
            f"{self.previous_category}/{self.previous_urgency} -> "
            f"{self.corrected_category}/{self.corrected_urgency})"
        )
