"""A partner's sharing policy, as plain values: the highest TLP it may receive, the categories
and indicator kinds it gets, and whether it receives campaigns.

Categories travel as a bit mask (`category_mask`): a published object carries the mask of the
categories of the reports behind it, and a policy admits it when the two masks share a bit, a
test the database makes in the query (`tipline.sharing.repository`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tipline.indicators.types import Kind
from tipline.sharing.tlp import Tlp, parse_tlp, tlps_up_to
from tipline.vocabulary import CATEGORIES

KINDS: tuple[str, ...] = tuple(k.value for k in Kind)
ALL_CATEGORIES_MASK = (1 << len(CATEGORIES)) - 1


def category_bit(category: str) -> int:
    """The bit of one category; ValueError for a word that is no category."""
    try:
        return 1 << CATEGORIES.index(category)
    except ValueError:
        raise ValueError(f"no category {category!r}") from None


def category_mask(categories: Iterable[str]) -> int:
    """The mask of some categories: `{"fraud.investment", "sextortion"}` → two bits set."""
    mask = 0
    for category in categories:
        mask |= category_bit(category)
    return mask


def categories_of(mask: int) -> tuple[str, ...]:
    """The categories a mask names, in the vocabulary's order."""
    return tuple(c for i, c in enumerate(CATEGORIES) if mask & (1 << i))


@dataclass(frozen=True, slots=True)
class SharingPolicy:
    """What one partner may receive. The default receives nothing but TLP:CLEAR indicators."""

    max_tlp: Tlp = Tlp.CLEAR
    categories: frozenset[str] = frozenset(CATEGORIES)
    kinds: frozenset[str] = frozenset(KINDS)
    campaigns: bool = False

    @property
    def tlps(self) -> tuple[Tlp, ...]:
        return tlps_up_to(self.max_tlp)

    @property
    def category_mask(self) -> int:
        return category_mask(self.categories)

    def admits(self, tlp: Tlp, kind: str | None, mask: int, needs_campaigns: bool) -> bool:
        """Whether an object of this TLP, indicator kind and categories may go to the partner
        (the same test as the repository's query, for code that holds objects in memory)."""
        return (
            tlp.rank <= self.max_tlp.rank
            and (kind is None or kind in self.kinds)
            and bool(mask & self.category_mask)
            and (self.campaigns or not needs_campaigns)
        )


def policy_problem(max_tlp: str, categories: Iterable[str], kinds: Iterable[str]) -> str | None:
    """Why a policy cannot be stored, or None."""
    try:
        parse_tlp(max_tlp)
    except ValueError as error:
        return str(error)
    unknown = [c for c in categories if c not in CATEGORIES]
    if unknown:
        return f"no category {unknown[0]!r}: one of {', '.join(CATEGORIES)}"
    odd = [k for k in kinds if k not in KINDS]
    if odd:
        return f"no indicator kind {odd[0]!r}: one of {', '.join(KINDS)}"
    return None


def joined(words: Iterable[str]) -> str:
    """How a policy's list is stored: `fraud.investment,sextortion` (sorted)."""
    return ",".join(sorted(set(words)))


def split(stored: str) -> frozenset[str]:
    return frozenset(word for word in stored.split(",") if word)
