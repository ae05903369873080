"""The cases API's shapes: CaseCreate / CaseChange / CaseRead / CaseDetail / CasePage."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tipline.messages import EraDate

Status = Literal["open", "in_progress", "closed"]
TrackingCode = Annotated[str, Field(min_length=1, max_length=40)]  # as a person types it


class CaseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    assignee: str | None = Field(default=None, max_length=100)
    deadline: EraDate | None = None
    report_ids: list[int] = Field(default_factory=list, max_length=1000)
    report_codes: list[TrackingCode] = Field(default_factory=list, max_length=1000)
    campaign_uids: list[UUID] = Field(default_factory=list, max_length=1000)


class CaseChange(BaseModel):
    """What PATCH changes: only the fields sent."""

    model_config = ConfigDict(extra="forbid")

    status: Status | None = None
    assignee: str | None = Field(default=None, max_length=100)
    deadline: EraDate | None = None


class ReportLink(BaseModel):
    """The report to add: by its tracking code (`TL-7K3Q-9XPD`, the code every page shows) or
    by its id, one of the two."""

    model_config = ConfigDict(extra="forbid")
    code: TrackingCode | None = None
    report_id: int | None = Field(default=None, ge=1, le=2**62)

    @model_validator(mode="after")
    def one_of_the_two(self) -> ReportLink:
        if (self.code is None) == (self.report_id is None):
            raise ValueError("name the report by its code or by its report_id, one of the two")
        return self


class CampaignLink(BaseModel):
    """The campaign to add, by its stable identifier (a retired one adds the campaign that
    absorbed it)."""

    model_config = ConfigDict(extra="forbid")
    campaign_uid: UUID


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
    """A campaign of the case. `campaign_uid` is the identifier it was added by;
    `current_campaign_uid` the campaign that identifier names now (`/api/v1/campaigns/{uid}`):
    the same, or after a merge the campaign that absorbed it, or null once its reports are all
    gone. Through a split the identifier stays with the part holding most of the reports."""

    campaign_uid: UUID
    current_campaign_uid: UUID | None
    report_count: int
    report_ids: list[int]  # the first ones (by id)


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
    report_codes: list[str]  # the tracking codes of `report_ids`, in the same order
    campaigns: list[CampaignRead]
    notes: list[NoteRead]
    evidence: list[EvidenceRef]


class CasePage(BaseModel):
    """One keyset page of cases: overdue first, then by deadline (none last), then newest first;
    `total` counts every case the filters keep. The cursors are opaque: pass one back as `cursor`
    (with the same filters) for the page it names; null when there is no such page."""

    items: list[CaseRead]
    total: int
    next_cursor: str | None
    previous_cursor: str | None
