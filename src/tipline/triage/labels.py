"""The triage spec's categories and urgencies (spec: triage.md)."""

from __future__ import annotations

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


def at_least(urgency: Urgency, floor: Urgency) -> Urgency:
    """The higher of two urgencies."""
    return urgency if urgency.rank >= floor.rank else floor
