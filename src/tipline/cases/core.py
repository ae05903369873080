"""Pure rules of cases: references, statuses, the overdue rule and what a form typed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from tipline.errors import InvalidInput
from tipline.vocabulary import EARLIEST_DATE, VIETNAM_TIME

STATUSES = ("open", "in_progress", "closed")
MAX_TITLE = 200
MAX_NOTE = 10_000
MAX_ASSIGNEE = 100
_REFERENCE = re.compile(r"^CASE-(\d{4})-(\d{4,})$")
_ASSIGNEE = re.compile(r"^[\w.@-]+$")
_UUID = re.compile(r"[0-9a-fA-F]{8}-?(?:[0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}")


@dataclass(frozen=True, slots=True)
class CaseNumber:
    """A case's place in its year: `CASE-2026-0001` is the first case opened in 2026."""

    year: int
    number: int

    @property
    def reference(self) -> str:
        return format_reference(self.year, self.number)


def format_reference(year: int, number: int) -> str:
    return f"CASE-{year:04d}-{number:04d}"


def parse_reference(text: str) -> CaseNumber | None:
    """The year and number of a reference as typed (any case, spaces around), or None."""
    match = _REFERENCE.match(text.strip().upper())
    return CaseNumber(int(match.group(1)), int(match.group(2))) if match else None


def is_overdue(deadline: date | None, status: str, today: date) -> bool:
    """A case is overdue when its deadline has passed (the day itself still counts) and it is
    not closed."""
    return deadline is not None and status != "closed" and deadline < today


def clean_title(text: str) -> str:
    title = " ".join(text.split())
    if not title:
        raise InvalidInput("a case needs a title", field="title")
    if len(title) > MAX_TITLE:
        raise InvalidInput(f"a title holds at most {MAX_TITLE} characters", field="title")
    return title


def clean_note(text: str) -> str:
    note = text.strip()
    if not note:
        raise InvalidInput("a note needs some text", field="text")
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"a note holds at most {MAX_NOTE} characters", field="text")
    return note


def clean_assignee(text: str | None) -> str | None:
    """A username, or None for nobody."""
    name = (text or "").strip()
    if not name:
        return None
    if len(name) > MAX_ASSIGNEE or not _ASSIGNEE.match(name):
        raise InvalidInput("an assignee is a username (letters, digits, . _ @ -)", field="assignee")
    return name


def check_status(status: str) -> str:
    if status not in STATUSES:
        raise InvalidInput(f"unknown status {status!r}", field="status")
    return status


def read_deadline(text: str | None) -> date | None:
    """A deadline as a form sends it (`YYYY-MM-DD`, empty for none)."""
    value = (text or "").strip()
    if not value:
        return None
    try:
        deadline = date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput("a deadline is a date, YYYY-MM-DD", field="deadline") from exc
    if deadline < EARLIEST_DATE:
        raise InvalidInput(f"a deadline is {EARLIEST_DATE} or later", field="deadline")
    return deadline


def read_campaign_uid(text: str | None) -> UUID:
    """A campaign's identifier as typed or pasted in a form: the identifier itself, or the
    address of its page (`https://…/campaigns/<uid>`), whose last identifier is taken."""
    found = _UUID.findall(text or "")
    if not found:
        raise InvalidInput("give the campaign's address or identifier", field="campaign_uid")
    return UUID(found[-1])


# Deadlines are days in Vietnam, where the units work (no daylight saving time).


def local_today(now: datetime) -> date:
    return now.astimezone(VIETNAM_TIME).date()
