"""The workspace API's shapes: the queue's pages, a report as the report view shows it, and the
analyst's changes to it (reviews, corrections, notes, status changes)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from tipline.vocabulary import Category, Urgency
from tipline.workspace.core import MAX_NOTE_LENGTH

Status = Literal["new", "triaged", "in_review", "closed"]
Decision = Literal["confirmed", "rejected", "victim"]
Sort = Literal["urgency", "age", "newest", "loss"]


class Waited(BaseModel):
    amount: int
    unit: Literal["minutes", "hours", "days"]


class QueueItemRead(BaseModel):
    """A report in the queue; `snippet` is the start of its narrative (personal data)."""

    id: int
    code: str
    urgency: str
    category: str
    status: str
    province: str | None
    loss_amount: Decimal | None
    loss_currency: str | None
    created_at: datetime
    at_risk: bool  # a child at risk or a risk to life: first within its urgency
    assignee: str | None  # the analyst working it (username), None while nobody has it
    snippet: str
    waited: Waited


class QueuePageRead(BaseModel):
    """One keyset page of the queue in the order asked (`sort`): by urgency (a child at risk or
        a risk to life first within one, then the oldest), by age, newest first, or largest loss
        first (reports that state a loss). The cursors are opaque: pass one back as `cursor` (with
    the same filter and sort) for the page it names; null when there is no such page."""

    items: list[QueueItemRead]
    next_cursor: str | None
    previous_cursor: str | None


class SharingReportRead(BaseModel):
    id: int
    code: str
    category: str
    created_at: datetime


class ReportIndicatorRead(BaseModel):
    """An indicator found in the report, its review, and the other reports that name it."""

    indicator_id: int
    kind: str
    value: str
    allowlisted: bool
    span_start: int | None
    span_end: int | None
    review: Literal["extracted", "confirmed", "rejected", "victim"]
    other_reports: int
    recent_reports: list[SharingReportRead]
    tlp: str | None = None  # its TLP when shared (None: the default); PATCH /indicators/{id}


class NoteRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    author: str
    text: str
    created_at: datetime


class StatusChangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    previous_status: str
    status: str
    actor: str
    changed_at: datetime


class CorrectionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    """An analyst's overruling of triage, kept for retraining."""

    id: int
    previous_category: str
    previous_urgency: str
    corrected_category: str
    corrected_urgency: str
    analyst: str
    created_at: datetime


class ReportDetail(BaseModel):
    """A report as the report view shows it, to staff only: the narrative and the reporter's
    contact are personal data."""

    id: int
    code: str
    channel: str
    narrative: str
    language: str
    category: str
    urgency: str
    status: str
    triage_reasons: list[str]
    loss_amount: Decimal | None
    loss_currency: str | None
    occurred_at: datetime | None
    province: str | None
    country: str | None
    victim_age_group: str | None
    victim_gender: str | None
    contact: str | None
    anonymous: bool
    created_at: datetime
    updated_at: datetime
    campaign_uid: UUID | None  # the campaign's stable identifier (/api/v1/campaigns/{uid})
    waited: Waited
    indicators: list[ReportIndicatorRead]
    notes: list[NoteRead]
    history: list[StatusChangeRead]
    corrections: list[CorrectionRead]


class ReviewCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: Decision


class ReviewRead(BaseModel):
    report_id: int
    indicator_id: int
    decision: Decision


class CorrectionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    category: Category
    urgency: Urgency


class NoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=MAX_NOTE_LENGTH)


class StatusChangeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Status


class AssignmentUpdate(BaseModel):
    """Who works the report: a member of staff's username, or null for nobody."""

    model_config = ConfigDict(extra="forbid")
    assignee: str | None = Field(max_length=100)


class AssignmentRead(BaseModel):
    report_id: int
    assignee: str | None


class ContactRead(BaseModel):
    """The reporter's contact (personal data; each reading is audited), null when none given."""

    report_id: int
    contact: str | None
