"""Cases as stored: the case, the reports and campaigns it groups, and its notes."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from tipline.db import Base
from tipline.db_types import BigId, UtcDateTime, utc_now


class Case(Base):
    """One case. Its reference (`CASE-2026-0001`) is its year and its number in that year.

    The assignee and the creator are names, not keys: accounts come and go, a case stays.
    """

    __tablename__ = "case_file"
    __table_args__ = (UniqueConstraint("year", "number"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    assignee: Mapped[str | None] = mapped_column(String(100), index=True)
    deadline: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    def __repr__(self) -> str:
        return f"Case(id={self.id!r}, {self.year}-{self.number}, status={self.status!r})"


class CaseReport(Base):
    __tablename__ = "case_report"

    case_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("case_file.id", ondelete="CASCADE"), primary_key=True
    )
    report_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("report.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class CaseCampaign(Base):
    """A campaign in a case, by its stable identifier (`Campaign.uid`).

    The identifier moves with the campaign (`tipline.campaigns.identity`): through a split it
    stays with the part holding most of the reports, and an identifier retired by a merge
    names the campaign that absorbed it. So the case follows its campaign without being
    written to when campaigns change. A campaign row is never deleted while a case names it.
    """

    __tablename__ = "case_campaign"

    case_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("case_file.id", ondelete="CASCADE"), primary_key=True
    )
    campaign_uid: Mapped[UUID] = mapped_column(
        Uuid, ForeignKey("campaign.uid"), primary_key=True, index=True
    )
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class CaseNote(Base):
    __tablename__ = "case_note"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("case_file.id", ondelete="CASCADE"), index=True
    )
    author: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
