"""What the public check may say about a value that reports name: the privacy rules.

A report is one person's word, and its category says what happened to that person. So:

- links that call the value the reporter's own are not counted at all (the repository leaves
  them out): a victim's own phone or email is answered as if nobody had reported it;
- a value only one report names, and no analyst confirmed, is answered "reported" with no
  category and no dates: that someone named it, not what happened nor when;
- child exploitation and sextortion are never shown for a value no analyst confirmed, however
  many reports name it: the category would say what was done to the people who reported.

Feeds are public lists and are shown as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# tipline.triage's names of these categories (triage reads indicators, not the other way).
UNCONFIRMED_HIDDEN = frozenset({"child_exploitation", "sextortion"})


@dataclass(frozen=True, slots=True)
class Disclosure:
    """What may be shown of a value's reports: their count, categories, and whether their dates."""

    report_count: int
    categories: dict[str, int]
    dates: bool


def disclosed(categories: Mapping[str, int], confirmed: bool) -> Disclosure:
    """The public part of a value's report tally (by category, reporter's own links left out)."""
    count = sum(categories.values())
    if confirmed:
        return Disclosure(count, dict(categories), dates=count > 0)
    if count <= 1:
        return Disclosure(count, {}, dates=False)
    shown = {name: n for name, n in categories.items() if name not in UNCONFIRMED_HIDDEN}
    return Disclosure(count, shown, dates=True)
