"""Alerts as stored: the working copy an analyst edits, the published snapshot the public reads,
and the published indicators the check looks up."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from tipline.db import Base
from tipline.db_types import BigId, UtcDateTime

ACTOR_LENGTH = 200


class Alert(Base):
    """One public warning about one campaign.

    `status` is its life: draft → in_review → published → withdrawn. The text fields and
    `indicators` are the working copy; `public` is the copy the public reads (None until the
    first publication), replaced only when a supervisor publishes a reviewed change. `pending`
    says whether a published alert has a change waiting: None, `draft` or `in_review`.
    `report_count` and `last_report_at` are the campaign's, refreshed by themselves.
    """

    __tablename__ = "alert"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    uid: Mapped[UUID] = mapped_column(Uuid, unique=True)
    campaign_uid: Mapped[UUID] = mapped_column(Uuid, index=True)
    category: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16), index=True)
    pending: Mapped[str | None] = mapped_column(String(16))
    texts: Mapped[dict[str, Any]] = mapped_column(JSON)  # {"vi": {"title": …}, "en": {…}}
    indicators: Mapped[list[dict[str, str]]] = mapped_column(JSON)  # [{"kind", "value"}]
    public: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=0)
    report_count: Mapped[int] = mapped_column(Integer, default=0)
    last_report_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    author: Mapped[str] = mapped_column(String(ACTOR_LENGTH))
    editor: Mapped[str] = mapped_column(String(ACTOR_LENGTH))
    reviewer: Mapped[str | None] = mapped_column(String(ACTOR_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class AlertIndicator(Base):
    """A value a published alert names: the check finds alerts by it."""

    __tablename__ = "alert_indicator"
    __table_args__ = (Index("ix_alert_indicator_kind_value", "kind", "value"),)

    alert_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("alert.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(2000), primary_key=True)
