"""The requests API's shapes: RequestCreate / AnswerCreate / RequestRead / RequestDetail /
RequestPage / OrganisationFigures."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

RequestTypeName = Literal["freeze", "suspend", "takedown", "preserve", "disclose"]
OutcomeName = Literal["done", "partly_done", "refused", "not_ours"]
LineOutcomeName = Literal["frozen", "not_found", "already_closed", "refused"]


class RequestCreate(BaseModel):
    """A draft, from one report, one campaign or one case. The organisation is proposed from
    the first indicator when not named; the type from its kind. With a bank and no indicators
    named: every account of the source at that bank (one line each)."""

    model_config = ConfigDict(extra="forbid")

    report_id: int | None = Field(default=None, ge=1, le=2**62)
    campaign_uid: UUID | None = None
    case_id: int | None = Field(default=None, ge=1, le=2**62)
    organisation_id: int | None = Field(default=None, ge=1, le=2**62)
    type: RequestTypeName | None = None
    indicator_ids: list[int] = Field(default_factory=list, max_length=1000)
    legal_basis: str = Field(default="", max_length=2000)
    details: str = Field(default="", max_length=5000)

    @model_validator(mode="after")
    def one_source(self) -> RequestCreate:
        sources = (self.report_id, self.campaign_uid, self.case_id)
        if sum(source is not None for source in sources) != 1:
            raise ValueError("a request is from one report, one campaign or one case")
        return self


class LineAnswer(BaseModel):
    """The organisation's outcome on one line of the request (its `id` in `lines`): frozen
    (or taken down, suspended: done), not found, already closed or refused, with a note."""

    model_config = ConfigDict(extra="forbid")

    line_id: int = Field(ge=1, le=2**62)
    outcome: LineOutcomeName
    amount_frozen: Decimal | None = Field(default=None, ge=0, le=10**15, decimal_places=2)
    note: str = Field(default="", max_length=500)


class AnswerCreate(BaseModel):
    """The organisation's answer, and its outcome on each line it answers for (any left out
    keep none). Without a total `amount_frozen`, the lines' amounts are summed."""

    model_config = ConfigDict(extra="forbid")

    outcome: OutcomeName
    org_reference: str = Field(default="", max_length=100)
    amount_frozen: Decimal | None = Field(default=None, ge=0, le=10**15, decimal_places=2)
    preserved: str = Field(default="", max_length=5000)
    note: str = Field(default="", max_length=5000)
    lines: list[LineAnswer] = Field(default_factory=list, max_length=1000)

    @model_validator(mode="after")
    def each_line_once(self) -> AnswerCreate:
        ids = [line.line_id for line in self.lines]
        if len(ids) != len(set(ids)):
            raise ValueError("each line is answered once")
        return self


class LineRead(BaseModel):
    id: int
    kind: str
    value: str
    amount: Decimal | None
    transfer_times: list[str]
    outcome: str | None
    amount_frozen: Decimal | None
    note: str | None


class EventRead(BaseModel):
    action: str
    status: str
    actor: str
    at: datetime


class FileRead(BaseModel):
    file_name: str
    sha256: str
    evidence_id: int


class RequestRead(BaseModel):
    reference: str
    organisation_id: int
    organisation: str
    type: str
    status: str
    overdue: bool
    auto_drafted: bool
    legal_basis: str
    details: str
    campaign_uid: UUID | None
    created_at: datetime
    sent_at: datetime | None
    seen_at: datetime | None
    due_at: datetime | None
    answered_at: datetime | None
    outcome: str | None
    org_reference: str | None
    amount_frozen: Decimal | None
    currency: str
    preserved: str
    answer_note: str


class RequestDetail(RequestRead):
    lines: list[LineRead]
    history: list[EventRead]
    files: list[FileRead]


class RequestPage(BaseModel):
    items: list[RequestRead]


class OrganisationFigures(BaseModel):
    """Who answers how fast: per organisation, over every request sent to it."""

    organisation_id: int
    organisation: str
    sent: int
    answered: int
    open: int
    overdue: int
    median_hours_to_seen: float | None
    median_hours_to_answer: float | None
    amount_frozen: Decimal
    done: int
    refused: int
