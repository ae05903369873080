"""Taking reports in: read (extract, triage) → store → record indicators → link to campaigns.

The one way a report enters tipline. The web form and `POST /api/v1/reports` take one report
(`submit_report`); the bulk API (`tipline.intake.bulk`) and `tipline import`
(`tipline.imports.service`) take batches of reports that carry their source's id
(`read_batch`, then `store_batch`), a batch per transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from sqlalchemy.orm import Session

from tipline.campaigns.service import link_new_reports
from tipline.db_types import data_keys, utc_now
from tipline.errors import InvalidInput
from tipline.indicators.service import record_report_indicators
from tipline.intake.reading import ReportReading, read_submitted
from tipline.intake.schemas import (
    BulkReceipt,
    BulkReportCreate,
    BulkRowResult,
    InvalidRow,
    RowProblem,
)
from tipline.messages import localise
from tipline.orgrequests.autodraft import draft_for_new_reports
from tipline.reports import repository as reports
from tipline.reports.core import (
    age_group,
    as_utc,
    hash_secret,
    new_secret,
    risk_rank,
    sighting_time,
)
from tipline.reports.schemas import IndicatorRead, ReportCreate, ReportReceipt
from tipline.vocabulary import CHANNELS


class SourcedReport(Protocol):
    """A report with its id at its source (an import's row, a platform's bulk row)."""

    @property
    def external_id(self) -> str: ...

    @property
    def report(self) -> ReportCreate: ...

    @property
    def received_at(self) -> datetime | None:
        """When the source received it (None: now), e.g. the demo generator's dates."""


@dataclass(frozen=True, slots=True)
class StoredBatch:
    """What storing a batch did: the new reports' ids by external id, and indicator links."""

    ids: dict[str, int]
    indicator_links: int


def report_values(
    data: ReportCreate, reading: ReportReading, channel: str, received_at: datetime
) -> dict[str, Any]:
    """The stored columns of a new report (all but its code and secret)."""
    if channel not in CHANNELS:
        raise InvalidInput(f"unknown channel {channel!r}", field="channel")
    return {
        "channel": channel,
        "narrative": data.narrative,
        "language": data.language or reading.language,
        "category": reading.category,
        "urgency": reading.urgency,
        "triage_reasons": reading.reasons,
        "risk_rank": risk_rank(reading.at_risk),
        "listed_values": list(data.indicators),
        "payments": [payment.stored() for payment in data.payments],
        "loss_amount": data.loss_amount,
        "loss_currency": data.loss_currency if data.loss_amount is not None else None,
        "occurred_at": as_utc(data.occurred_at),
        "province": data.province,
        "country": data.country,
        "victim_age_group": age_group(data.victim_age),
        "victim_gender": data.victim_gender,
        # An anonymous reporter's contact is not kept, even when the form sent one.
        "reporter_contact": None if data.anonymous else data.contact,
        "reporter": data.reporter,
        "anonymous": data.anonymous,
        # The full-text index's keyed terms (else the column's default): hashed here, before
        # the insert, not while the transaction holds the writers' place.
        "search_terms": data_keys().search_terms(data.narrative),
        "status": "new",
        "created_at": received_at,
        "updated_at": received_at,
    }


def advice_lines(
    category: str, language: str, reasons: Sequence[str] = (), audience: str | None = None
) -> list[str]:
    """Triage's advice for a category, as lines; crisis help first when triage's `reasons` name
    a possible risk to life; written to `audience` (the child, a parent, a teacher:
    `tipline.triage.advice.advice_audience`) when given."""
    from tipline.triage import advice_for, names_risk_to_life

    advice: object = advice_for(category, language, names_risk_to_life(reasons), audience)
    if advice is None:
        return []
    if isinstance(advice, str):
        return [line.strip(" -•\t") for line in advice.splitlines() if line.strip(" -•\t")]
    if isinstance(advice, Iterable):  # triage's Advice: steps, evidence to keep, contacts
        return [str(line) for line in advice]
    return [str(advice)]


def receipt_audience(data: ReportCreate, category: str) -> str | None:
    """Whom a new report's advice is written to: who reported it, the victim's age, and when
    nobody said, who the story shows writing."""
    from tipline.triage.advice import advice_audience
    from tipline.triage.voice import story_voice

    minor = data.victim_age is not None and data.victim_age < 18
    voice = story_voice(data.narrative) if data.reporter is None else None
    return advice_audience(data.reporter, minor, voice, category == "child_exploitation")


def _link(
    session: Session, new: Sequence[tuple[int, ReportReading, datetime | None]], at: datetime
) -> int:
    """Record the new reports' indicators and link the reports to campaigns; the links made."""
    sightings = [(ident, r.indicators, sighting_time(when, at)) for ident, r, when in new]
    links = record_report_indicators(session, sightings)
    link_new_reports(session, [ident for ident, _, _ in new])
    # An account of a confirmed campaign: its freeze request drafted now (no query otherwise).
    draft_for_new_reports(session, [(ident, r.indicators) for ident, r, _ in new])
    return links


def submit_report(
    session: Session,
    data: ReportCreate,
    channel: str,
    with_report: Callable[[Session, int], object] | None = None,
) -> ReportReceipt:
    """Extract, triage and store a report with its indicators, in one transaction; with
    `with_report`, what else that transaction holds, given the new report's id (the files
    filed with it: a crash keeps the report and its files, or neither)."""
    reading = read_submitted([data])[0]
    received_at = utc_now()
    values = report_values(data, reading, channel, received_at)
    secret = new_secret()
    values["secret_hash"] = hash_secret(secret)
    # From its first write to its commit, this transaction holds the database's writers' place
    # (SQLite's single writer, PostgreSQL's campaigns lock): what needs no database is done
    # before, the receipt after.
    try:
        ident, code = reports.insert_report(session, values)
        _link(session, [(ident, reading, values["occurred_at"])], received_at)
        if with_report is not None:
            with_report(session, ident)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    category, language = values["category"], values["language"]
    return ReportReceipt(
        code=code,
        secret=secret,
        status=values["status"],
        category=category,
        urgency=values["urgency"],
        language=language,
        reasons=reading.reasons,
        advice=advice_lines(category, language, reading.reasons, receipt_audience(data, category)),
        indicators=[
            IndicatorRead(kind=i.kind, value=i.value, allowlisted=i.allowlisted)
            for i in reading.indicators
        ],
        unrecognised=reading.unrecognised,
    )


def read_batch(rows: Sequence[SourcedReport]) -> list[ReportReading]:
    """Extract and triage a batch of reports; triage scores them together."""
    return read_submitted([row.report for row in rows])


def store_batch(
    session: Session,
    rows: Sequence[SourcedReport],
    readings: Sequence[ReportReading],
    source: str,
    channel: str,
) -> StoredBatch:
    """Store the read rows from `source` that are not stored yet, with their indicators, and
    link them to campaigns. The caller commits: a batch is one transaction.

    Rows must have distinct external ids; one stored meanwhile (a concurrent submission of the
    same row) is skipped, not an error.
    """
    received_at = utc_now()
    values = []
    for row, reading in zip(rows, readings, strict=True):
        when = as_utc(row.received_at) or received_at
        stored = report_values(row.report, reading, channel, when)
        stored.update(source=source, external_id=row.external_id, secret_hash=None)
        values.append(stored)
    ids = reports.insert_reports(session, values)
    new = [
        (ids[row.external_id], reading, stored["occurred_at"])
        for row, reading, stored in zip(rows, readings, values, strict=True)
        if row.external_id in ids
    ]
    return StoredBatch(ids, _link(session, new, received_at))


@dataclass(frozen=True, slots=True)
class _BulkRow:
    external_id: str
    report: ReportCreate
    received_at: datetime | None = None


def submit_bulk(
    session: Session, rows: Sequence[BulkReportCreate | InvalidRow], source: str, language: str
) -> BulkReceipt:
    """Take a platform's batch from `source` in one transaction; answer each row on its own.

    A row whose external id `source` sent before (or earlier in this batch) is answered with
    the stored report's code: sending the same batch twice, even at the same time, adds
    nothing the second time. Problems are worded in `language`, as the API words them.
    """
    first: dict[str, _BulkRow] = {}
    for row in rows:
        if isinstance(row, BulkReportCreate) and row.external_id not in first:
            first[row.external_id] = _BulkRow(row.external_id, row)
    known = reports.stored_codes(session, source, list(first))
    fresh = [row for key, row in first.items() if key not in known]
    created: set[str] = set()
    if fresh:
        try:
            created = set(store_batch(session, fresh, read_batch(fresh), source, "api").ids)
            session.commit()
        except BaseException:
            session.rollback()
            raise
        known = reports.stored_codes(session, source, list(first))
    return _bulk_receipt(rows, known, created, language)


def _bulk_receipt(
    rows: Sequence[BulkReportCreate | InvalidRow],
    codes: dict[str, str],
    created: set[str],
    language: str,
) -> BulkReceipt:
    results = []
    for index, row in enumerate(rows):
        if isinstance(row, InvalidRow):
            problems = [RowProblem(**localise(error, language)) for error in row.errors]
            results.append(BulkRowResult(index=index, external_id=row.external_id,
                                         outcome="rejected", errors=problems))  # fmt: skip
            continue
        outcome: Literal["created", "already_stored"] = "already_stored"
        if row.external_id in created:
            created.discard(row.external_id)  # a repeat later in the batch was stored already
            outcome = "created"
        results.append(BulkRowResult(index=index, external_id=row.external_id, outcome=outcome,
                                     code=codes[row.external_id]))  # fmt: skip
    outcomes = [result.outcome for result in results]
    return BulkReceipt(
        created=outcomes.count("created"),
        already_stored=outcomes.count("already_stored"),
        rejected=outcomes.count("rejected"),
        results=results,
    )
