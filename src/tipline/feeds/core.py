"""The pure rules of the feed: what an organisation's agreement lets it ask for, whether an
indicator is in the feed (and why not), its confidence, and when an entry changed.

No database: `repository` gathers an indicator's `Facts`, `state_of` decides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from tipline.errors import InvalidInput, NotPermitted
from tipline.sharing.policy import category_mask, policy_problem
from tipline.sharing.stix import confidence as confirmed_confidence
from tipline.sharing.tlp import Tlp

# Confidence of an indicator only a blocklist (or a partner's feed) lists: below any analyst's
# confirmation, so an agreement at the default minimum (70) receives confirmed indicators only.
LISTED_CONFIDENCE = 50
# The TLPs a feed may carry: organisations share within themselves and with their clients
# (TLP:AMBER); an indicator marked AMBER+STRICT or RED never goes to one.
FEED_TLPS = ("clear", "green", "amber")
# Why an entry left the feed; `out_of_scope` is said only to a reader whose filters it left.
REJECTED, EXPIRED, WITHDRAWN, OUT_OF_SCOPE = "rejected", "expired", "withdrawn", "out_of_scope"
FORMATS = ("jsonl", "csv", "stix")


@dataclass(frozen=True, slots=True)
class Agreement:
    """What one organisation may pull: kinds, categories (as a mask), lowest confidence."""

    kinds: frozenset[str]
    categories: frozenset[str]
    min_confidence: int

    @property
    def category_mask(self) -> int:
        return category_mask(self.categories)


NO_AGREEMENT = Agreement(frozenset(), frozenset(), 100)


@dataclass(frozen=True, slots=True)
class FeedFilter:
    """What one pull reads: kinds, categories' mask and lowest confidence, all within the
    caller's agreement."""

    kinds: tuple[str, ...]
    category_mask: int
    min_confidence: int


def words(text: str | None) -> list[str]:
    """`"phone, url"` → `["phone", "url"]`; None or empty: no words."""
    return [word.strip() for word in (text or "").split(",") if word.strip()]


def agreement_problem(kinds: Iterable[str], categories: Iterable[str], floor: int) -> str | None:
    """Why an agreement cannot be stored, or None: its words as a sharing policy's."""
    if problem := policy_problem(Tlp.CLEAR.value, categories, kinds):
        return problem
    if not 0 <= floor <= 100:
        return "a minimum confidence is between 0 and 100"
    return None


def narrowed(
    agreement: Agreement,
    kinds: str | None = None,
    categories: str | None = None,
    min_confidence: int | None = None,
) -> FeedFilter:
    """The filter of a pull that asked for these kinds, categories and lowest confidence
    (None: all the agreement allows). InvalidInput for a word that is no kind or category;
    NotPermitted for one outside the agreement."""
    asked_kinds, asked_categories = words(kinds), words(categories)
    problem = agreement_problem(asked_kinds, asked_categories, min_confidence or 0)
    if problem is not None:
        field = "min_confidence" if "confidence" in problem else "kind"
        raise InvalidInput(problem, field="category" if "category" in problem else field)
    outside = set(asked_kinds) - agreement.kinds or set(asked_categories) - agreement.categories
    if outside:
        raise NotPermitted(f"your organisation's agreement does not cover {sorted(outside)[0]}")
    chosen_kinds = sorted(set(asked_kinds) if asked_kinds else agreement.kinds)
    mask = category_mask(asked_categories) if asked_categories else agreement.category_mask
    floor = max(agreement.min_confidence, min_confidence or 0)
    return FeedFilter(tuple(chosen_kinds), mask, floor)


@dataclass(slots=True)
class Facts:
    """What the database says of one indicator, gathered for `state_of`: the reports that
    confirm it (not as the reporter's own) and the lists that name it, by category."""

    kind: str
    value: str
    allowlisted: bool
    tlp: str | None
    confirmed: int = 0
    confirmed_mask: int = 0
    listed_mask: int = 0
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    own: bool = False  # a report calls it the reporter's own
    rejected: bool = False  # an analyst rejected it in a report

    def seen(self, first: datetime, last: datetime) -> None:
        self.first_seen = first if self.first_seen is None else min(self.first_seen, first)
        self.last_seen = last if self.last_seen is None else max(self.last_seen, last)


@dataclass(frozen=True, slots=True)
class State:
    """An indicator as the feed says it: present, or not and why."""

    present: bool
    reason: str | None
    category_mask: int
    confidence: int
    tlp: str
    first_seen: datetime
    last_seen: datetime


def confidence(facts: Facts) -> int:
    """As sharing says it for analysts' confirmations (70, 80, 90, 95); a listing alone: 50."""
    return confirmed_confidence(facts.confirmed) if facts.confirmed else LISTED_CONFIDENCE


def absence(facts: Facts, tlp: str, now: datetime, expiry: timedelta) -> str | None:
    """Why the indicator is not in the feed, or None when it is."""
    if facts.allowlisted or facts.own or tlp not in FEED_TLPS:
        return WITHDRAWN
    # An analyst's rejection outweighs a blocklist's listing, not another's confirmation.
    if not facts.confirmed and (facts.rejected or not facts.listed_mask):
        return REJECTED if facts.rejected else WITHDRAWN
    if facts.last_seen is not None and facts.last_seen < now - expiry:
        return EXPIRED
    return None


def state_of(facts: Facts, now: datetime, expiry: timedelta, default_tlp: str) -> State:
    """The feed's word on an indicator, from its facts."""
    tlp = facts.tlp or default_tlp
    reason = absence(facts, tlp, now, expiry)
    return State(
        present=reason is None,
        reason=reason,
        category_mask=facts.confirmed_mask | facts.listed_mask,
        confidence=confidence(facts),
        tlp=tlp,
        first_seen=facts.first_seen or now,
        last_seen=facts.last_seen or now,
    )


def differs(stored: State, fresh: State) -> bool:
    """Whether a reader must hear of the entry again: it came or left, or what a filter reads
    of it (categories, confidence, TLP) changed. A new sighting alone is not a change."""
    return (stored.present, stored.category_mask, stored.confidence, stored.tlp) != (
        fresh.present,
        fresh.category_mask,
        fresh.confidence,
        fresh.tlp,
    ) or (not fresh.present and stored.reason != fresh.reason)
