"""Reading a report before it is stored: its indicators and its triage. Pure: no database.

This is the CPU-heavy half of taking a report, kept apart so that bulk import can run it in
worker processes while the main process writes to the database. Triage scores a whole batch at
once (one sparse-matrix product), so many reports are read together, not one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from tipline.indicators import Indicator, extract
from tipline.indicators.accounts import named_elsewhere
from tipline.indicators.defaults import read_value_in_full
from tipline.indicators.ownership import names_own
from tipline.indicators.types import MAX_STORED_VALUE_BYTES, FoundIndicator
from tipline.reports.schemas import ReportCreate


@dataclass(frozen=True, slots=True)
class ReportReading:
    """What extraction and triage said about one report."""

    indicators: list[FoundIndicator]
    unrecognised: list[str]
    category: str
    urgency: str
    language: str
    reasons: list[str] = field(default_factory=list)
    at_risk: bool = False  # a child at risk or a risk to life: first within its urgency


def _storable(indicator: Indicator) -> bool:
    return len(indicator.value.encode("utf-8")) <= MAX_STORED_VALUE_BYTES


def indicators_of(
    narrative: str, listed: Sequence[str], in_narrative: Sequence[Indicator] | None = None
) -> tuple[list[FoundIndicator], list[str]]:
    """The narrative's indicators, then those of each listed value; and the unreadable values.

    `in_narrative`: the narrative's extraction, when the caller has it already.
    """
    found: dict[tuple[str, str], FoundIndicator] = {}
    for item in extract(narrative) if in_narrative is None else in_narrative:
        if _storable(item):
            own = names_own(narrative, item.span)
            found[(item.kind.value, item.value)] = FoundIndicator(
                item.kind.value, item.value, item.allowlisted, item.span, own
            )
    unrecognised: list[str] = []
    for raw in listed:
        primary, everything = read_value_in_full(raw)
        if primary is None:
            if raw.strip():
                unrecognised.append(raw.strip())
            continue
        # A listed link also names its domain, as it would in the narrative.
        for item in [primary, *everything]:
            key = (item.kind.value, item.value)
            if key not in found and _storable(item):
                found[key] = FoundIndicator(item.kind.value, item.value, item.allowlisted, None)
    keys = set(found)
    kept = [item for key, item in found.items() if not named_elsewhere(*key, keys)]
    return kept, unrecognised


@dataclass(frozen=True, slots=True)
class ToRead:
    """One report to read: its narrative, the values listed apart, and what triage weighs."""

    narrative: str
    listed: Sequence[str] = ()
    victim_age: int | None = None
    loss_amount: Decimal | None = None
    language: str | None = None  # stated by the sender: triage need not detect it


def read_reports(items: Sequence[ToRead]) -> list[ReportReading]:
    """Extract and triage many reports; triage scores them all in one batch."""
    from tipline.triage import TriageInput, triage_many

    extracted = [extract(item.narrative) for item in items]
    verdicts = triage_many(
        [
            # The narrative's extraction is passed on: it spares triage a second one.
            TriageInput(
                item.narrative, item.victim_age, item.loss_amount, in_narrative, item.language
            )
            for item, in_narrative in zip(items, extracted, strict=True)
        ]
    )
    readings = []
    for item, in_narrative, verdict in zip(items, extracted, verdicts, strict=True):
        indicators, unrecognised = indicators_of(item.narrative, item.listed, in_narrative)
        readings.append(
            ReportReading(
                indicators=indicators,
                unrecognised=unrecognised,
                category=str(verdict.category),
                urgency=str(verdict.urgency),
                language=str(verdict.language),
                reasons=[str(reason) for reason in verdict.reasons],
                at_risk=verdict.at_risk,
            )
        )
    return readings


def read_submitted(submitted: Sequence[ReportCreate]) -> list[ReportReading]:
    """Extract and triage submitted reports in one batch (the function import's workers run)."""
    return read_reports(
        [
            ToRead(r.narrative, _listed(r), r.victim_age, r.loss_amount, r.language)
            for r in submitted
        ]
    )


def _listed(report: ReportCreate) -> list[str]:
    """The values listed apart from the story, and each account she paid."""
    paid = [payment.account_value() for payment in report.payments]
    return [
        *report.indicators,
        *(value for value in paid if value and value not in report.indicators),
    ]
