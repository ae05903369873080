"""The pure rules of requests to organisations: their types, statuses and answers, and when
one is due."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum


class RequestType(StrEnum):
    FREEZE = "freeze"  # freeze an account: the amount, the victims' transfer times
    SUSPEND = "suspend"  # suspend a phone number or SIM
    TAKEDOWN = "takedown"  # take down a page, an account or a post
    PRESERVE = "preserve"  # preserve data about an account
    DISCLOSE = "disclose"  # disclose subscriber data (needs a legal basis)


class RequestStatus(StrEnum):
    """Where a request stands. `overdue` is not stored: a sent or seen request past its due
    time is overdue (`is_overdue`)."""

    DRAFT = "draft"  # drafted (by an analyst, or by tipline for a new report), not sent
    SENT = "sent"
    SEEN = "seen"  # the organisation opened it
    ANSWERED = "answered"
    CANCELLED = "cancelled"


class Outcome(StrEnum):
    """The organisation's answer."""

    DONE = "done"
    PARTLY_DONE = "partly_done"
    REFUSED = "refused"
    NOT_OURS = "not_ours"


class LineOutcome(StrEnum):
    """What the organisation did about one line of a request (an account, a link)."""

    FROZEN = "frozen"  # frozen, taken down, suspended, preserved: what was asked was done
    NOT_FOUND = "not_found"
    ALREADY_CLOSED = "already_closed"
    REFUSED = "refused"


LINE_OUTCOMES: tuple[str, ...] = tuple(o.value for o in LineOutcome)
REQUEST_TYPES: tuple[str, ...] = tuple(t.value for t in RequestType)
STATUSES: tuple[str, ...] = tuple(s.value for s in RequestStatus)
OUTCOMES: tuple[str, ...] = tuple(o.value for o in Outcome)
OPEN_STATUSES: tuple[str, ...] = (RequestStatus.SENT.value, RequestStatus.SEEN.value)

# Response times promised when an organisation has not said its own, in hours: a freeze is
# worth something only within hours of the transfer.
DEFAULT_RESPONSE_HOURS: dict[str, int] = {
    RequestType.FREEZE: 2,
    RequestType.SUSPEND: 24,
    RequestType.TAKEDOWN: 24,
    RequestType.PRESERVE: 48,
    RequestType.DISCLOSE: 240,
}


def due_at(sent_at: datetime, request_type: str, promised: dict[str, int] | None) -> datetime:
    """When an answer is due: the organisation's promised hours for this type, or the default."""
    hours = (promised or {}).get(request_type, DEFAULT_RESPONSE_HOURS[request_type])
    return sent_at + timedelta(hours=hours)


def is_overdue(status: str, due: datetime | None, now: datetime) -> bool:
    return status in OPEN_STATUSES and due is not None and now > due


# What each kind of indicator is asked of its organisation by default.
TYPE_FOR_KIND: dict[str, str] = {
    "bank_account": RequestType.FREEZE,
    "phone": RequestType.SUSPEND,
    "url": RequestType.TAKEDOWN,
    "domain": RequestType.TAKEDOWN,
    "social": RequestType.TAKEDOWN,
    "email": RequestType.PRESERVE,
}
# What an organisation answers for is written as a comma list (`+8486,+8496`).
ACTIONS = ("drafted", "sent", "seen", "answered", "cancelled", "reminded")


def comma_list(text: str | None) -> list[str]:
    """`" +8486, +8496 ,"` → `["+8486", "+8496"]`."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def bank_code_of(kind: str, value: str) -> str | None:
    """The bank an account is written with: `VCB:0123` → `VCB`; None for an unknown bank."""
    if kind != "bank_account" or ":" not in value:
        return None
    code = value.split(":", 1)[0].upper()
    return None if code in ("", "UNKNOWN") else code


def host_of(kind: str, value: str) -> str | None:
    """What a platform's domains list would name: a URL's or domain's host (without `www.`),
    or a social handle's platform (`facebook:abc` → `facebook`)."""
    if kind == "social":
        return value.split(":", 1)[0].lower() if ":" in value else None
    if kind == "domain":
        return value.lower().removeprefix("www.")
    if kind == "url":
        rest = value.split("://", 1)[-1]
        host = rest.split("/", 1)[0].split("@")[-1].split(":", 1)[0]
        return host.lower().removeprefix("www.") or None
    return None


def answers_for(kind: str, value: str, prefixes: str, domains: str) -> bool:
    """Whether a telecom's prefixes or a platform's domains cover this indicator (a bank is
    found by its code: `bank_code_of`). A domain covers its subdomains."""
    if kind == "phone":
        return any(value.startswith(prefix) for prefix in comma_list(prefixes))
    host = host_of(kind, value)
    if host is None:
        return False
    names = [name.lower().removeprefix("www.") for name in comma_list(domains)]
    return any(host == name or host.endswith("." + name) for name in names)


def reference_of(year: int, number: int) -> str:
    """The reference both sides quote: `YC-2026-000123`."""
    return f"YC-{year}-{number:06d}"


def hours_between(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() / 3600, 2)


def response_hours_problem(hours: dict[str, int]) -> str | None:
    for name, value in hours.items():
        if name not in REQUEST_TYPES:
            return f"a request type is one of {', '.join(REQUEST_TYPES)}"
        if not isinstance(value, int) or not 0 < value <= 24 * 90:
            return "a response time is a whole number of hours, from 1 to 2160"
    return None


def read_response_hours(text: str) -> dict[str, int]:
    """`freeze=2,takedown=12` → `{"freeze": 2, "takedown": 12}` (ValueError when malformed)."""
    hours: dict[str, int] = {}
    for part in comma_list(text):
        name, _, number = part.partition("=")
        hours[name.strip()] = int(number)
    return hours
