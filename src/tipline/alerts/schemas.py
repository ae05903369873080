"""The alerts API's shapes: a published alert as news sites, banks' apps and partners take it,
a page of them, and an analyst's draft and edit."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field


class AlertText(BaseModel):
    """An alert's words in one language: what the scam looks like and what to do."""

    title: str
    summary: str
    script: str  # how the scam goes, rewritten by an analyst: never a victim's own words
    advice: str


class AlertValue(BaseModel):
    """A value to avoid: a phone number, bank account, link, domain, email, handle or wallet."""

    kind: str
    value: str


class AlertRead(BaseModel):
    """A published alert. `version` grows with each reviewed change; `report_count` (the
    campaign's reports so far) and `last_report_at` refresh by themselves."""

    uid: UUID
    campaign_uid: UUID
    category: str
    version: int
    texts: dict[str, AlertText]  # by language: "vi", "en"
    indicators: list[AlertValue]
    report_count: int
    last_report_at: datetime | None
    published_at: datetime
    updated_at: datetime
    url: str


class AlertPageRead(BaseModel):
    """Published alerts, most recently published first; `total` counts them all."""

    items: list[AlertRead]
    total: int
    offset: int
    limit: int


class AlertBrief(BaseModel):
    """A published alert naming a checked value (the check's answer carries these)."""

    uid: UUID
    title: str
    url: str


class AlertDraft(BaseModel):
    """Draft an alert from a campaign (its stable identifier)."""

    campaign_uid: UUID


class AlertEdit(BaseModel):
    """An analyst's change to an alert's words and values (chosen among the campaign's)."""

    texts: dict[str, dict[str, str]] = Field(max_length=4)
    indicators: list[AlertValue] = Field(max_length=100)


class AlertStaffRead(BaseModel):
    """An alert as staff see it: its state and working copy, besides what the public reads."""

    uid: UUID
    campaign_uid: UUID
    category: str
    status: str
    pending: str | None
    version: int
    texts: dict[str, AlertText]
    indicators: list[AlertValue]
    author: str
    editor: str
    reviewer: str | None
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    withdrawn_at: datetime | None
