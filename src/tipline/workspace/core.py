"""The queue's pure rules: reading filters, the search query, page cursors, ages and snippets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from tipline.cursors import make_cursor
from tipline.cursors import read_cursor as read_key
from tipline.principals import LEAD_ROLES, Principal, Role
from tipline.vocabulary import CATEGORIES, URGENCIES, VIETNAM_TIME
from tipline.vocabulary import REPORT_STATUSES as STATUSES

# "victim": the value is the reporter's (the victim's) own, which the public check never shows.
REVIEW_STATES = ("confirmed", "rejected", "victim")
REVIEW_ACTIONS = {
    "confirmed": "indicator.confirm",
    "rejected": "indicator.reject",
    "victim": "indicator.victim",
}
# The queue's orders: by urgency (a child at risk or a risk to life first within one, then the
# oldest), the oldest or the newest first, the largest loss first (reports that state one).
SORTS = ("urgency", "age", "newest", "loss")
DEFAULT_SORT = "urgency"
PAGE_SIZE = 50
# Who may read a reporter's contact (personal data): those who call her back.
CONTACT_ROLES = (Role.ANALYST, Role.SUPERVISOR)
SNIPPET_LENGTH = 160
MAX_SEARCH_LENGTH = 200
MAX_NOTE_LENGTH = 10_000


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """What an analyst narrowed the queue to; None or "" means "any"."""

    category: str | None = None
    status: str | None = None
    province: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""
    urgency: str | None = None
    sort: str = DEFAULT_SORT
    mine: bool = False  # only the reports assigned to the caller

    def query_items(self) -> list[tuple[str, str]]:
        """The filter as query parameters (for links to other pages of the same queue)."""
        items = [
            ("category", self.category or ""),
            ("urgency", self.urgency or ""),
            ("status", self.status or ""),
            ("province", self.province or ""),
            ("from", self.date_from.isoformat() if self.date_from else ""),
            ("to", self.date_to.isoformat() if self.date_to else ""),
            ("q", self.text),
            ("sort", self.sort if self.sort != DEFAULT_SORT else ""),
            ("mine", "1" if self.mine else ""),
        ]
        return [(key, value) for key, value in items if value]


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Which page: the first, the one after report `after`, or the one before report `before`."""

    after: int | None = None
    before: int | None = None
    size: int = PAGE_SIZE


def _choice(value: str | None, allowed: tuple[str, ...]) -> str | None:
    return value if value in allowed else None


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _report_id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 19 else None


def read_filter(params: Mapping[str, str]) -> QueueFilter:
    """The queue filter from query parameters; a value that is not one of the known ones is
    dropped rather than refused (a stale bookmark still opens the queue)."""
    province = (params.get("province") or "").strip()[:100]
    return QueueFilter(
        category=_choice(params.get("category"), CATEGORIES),
        urgency=_choice(params.get("urgency"), URGENCIES),
        status=_choice(params.get("status"), STATUSES),
        province=province or None,
        date_from=_day(params.get("from")),
        date_to=_day(params.get("to")),
        text=" ".join((params.get("q") or "").split())[:MAX_SEARCH_LENGTH],
        sort=_choice(params.get("sort"), SORTS) or DEFAULT_SORT,
        mine=params.get("mine") == "1",
    )


def read_page(params: Mapping[str, str]) -> PageRequest:
    after, before = _report_id(params.get("after")), _report_id(params.get("before"))
    return PageRequest(after=after, before=None if after is not None else before)


def page_cursor(direction: str, report_id: int) -> str:
    """An opaque cursor: the page `direction` ("after" or "before") of report `report_id`."""
    return make_cursor(direction, report_id)


def read_cursor(cursor: str | None, size: int = PAGE_SIZE) -> PageRequest:
    """The page a cursor that `page_cursor` made names; None for the first page."""
    if not cursor:
        return PageRequest(size=size)
    direction, report_id = read_key(cursor)
    if direction == "after":
        return PageRequest(after=report_id, size=size)
    return PageRequest(before=report_id, size=size)


def fts5_query(terms: Sequence[Sequence[str]]) -> str | None:
    """An FTS5 MATCH expression finding narratives with every word of a search: `terms` has,
    for each word, its keyed hashes (one per data key, any may match: tipline.keyring).

    Each term is quoted, so that nothing is read as FTS5 syntax; None when there is no word."""
    if not terms:
        return None
    return " AND ".join("(" + " OR ".join(f'"{term}"' for term in word) + ")" for word in terms)


def postgres_query(terms: Sequence[Sequence[str]]) -> str | None:
    """The same for `to_tsquery` (the terms are hex: nothing in them is query syntax)."""
    if not terms:
        return None
    return " & ".join("(" + " | ".join(word) + ")" for word in terms)


def day_bounds(flt: QueueFilter) -> tuple[datetime | None, datetime | None]:
    """The filter's days as [start, end) instants: from the start of `date_from` to the end of
    `date_to`, Vietnam time. Swapped days are put in order."""
    start, end = flt.date_from, flt.date_to
    if start and end and start > end:
        start, end = end, start
    low = datetime.combine(start, time(), VIETNAM_TIME) if start else None
    high = datetime.combine(end + timedelta(days=1), time(), VIETNAM_TIME) if end else None
    return low, high


def ordered_filter(flt: QueueFilter) -> QueueFilter:
    """The filter with its days in order (as `day_bounds` reads them)."""
    if flt.date_from and flt.date_to and flt.date_from > flt.date_to:
        return replace(flt, date_from=flt.date_to, date_to=flt.date_from)
    return flt


def snippet(narrative: str, length: int = SNIPPET_LENGTH) -> str:
    """The start of a narrative on one line, cut at a word and marked with … when cut."""
    flat = " ".join(narrative.split())
    if len(flat) <= length:
        return flat
    cut = flat[:length].rsplit(" ", 1)[0] or flat[:length]
    return cut + "…"


def waiting(created_at: datetime, now: datetime) -> tuple[int, str]:
    """How long a report has waited, as (amount, unit) with unit minutes, hours or days."""
    seconds = max(0, int((now - created_at).total_seconds()))
    if seconds < 3600:
        return seconds // 60, "minutes"
    if seconds < 2 * 86400:
        return seconds // 3600, "hours"
    return seconds // 86400, "days"


def may_assign(caller: Principal, current: str | None, assignee: str | None) -> bool:
    """Whether the caller may move a report from `current` to `assignee`: a lead any move; an
    analyst may take a report nobody has (or hers already) and let go of her own."""
    if caller.role in LEAD_ROLES:
        return True
    mine = caller.username
    if assignee == mine:
        return current in (None, mine)
    return assignee is None and current == mine
