"""The cooperation API's shapes: CooperationCreate / CooperationStatusChange / CooperationRead /
CooperationDetail / CooperationPage / CooperationOverview."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from tipline.messages import EraDate

Direction = Literal["outgoing", "incoming"]
CooperationType = Literal["preservation", "disclosure", "mutual_assistance", "contact_point"]
Status = Literal[
    "draft", "sent", "acknowledged", "in_progress", "answered", "refused", "lapsed", "closed"
]


class DataLine(BaseModel):
    """One thing asked for: an account, a phone number or a domain (`value`), or a time range
    (`from` and `to`)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    kind: Literal["account", "number", "domain", "time_range"]
    value: str | None = Field(default=None, max_length=300)
    from_: EraDate | None = Field(default=None, alias="from")
    to: EraDate | None = None

    def as_line(self) -> dict[str, object]:
        if self.kind == "time_range":
            return {"kind": self.kind, "from": self.from_, "to": self.to}
        return {"kind": self.kind, "value": self.value or ""}


class CooperationCreate(BaseModel):
    """A new request, recorded as a draft. Name the partner (`partner_id`, from
    `tipline partners`) or the authority abroad by name; `legal_basis` is free text (the
    Convention's articles and treaties are offered in the form)."""

    model_config = ConfigDict(extra="forbid")

    direction: Direction
    type: CooperationType
    partner_id: int | None = Field(default=None, ge=1, le=2**62)
    requesting_authority: str = Field(min_length=1, max_length=200)
    requested_authority: str = Field(default="", max_length=200)
    their_reference: str | None = Field(default=None, max_length=100)
    legal_basis: str = Field(default="", max_length=2000)
    offences: str = Field(default="", max_length=2000)
    data_requested: list[DataLine] = Field(default_factory=list, max_length=200)
    facts: str = Field(default="", max_length=20_000)
    confidentiality: str = Field(default="", max_length=2000)
    data_conditions: str = Field(default="", max_length=2000)
    deadline: EraDate | None = None
    case_id: int | None = Field(default=None, ge=1, le=2**62)
    report_ids: list[int] = Field(default_factory=list, max_length=1000)
    campaign_uids: list[UUID] = Field(default_factory=list, max_length=1000)
    indicator_ids: list[int] = Field(default_factory=list, max_length=1000)


class CooperationLinkChange(BaseModel):
    """One report, campaign or indicator to link to a request: name exactly one, a report by
    its tracking code (`report_code`) or id, an indicator by its id or as typed
    (`indicator`: `VCB:0123456789`, `0912345678`, a domain or a link)."""

    model_config = ConfigDict(extra="forbid")

    report_code: str | None = Field(default=None, max_length=40)
    report_id: int | None = Field(default=None, ge=1, le=2**62)
    campaign_uid: UUID | None = None
    indicator_id: int | None = Field(default=None, ge=1, le=2**62)
    indicator: str | None = Field(default=None, max_length=2000)


class CooperationStatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Status
    note: str = Field(default="", max_length=500)


class CooperationExtension(BaseModel):
    """Extend a preservation by another period (at least 60 days)."""

    model_config = ConfigDict(extra="forbid")

    days: int = Field(default=60, ge=60, le=366)


class CooperationRead(BaseModel):
    reference: str
    direction: str
    type: str
    status: str
    partner_id: int | None
    requesting_authority: str
    requested_authority: str
    their_reference: str | None
    legal_basis: str
    offences: str
    data_requested: list[dict[str, Any]]
    confidentiality: str
    data_conditions: str
    case_id: int | None
    created_by: str
    created_at: datetime
    sent_at: datetime | None
    answered_at: datetime | None
    deadline: date | None
    preserved_until: date | None
    overdue: bool


class CooperationEventRead(BaseModel):
    action: str
    status: str
    actor: str
    at: datetime
    details: dict[str, Any]


class CooperationDetail(CooperationRead):
    facts: str
    report_ids: list[int]
    campaign_uids: list[UUID]
    indicator_ids: list[int]
    events: list[CooperationEventRead]


class CooperationPage(BaseModel):
    """One keyset page of requests, newest first; `total` counts every request the filters
    keep. Pass a cursor back as `cursor` (with the same filters) for the page it names."""

    items: list[CooperationRead]
    total: int
    next_cursor: str | None
    previous_cursor: str | None


class CountryAnswerTimes(BaseModel):
    """`outgoing`: how fast that country answered our requests; `incoming`: how fast we
    answered its requests."""

    country: str | None  # null: an authority that is not a partner on file
    direction: Direction
    answered: int
    average_days: float


class CooperationOverview(BaseModel):
    overdue: int
    lapsing_this_week: int
    overdue_references: list[str]
    lapsing_references: list[str]
    answer_times: list[CountryAnswerTimes]
