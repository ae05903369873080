"""Scripts as stored: each report's script id, and each script's size and k-anonymous label.

No narrative text, vector or centroid is stored: a clustering run reads the narratives it needs
(decrypted in its own process) and keeps only which script each report is in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from tipline.db import Base
from tipline.db_types import BigId, UtcDateTime


class Script(Base):
    """One script (a cluster of similar narratives); `words` meet `ScriptRule.label_reports`."""

    __tablename__ = "trend_script"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    words: Mapped[list[str]] = mapped_column(JSON)
    reports: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ReportScript(Base):
    """The script of one report."""

    __tablename__ = "report_script"

    report_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("report.id", ondelete="CASCADE"), primary_key=True
    )
    script_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("trend_script.id", ondelete="CASCADE"), index=True
    )
