"""What the reports API and service take and give."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from tipline.messages import in_era, storable
from tipline.vocabulary import (
    MAX_AMOUNT,
    MAX_CONTACT,
    MAX_LISTED_INDICATORS,
    MAX_NARRATIVE,
    MAX_PROVINCE,
    MAX_VALUE_LENGTH,
)

ListedValue = Annotated[str, Field(max_length=MAX_VALUE_LENGTH), AfterValidator(storable)]


class ReportCreate(BaseModel):
    """A report as a victim (web form, API) or a partner's file gives it.

    `narrative` is stored verbatim (HTML and all: pages escape it). `indicators` are values the
    reporter lists apart from the story (a phone, an account, a link), each read like a check.
    """

    model_config = ConfigDict(extra="forbid")

    narrative: str = Field(max_length=MAX_NARRATIVE)
    language: Annotated[str, Field(pattern=r"^[a-z]{2}$")] | None = None
    occurred_at: Annotated[datetime | date, AfterValidator(in_era)] | None = None
    loss_amount: Annotated[Decimal, Field(ge=0, lt=MAX_AMOUNT, decimal_places=2)] | None = None
    loss_currency: Annotated[str, Field(pattern=r"^[A-Z]{3,5}$")] | None = None
    victim_age: Annotated[int, Field(ge=0, le=120)] | None = None
    victim_gender: Literal["female", "male", "other"] | None = None
    province: Annotated[str, Field(max_length=MAX_PROVINCE)] | None = None
    country: Annotated[str, Field(max_length=100)] | None = None
    contact: Annotated[str, Field(max_length=MAX_CONTACT)] | None = None
    anonymous: bool = False
    indicators: list[ListedValue] = Field(default_factory=list, max_length=MAX_LISTED_INDICATORS)
    reporter: Literal["victim", "child", "parent", "teacher", "other"] | None = Field(
        default=None,
        description="Who is reporting: the victim, the child it happens to, a parent, a "
        "teacher, someone else. The receipt's advice is written to them.",
    )

    @field_validator("narrative", "province", "country", "contact")
    @classmethod
    def _storable(cls, value: str | None) -> str | None:
        return None if value is None else storable(value)

    @field_validator("narrative")
    @classmethod
    def _narrative_has_words(cls, value: str) -> str:
        if not value.strip():
            message = "the narrative is empty: tell what happened"
            raise PydanticCustomError("narrative_empty", message)
        return value

    @field_validator("occurred_at")
    @classmethod
    def _not_in_the_future(cls, value: datetime | date | None) -> datetime | date | None:
        # A day of slack: the reporter's clock and time zone may be ahead of ours.
        latest = datetime.now(UTC) + timedelta(days=1)
        moment = value if isinstance(value, datetime) else None
        if isinstance(value, date) and not isinstance(value, datetime):
            moment = datetime.combine(value, time(), tzinfo=UTC)
        if moment is not None and moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        if moment is not None and moment > latest:
            raise PydanticCustomError("occurred_in_future", "the date is in the future")
        return value

    @field_validator("loss_currency", mode="before")
    @classmethod
    def _upper_currency(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value


class IndicatorRead(BaseModel):
    """An indicator found in a report."""

    kind: str
    value: str
    allowlisted: bool


class ReportReceipt(BaseModel):
    """The answer to a new report: the secret is shown here once and never again."""

    code: str
    secret: str
    status: str
    category: str
    urgency: str
    language: str
    reasons: list[str]
    advice: list[str]
    indicators: list[IndicatorRead]
    unrecognised: list[str] = Field(
        default_factory=list, description="Listed values that are none of the indicator kinds."
    )


class ReportStatus(BaseModel):
    """What the holder of a report's code and secret may see of it."""

    code: str
    status: str
    category: str
    urgency: str
    language: str
    created_at: datetime
    updated_at: datetime
