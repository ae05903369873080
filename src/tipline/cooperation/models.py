"""Cooperation requests as stored: the request, what it is linked to, and its history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from tipline.db import Base
from tipline.db_types import BigId, UtcDateTime, utc_now


class CooperationRequest(Base):
    """A request sent to, or received from, a partner agency abroad.

    `data_requested`: what is asked for, as structured lines (accounts, numbers, domains, a time
    range), never a victim's data unless an analyst selected it. `deadline`: when an answer is
    due; `preserved_until`: when a preservation lapses unless extended (reminders before).
    """

    __tablename__ = "cooperation_request"
    __table_args__ = (Index("ix_cooperation_request_status_deadline", "status", "deadline"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    direction: Mapped[str] = mapped_column(String(16))  # core.DIRECTIONS
    type: Mapped[str] = mapped_column(String(24))  # core.TYPES
    status: Mapped[str] = mapped_column(String(16), default="draft")
    partner_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("partner.id"), index=True)
    requesting_authority: Mapped[str] = mapped_column(String(200))
    requested_authority: Mapped[str] = mapped_column(String(200))
    their_reference: Mapped[str | None] = mapped_column(String(100))
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    offences: Mapped[str] = mapped_column(Text, default="")
    data_requested: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    facts: Mapped[str] = mapped_column(Text, default="")  # the summary of facts, analyst-written
    confidentiality: Mapped[str] = mapped_column(Text, default="")
    data_conditions: Mapped[str] = mapped_column(Text, default="")  # personal-data conditions
    case_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("case_file.id", ondelete="SET NULL")
    )
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    deadline: Mapped[date | None] = mapped_column(Date)
    preserved_until: Mapped[date | None] = mapped_column(Date)
    # The deadline, and the preservation end, the hourly reminder was last given for: one
    # reminder each, again only when an extension or a new deadline moves them.
    reminded_deadline: Mapped[date | None] = mapped_column(Date)
    reminded_lapse: Mapped[date | None] = mapped_column(Date)


class CooperationLink(Base):
    """A report, a campaign or an indicator a request is about (the case is on the request)."""

    __tablename__ = "cooperation_link"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("cooperation_request.id", ondelete="CASCADE"), index=True
    )
    report_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("report.id", ondelete="CASCADE")
    )
    campaign_uid: Mapped[UUID | None] = mapped_column(Uuid)
    indicator_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("indicator.id", ondelete="CASCADE")
    )


class CooperationEvent(Base):
    """A step of a cooperation request, with who and when (every status change)."""

    __tablename__ = "cooperation_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("cooperation_request.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
