"""What analysts add to a report: notes and status changes; the queue's indexes. (Their
reviews of a report's indicators are `tipline.indicators.models.IndicatorReview`.)

The narrative's full-text index is not a model: on SQLite it is an FTS5 table (`report_fts`,
kept in step with `report` by triggers), on PostgreSQL a GIN index over
`to_tsvector('simple', narrative)`. Migration 0005 makes both; `is_search_object` tells the
model comparison to leave them alone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from tipline.db import Base
from tipline.db_types import BigId, EncryptedText, UtcDateTime, utc_now
from tipline.reports.models import Report

SEARCH_TABLE = "report_fts"
SEARCH_INDEX = "ix_report_narrative_search"
# FTS5's own tables behind `report_fts`.
_SEARCH_SHADOWS = ("_data", "_idx", "_docsize", "_config", "_content")

# The queue's orders, alone and after each common filter: every page is a range scan of one of
# these, however many reports there are. By urgency (the default): the urgency, then a child at
# risk or a risk to life, then oldest first; by age: oldest (or newest) first; by loss: largest
# first; "mine": the caller's reports by urgency.
_BY_URGENCY = (Report.urgency_rank, Report.risk_rank, Report.created_at, Report.id)
QUEUE_INDEXES = (
    Index("ix_report_queue", *_BY_URGENCY),
    Index("ix_report_queue_status", Report.status, *_BY_URGENCY),
    Index("ix_report_queue_category", Report.category, *_BY_URGENCY),
    Index("ix_report_queue_province", Report.province, *_BY_URGENCY),
    Index("ix_report_queue_assignee", Report.assignee, *_BY_URGENCY),
    Index("ix_report_queue_age", Report.created_at, Report.id),
    Index("ix_report_queue_loss", Report.loss_amount, Report.id),
)


def is_search_object(name: str | None) -> bool:
    """True for the full-text tables and index that migration 0005 makes by hand."""
    if name is None:
        return False
    return name == SEARCH_INDEX or name in {
        SEARCH_TABLE,
        *(SEARCH_TABLE + s for s in _SEARCH_SHADOWS),
    }


class ReportNote(Base):
    """A note an analyst wrote on a report."""

    __tablename__ = "report_note"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("report.id", ondelete="CASCADE"), index=True
    )
    author: Mapped[str] = mapped_column(String(200))  # the actor, e.g. "analyst:lan"
    # Encrypted at rest (tipline.keyring): the victim's own messages from the follow page are
    # notes too, and an analyst's note can quote her.
    text: Mapped[str] = mapped_column(EncryptedText("report_note.text"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class ReportStatusChange(Base):
    """One change of a report's status, by whom and when."""

    __tablename__ = "report_status_change"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("report.id", ondelete="CASCADE"), index=True
    )
    previous_status: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
