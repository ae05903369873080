"""The cases API's shapes: CaseCreate / CaseChange / CaseRead / CaseDetail / CasePage."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from tipline.messages import EraDate

Status = Literal["open", "in_progress", "closed"]


class CaseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    assignee: str | None = Field(default=None, max_length=100)
    deadline: EraDate | None = None
    report_ids: list[int] = Field(default_factory=list, max_length=1000)
    campaign_ids: list[int] = Field(default_factory=list, max_length=1000)


class CaseChange(BaseModel):
    """What PATCH changes: only the fields sent."""

    model_config = ConfigDict(extra="forbid")

    status: Status | None = None
    assignee: str | None = Field(default=None, max_length=100)
    deadline: EraDate | None = None


class ReportLink(BaseModel):
    model_config = ConfigDict(extra="forbid")
    report_id: int = Field(ge=1, le=2**62)


class CampaignLink(BaseModel):
    model_config = ConfigDict(extra="forbid")
    campaign_id: int = Field(ge=1, le=2**62)


class NoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=10_000)


class CaseRead(BaseModel):
    id: int
    reference: str
    title: str
    status: str
    assignee: str | None
    deadline: date | None
    overdue: bool
    created_by: str
    created_at: datetime
    updated_at: datetime


class NoteRead(BaseModel):
    id: int
    author: str
    text: str
    created_at: datetime


class CampaignRead(BaseModel):
    campaign_id: int
    current_campaign_id: int
    current_campaign_uid: UUID | None  # its stable identifier (/api/v1/campaigns/{uid})
    report_count: int
    report_ids: list[int]


class EvidenceRef(BaseModel):
    evidence_id: int
    sha256: str
    size: int
    media_type: str
    file_name: str
    attached_by: str
    attached_at: datetime


class CaseDetail(CaseRead):
    report_ids: list[int]
    campaigns: list[CampaignRead]
    notes: list[NoteRead]
    evidence: list[EvidenceRef]


class CasePage(BaseModel):
    items: list[CaseRead]
    total: int
    page: int
    pages: int
