"""Campaigns as stored: each report's campaign, the campaigns' stable identifiers, and the
indicators flagged as hubs."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from tipline.campaigns.naming import NAME_LENGTH
from tipline.db import Base
from tipline.db_types import BigId, UtcDateTime


class CampaignReport(Base):
    """The campaign of one report: `campaign_id` is the smallest report id of the campaign."""

    __tablename__ = "campaign_report"

    report_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("report.id", ondelete="CASCADE"), primary_key=True
    )
    campaign_id: Mapped[int] = mapped_column(BigId, index=True)


class CampaignHub(Base):
    """An indicator named by too many reports to link them (see `tipline.campaigns.core`)."""

    __tablename__ = "campaign_hub"

    indicator_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True
    )
    report_count: Mapped[int] = mapped_column(Integer)
    flagged_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Campaign(Base):
    """A campaign's public identifier (`uid`), which survives merges and splits.

    `label` is the campaign's current internal label (`CampaignReport.campaign_id`); a retired
    identifier has none, and `merged_into` names the identifier that took over its reports
    (always a current one: chains are collapsed). A lone report has none until another report
    joins it. See `tipline.campaigns.identity`.
    """

    __tablename__ = "campaign"

    uid: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    label: Mapped[int | None] = mapped_column(BigId, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    merged_into: Mapped[UUID | None] = mapped_column(Uuid, index=True)
    # What analysts call it ("Fake VCB refund calls, Hà Nội"); None: the suggested name is shown.
    name: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
