"""A sharing policy as people write and read it: `fraud.investment,sextortion` or `all` on the
command line and in forms, and one line that sums a policy up (`TLP:AMBER · 3 categories ·
phone, url · campaigns`). Pure."""

from __future__ import annotations

from collections.abc import Iterable

from tipline.sharing.policy import KINDS, SharingPolicy, policy_problem
from tipline.sharing.tlp import Tlp
from tipline.vocabulary import CATEGORIES

EVERY = "all"


def chosen_words(text: str, every: Iterable[str]) -> frozenset[str]:
    """`fraud.investment, sextortion` → those two; `all` → every one of `every`."""
    words = {word.strip() for word in text.split(",") if word.strip()}
    return frozenset(every) if EVERY in words else frozenset(words)


def listed(words: Iterable[str], every: Iterable[str]) -> str:
    """The words in the order of `every`, comma-separated; `all` when they are every one."""
    kept = set(words)
    known = tuple(every)
    if kept >= set(known):
        return EVERY
    return ", ".join([w for w in known if w in kept] + sorted(kept - set(known)))


def policy_summary(policy: SharingPolicy) -> str:
    """One line: `TLP:AMBER · fraud.investment, fraud.romance · phone, url · campaigns`."""
    categories = listed(policy.categories, CATEGORIES)
    kinds = listed(policy.kinds, KINDS)
    campaigns = "campaigns" if policy.campaigns else "no campaigns"
    return f"{policy.max_tlp.label} · categories: {categories} · kinds: {kinds} · {campaigns}"


def policy_lines(policy: SharingPolicy) -> list[str]:
    """A policy in four lines, as `tipline partners policy` shows it."""
    return [
        f"highest TLP: {policy.max_tlp.label}",
        f"categories:  {listed(policy.categories, CATEGORIES)}",
        f"kinds:       {listed(policy.kinds, KINDS)}",
        f"campaigns:   {'yes' if policy.campaigns else 'no'}",
    ]


def part_problem(
    max_tlp: str, categories: Iterable[str], kinds: Iterable[str]
) -> tuple[str, str] | None:
    """The first part of a policy that cannot be stored, as (field, why), or None: each part
    checked by `policy_problem`, and an empty list of categories or kinds refused (a partner
    who should receive nothing has its users disabled instead)."""
    chosen_categories, chosen_kinds = set(categories), set(kinds)
    parts = {
        "max_tlp": (max_tlp, (), ()),
        "categories": (Tlp.CLEAR.value, chosen_categories, ()),
        "kinds": (Tlp.CLEAR.value, (), chosen_kinds),
    }
    for field, (tlp, some_categories, some_kinds) in parts.items():
        if problem := policy_problem(tlp, some_categories, some_kinds):
            return field, problem
    if not chosen_categories:
        return "categories", "a policy names at least one category (or `all`)"
    if not chosen_kinds:
        return "kinds", "a policy names at least one indicator kind (or `all`)"
    return None
