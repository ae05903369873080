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
