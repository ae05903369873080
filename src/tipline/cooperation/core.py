"""The pure rules of cooperation requests: their types, directions, statuses, and deadlines."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum


class CooperationType(StrEnum):
    PRESERVATION = "preservation"  # expedited preservation of stored data
    DISCLOSURE = "disclosure"  # expedited disclosure of preserved traffic data
    MUTUAL_ASSISTANCE = "mutual_assistance"  # production of stored data, subscriber data
    CONTACT_POINT = "contact_point"  # a request through the 24/7 network


class Direction(StrEnum):
    OUTGOING = "outgoing"  # we ask a partner abroad
    INCOMING = "incoming"  # a partner abroad asks us


class CooperationStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"  # outgoing: sent; incoming: received
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    ANSWERED = "answered"
    REFUSED = "refused"
    LAPSED = "lapsed"  # a preservation that was not extended
    CLOSED = "closed"


TYPES: tuple[str, ...] = tuple(t.value for t in CooperationType)
DIRECTIONS: tuple[str, ...] = tuple(d.value for d in Direction)
STATUSES: tuple[str, ...] = tuple(s.value for s in CooperationStatus)
OPEN_STATUSES: tuple[str, ...] = ("sent", "acknowledged", "in_progress")

# A preservation lasts at least 60 days (the Convention), and may be extended.
PRESERVATION_DAYS = 60
# Remind this many days before a preservation lapses.
LAPSE_REMINDER_DAYS = 7
# Legal bases offered as choices (the field stays free text).
LEGAL_BASES: tuple[str, ...] = (
    "UN Convention against Cybercrime (2024), art. 42 (expedited preservation)",
    "UN Convention against Cybercrime (2024), art. 43 (expedited disclosure of traffic data)",
    "UN Convention against Cybercrime (2024), art. 40 (mutual legal assistance)",
    "UN Convention against Cybercrime (2024), art. 41 (24/7 network)",
    "Bilateral mutual legal assistance treaty",
    "ASEAN Treaty on Mutual Legal Assistance in Criminal Matters (2004)",
)


def preservation_ends(start: date, days: int = PRESERVATION_DAYS) -> date:
    """When a preservation lapses unless extended: at least 60 days after it began."""
    return start + timedelta(days=max(days, PRESERVATION_DAYS))


# What may be asked for, one structured line each; a time range has `from` and `to` (ISO dates).
LINE_KINDS: tuple[str, ...] = ("account", "number", "domain", "time_range")
MAX_LINES = 200
MAX_VALUE = 300
# The statuses a request may move to from each status (a draft is sent; an open request is
# acknowledged, worked, answered or refused; anything not closed may be closed).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("sent", "closed"),
    "sent": ("acknowledged", "in_progress", "answered", "refused", "lapsed", "closed"),
    "acknowledged": ("in_progress", "answered", "refused", "lapsed", "closed"),
    "in_progress": ("answered", "refused", "lapsed", "closed"),
    "answered": ("closed",),
    "refused": ("closed",),
    "lapsed": ("closed",),
    "closed": (),
}
REFERENCE_PREFIX = "COOP"


class LineError(ValueError):
    """A data-requested line that cannot be read: which one (from 0) and why."""

    def __init__(self, index: int, reason: str) -> None:
        super().__init__(f"line {index}: {reason}")
        self.index = index
        self.reason = reason


def _read_date(text: object) -> date | None:
    if text in (None, ""):
        return None
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return None


def clean_line(index: int, line: dict[str, object]) -> dict[str, str]:
    """One data-requested line as stored: `{"kind", "value"}`, or a time range's `{"kind",
    "from", "to"}` (ISO dates, from ≤ to); LineError otherwise."""
    kind = str(line.get("kind", "")).strip()
    if kind not in LINE_KINDS:
        raise LineError(index, f"kind must be one of {', '.join(LINE_KINDS)}")
    if kind == "time_range":
        start, end = _read_date(line.get("from")), _read_date(line.get("to"))
        if start is None or end is None:
            raise LineError(index, "a time range needs `from` and `to` as YYYY-MM-DD")
        if start > end:
            raise LineError(index, "a time range ends after it begins")
        return {"kind": kind, "from": start.isoformat(), "to": end.isoformat()}
    value = " ".join(str(line.get("value", "")).split())
    if not value or len(value) > MAX_VALUE:
        raise LineError(index, f"a value of 1 to {MAX_VALUE} characters")
    return {"kind": kind, "value": value}


def clean_lines(lines: list[dict[str, object]]) -> list[dict[str, str]]:
    """The data-requested lines as stored, in order, without repeats."""
    if len(lines) > MAX_LINES:
        raise LineError(MAX_LINES, f"at most {MAX_LINES} lines")
    cleaned: list[dict[str, str]] = []
    for index, line in enumerate(lines):
        one = clean_line(index, line)
        if one not in cleaned:
            cleaned.append(one)
    return cleaned


def line_text(line: dict[str, str]) -> str:
    """A line as a document shows it: the value, or `from – to` of a time range."""
    if line["kind"] == "time_range":
        return f"{line['from']} – {line['to']}"
    return line["value"]


def can_move(status: str, to: str) -> bool:
    return to in TRANSITIONS.get(status, ())


def is_overdue(deadline: date | None, status: str, today: date) -> bool:
    """An open request past its deadline."""
    return deadline is not None and status in OPEN_STATUSES and deadline < today


def lapses_within(preserved_until: date | None, status: str, today: date, days: int) -> bool:
    """A preservation still held that lapses within `days` days from today (or already has)."""
    if preserved_until is None or status not in OPEN_STATUSES:
        return False
    return preserved_until <= today + timedelta(days=days)


def extended_until(
    preserved_until: date | None, today: date, days: int = PRESERVATION_DAYS
) -> date:
    """A preservation extended by another period: from when it would lapse (or today, if that
    has passed), at least 60 days."""
    start = max(preserved_until, today) if preserved_until else today
    return preservation_ends(start, days)


def format_reference(year: int, number: int) -> str:
    return f"{REFERENCE_PREFIX}-{year}-{number:04d}"
