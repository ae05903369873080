"""What the bulk submission API takes and gives (one report: `tipline.reports.schemas`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator, StringConstraints
from pydantic import ValidationError as PydanticValidationError

from tipline.messages import storable
from tipline.reports.schemas import ReportCreate

MAX_BULK_REPORTS = 1000

ExternalId = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(storable),
]


class BulkReportCreate(ReportCreate):
    """One report of a bulk submission: the fields of `POST /reports` and the sender's id."""

    external_id: ExternalId = Field(
        description="The report's id in the sender's system: sending it again adds nothing."
    )


class RowProblem(BaseModel):
    """One field's problem, worded as the API's 422 answers word it."""

    field: str | None
    code: str
    message: str


class InvalidRow(BaseModel):
    """A row that is not a valid report: its pydantic errors, and its id when it had one."""

    model_config = ConfigDict(frozen=True)

    external_id: str | None
    errors: list[dict[str, Any]]


def _read_row(value: Any) -> BulkReportCreate | InvalidRow:
    """A row validated on its own, so that a bad row does not fail the others."""
    try:
        return BulkReportCreate.model_validate(value)
    except PydanticValidationError as exc:
        given = value.get("external_id") if isinstance(value, dict) else None
        external_id = (given.strip()[:200] or None) if isinstance(given, str) else None
        errors = exc.errors(include_url=False, include_input=False)
        return InvalidRow(external_id=external_id, errors=[dict(e) for e in errors])


BulkRow = Annotated[
    BulkReportCreate | InvalidRow,
    PlainValidator(_read_row, json_schema_input_type=BulkReportCreate),
]


class BulkSubmission(BaseModel):
    """Up to 1,000 reports; each is answered on its own."""

    model_config = ConfigDict(extra="forbid")

    reports: list[BulkRow] = Field(min_length=1, max_length=MAX_BULK_REPORTS)


class BulkRowResult(BaseModel):
    """The answer to one row, in the order sent."""

    index: int = Field(description="The row's position in `reports`, from 0.")
    external_id: str | None
    outcome: Literal["created", "already_stored", "rejected"]
    code: str | None = Field(
        default=None, description="The report's tracking code (created or already stored)."
    )
    errors: list[RowProblem] = Field(default_factory=list, description="Why a row was rejected.")


class BulkReceipt(BaseModel):
    """The answer to a bulk submission: counts, and one result a row."""

    created: int
    already_stored: int
    rejected: int
    results: list[BulkRowResult]
