"""Stable campaign identifiers: which identifier each campaign keeps when campaigns change.

Internally a campaign is labelled by its smallest report id (`tipline.campaigns.core`), a label
that changes when campaigns merge. Shared objects and public alerts point at a campaign by a
UUID instead, and that identifier must survive merges and splits. After every change of the
partition (an incremental link, a re-partition after a new hub or a rejected link, a full
rebuild) the identifiers of the campaigns that changed are carried over by one rule:

1. Each former identifier goes to the new campaign that holds most of its former campaign's
   reports (on a tie, the one with the smallest label).
2. When several identifiers go to one new campaign, the one whose former campaign was largest
   survives (the oldest identifier on a tie, then the smallest former label); the others are
   retired as *merged into* it, and an old identifier still resolves to the survivor.
3. A new campaign of more than one report that receives no identifier gets a new one. A lone
   report is no campaign to list or point at: it gets none until another report joins it (it
   keeps one it received by rule 1, as the larger part of a split).
4. So on a split, the part that holds most of the former campaign keeps its identifier, and the
   other parts of more than one report get new ones.
5. An identifier whose reports are all gone (deleted reports) is dissolved: it resolves to
   nothing.

The rule sees only the campaigns concerned, so an incremental link touches only the campaigns
its new reports joined. It depends only on the former and the new partition, so a rebuild over
a state reached incrementally finds every campaign unchanged and keeps every identifier.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True, slots=True)
class Former:
    """A campaign before the change: its identifier, and where its reports are now.

    `shares` maps each new campaign's label to how many of this campaign's reports it holds.
    """

    uid: UUID
    label: int
    created_at: datetime
    shares: Mapping[int, int]

    @property
    def size(self) -> int:
        return sum(self.shares.values())

    def destination(self) -> int | None:
        """The new campaign holding most of its reports (smallest label on a tie)."""
        if not self.shares:
            return None
        return min(self.shares, key=lambda label: (-self.shares[label], label))


@dataclass(frozen=True)
class Identities:
    """What to store: each surviving identifier's label, retirements and new campaigns."""

    relabelled: dict[UUID, int] = field(default_factory=dict)  # only labels that changed
    merged: dict[UUID, UUID] = field(default_factory=dict)  # retired -> survivor
    fresh: frozenset[int] = frozenset()  # labels of new campaigns that need a new identifier
    dissolved: frozenset[UUID] = frozenset()


def _survivor(candidates: list[Former]) -> Former:
    return min(candidates, key=lambda f: (-f.size, f.created_at, f.label))


def carry_identities(formers: Iterable[Former], new_labels: Iterable[int]) -> Identities:
    """Apply the rule of this module to the campaigns concerned by one change.

    `formers` are the campaigns (with an identifier) whose reports the change moved, and
    `new_labels` the labels of every campaign of more than one report those reports are in now.
    """
    arriving: dict[int, list[Former]] = {}
    dissolved = set()
    for former in formers:
        target = former.destination()
        if target is None:
            dissolved.add(former.uid)
        else:
            arriving.setdefault(target, []).append(former)
    relabelled: dict[UUID, int] = {}
    merged: dict[UUID, UUID] = {}
    for label, candidates in arriving.items():
        survivor = _survivor(candidates)
        if survivor.label != label:
            relabelled[survivor.uid] = label
        merged.update((f.uid, survivor.uid) for f in candidates if f is not survivor)
    fresh = frozenset(label for label in new_labels if label not in arriving)
    return Identities(relabelled, merged, fresh, frozenset(dissolved))
