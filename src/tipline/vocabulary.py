"""The words every capability shares, defined once: categories and urgencies (spec: triage.md),
the languages tipline speaks, the channels a report comes in by, and the size limits.

The bottom layer: it imports nothing of tipline, so that every package may import it.
"""

from __future__ import annotations

from datetime import date, timedelta, timezone
from decimal import Decimal
from enum import StrEnum


class Category(StrEnum):
    IMPERSONATION = "fraud.impersonation"
    INVESTMENT = "fraud.investment"
    JOB_TASK = "fraud.job_task"
    ROMANCE = "fraud.romance"
    LOAN = "fraud.loan"
    SHOPPING = "fraud.shopping"
    PHISHING = "fraud.phishing"
    SEXTORTION = "sextortion"
    HARASSMENT = "harassment"
    CHILD_EXPLOITATION = "child_exploitation"
    HACKING = "hacking"
    OTHER = "other"


class Urgency(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """0 for low up to 3 for critical, so that urgencies compare."""
        return URGENCY_ORDER.index(self)


URGENCY_ORDER: tuple[Urgency, ...] = (Urgency.LOW, Urgency.NORMAL, Urgency.HIGH, Urgency.CRITICAL)
CATEGORIES: tuple[str, ...] = tuple(c.value for c in Category)
URGENCIES: tuple[str, ...] = tuple(u.value for u in URGENCY_ORDER)
# The analysts' queue: critical first.
URGENCIES_FIRST: tuple[str, ...] = tuple(reversed(URGENCIES))
QUEUE_POSITION: dict[str, int] = {urgency: i for i, urgency in enumerate(URGENCIES_FIRST)}


def at_least(urgency: Urgency, floor: Urgency) -> Urgency:
    """The higher of two urgencies."""
    return urgency if urgency.rank >= floor.rank else floor


# Days and dates are Vietnam's (which keeps no daylight saving time).
VIETNAM_TIME = timezone(timedelta(hours=7))

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

# How a report came in (`Report.channel`), and where it stands in the analysts' work.
CHANNELS = ("web", "api", "import", "partner")
# Who is reporting: the (adult) victim, the child it happens to, a parent or family member, a
# teacher or school staff, someone else. The advice is written to them.
REPORTERS = ("victim", "child", "parent", "teacher", "other")
REPORT_STATUSES = ("new", "triaged", "in_review", "closed")

# What a reporter may send: the API's schema, the web form and the import share these.
MAX_NARRATIVE = 20_000  # characters
MAX_LISTED_INDICATORS = 100  # values listed apart from the narrative
MAX_CONTACT = 200
MAX_PROVINCE = 100
MAX_AMOUNT = Decimal("1e15")  # exclusive
# One value as a person types it (a listed indicator, a checked value).
MAX_VALUE_LENGTH = 2048
MAX_BULK_VALUES = 1000  # values of one bulk check
# Request bodies, checked before they are read.
API_BODY_BYTES = 3 * 1024 * 1024  # a bulk check of 1,000 values of 2,048 characters fits
PAGE_BODY_BYTES = 12 * 1024 * 1024  # a report form with its screenshot fits
# No report, deadline or filter date comes before this: an earlier one is a typing slip or a
# zero read as 1970 (the schemas refuse it, 422).
EARLIEST_DATE = date(2000, 1, 1)
