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
MAX_PAYMENTS = 20
BankCode = Annotated[
    str, Field(pattern=r"^[A-Z]{2,5}$", description="A bank's VietQR code: VCB, MB.")
]


def _not_after_tomorrow(value: datetime | date | None) -> datetime | date | None:
    """A day of slack: the reporter's clock and time zone may be ahead of ours."""
    latest = datetime.now(UTC) + timedelta(days=1)
    moment = value if isinstance(value, datetime) else None
    if isinstance(value, date) and not isinstance(value, datetime):
        moment = datetime.combine(value, time(), tzinfo=UTC)
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if moment is not None and moment > latest:
        raise PydanticCustomError("occurred_in_future", "the date is in the future")
    return value


class PaymentCreate(BaseModel):
    """One transfer the victim made: when, how much, from her bank, to which account. Every
    field is optional; the account she paid is also read as an indicator."""

    model_config = ConfigDict(extra="forbid")

    paid_on: Annotated[date, AfterValidator(in_era), AfterValidator(_not_after_tomorrow)] | None = (
        None
    )
    amount: Annotated[Decimal, Field(ge=0, lt=MAX_AMOUNT, decimal_places=2)] | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3,5}$")] | None = None
    from_bank: BankCode | None = Field(default=None, description="Her own bank.")
    to_account: Annotated[str, Field(pattern=r"^[0-9]{4,24}$")] | None = Field(
        default=None, description="The account she paid, digits only."
    )
    to_bank: BankCode | None = Field(default=None, description="The bank of that account.")

    @field_validator("to_account", mode="before")
    @classmethod
    def _digits(cls, value: Any) -> Any:
        return (
            "".join(value.split()).replace(".", "").replace("-", "")
            if isinstance(value, str)
            else value
        )

    @field_validator("from_bank", "to_bank", "currency", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return (value.strip().upper() or None) if isinstance(value, str) else value

    def account_value(self) -> str | None:
        """The account she paid as a listed value, read like a check: `VCB 0123456789`."""
        if self.to_account is None:
            return None
        return f"{self.to_bank} {self.to_account}" if self.to_bank else f"STK {self.to_account}"

    def stored(self) -> dict[str, str]:
        """As the report keeps it: its given fields, as text."""
        return {name: str(value) for name, value in self.model_dump().items() if value is not None}


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
    payments: list[PaymentCreate] = Field(
        default_factory=list,
        max_length=MAX_PAYMENTS,
        description="The transfers the victim made, each with what she knows of it.",
    )
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
        return _not_after_tomorrow(value)

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
