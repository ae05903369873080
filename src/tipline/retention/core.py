"""Retention per data class: which classes there are, and each one's cutoff. Pure values.

| class      | what goes once older than its limit                                              |
|------------|----------------------------------------------------------------------------------|
| narratives | a report's narrative and its search terms (emptied; the report, its category,   |
|            | indicators, campaign membership and loss stay)                                   |
| contacts   | the reporter's contact (emptied)                                                 |
| evidence   | evidence files uploaded before the cutoff: the file, its row, attachments, chain |
| hashes     | hash-bank entries added before the cutoff (removed as a bank's retention does)   |
| requests   | requests to organisations answered or cancelled before the cutoff, with their    |
|            | lines, history and answer files' links                                           |

A report in a case, and evidence attached to a case or to such a report, is held: a case is
an investigation, kept as long as the law-enforcement side keeps it (its own process).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class DataClass(StrEnum):
    NARRATIVES = "narratives"
    CONTACTS = "contacts"
    EVIDENCE = "evidence"
    HASHES = "hashes"
    REQUESTS = "requests"


@dataclass(frozen=True, slots=True)
class Policy:
    """Days each class is kept; None keeps it."""

    days: dict[DataClass, int | None]

    def cutoffs(self, now: datetime) -> dict[DataClass, datetime]:
        """The moment before which each limited class goes."""
        return {kind: now - timedelta(days=days) for kind, days in self.days.items() if days}


@dataclass(frozen=True, slots=True)
class PurgeOutcome:
    """How many of each class went (or would go, in a dry run), and the cutoffs used."""

    counts: dict[DataClass, int]
    cutoffs: dict[DataClass, datetime]
    dry_run: bool

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def audit_details(self) -> dict[str, object]:
        """What the audit log says of a purge: counts, classes and cutoffs, never content."""
        return {
            "counts": {kind.value: count for kind, count in self.counts.items()},
            "cutoffs": {kind.value: at.isoformat() for kind, at in self.cutoffs.items()},
        }
