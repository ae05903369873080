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
