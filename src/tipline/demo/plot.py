"""The plot of a generated report: which sentences it tells, in what order, and its urgency.

Urgency follows the triage spec: a child in sexual danger, a threat to life or a sextortion
deadline is critical; money leaving now, a victim under 18 or an attack under way is high; a
past loss or harassment is normal; a suspicious message without loss is low.
"""

from __future__ import annotations

import random

from tipline.demo.draft import Draft, write
from tipline.demo.narrative_templates import Section, Template
from tipline.demo.ring_indicators import choose
from tipline.vocabulary import URGENCIES

ADULT_AGE = 18
# category -> ((outcome key, urgency, weight), ...)
STAGES: dict[str, tuple[tuple[str, str, int], ...]] = {
    "sextortion": (("sextortion_now", "critical", 75), ("sextortion_past", "normal", 25)),
    "harassment": (("harassment_threat", "critical", 15), ("harassment_normal", "normal", 85)),
    "child_exploitation": (("child", "critical", 1),),
    "hacking": (("hacking_now", "high", 40), ("hacking_past", "normal", 60)),
    "other": (("other_low", "low", 60), ("other_normal", "normal", 40)),
}
MONEY_STAGES = (("money_now", "high", 30), ("money_past", "normal", 50), ("money_none", "low", 20))


def _stage_table(stages: tuple[tuple[str, str, int], ...]) -> tuple[tuple[str, str], ...]:
    """One entry per percent, so that a draw is one index."""
    total = sum(weight for _, _, weight in stages)
    table: list[tuple[str, str]] = []
    for stage, urgency, weight in stages:
        table += [(stage, urgency)] * round(100 * weight / total)
    return tuple(table)


STAGE_TABLES = {c: _stage_table(s) for c, s in STAGES.items()}
MONEY_TABLE = _stage_table(MONEY_STAGES)


def choose_stage(rng: random.Random, category: str) -> tuple[str, str]:
    return choose(rng, STAGE_TABLES.get(category, MONEY_TABLE))


def choose_age(d: Draft, minors: float = 0.12) -> bool:
    """Set the victim's age when the report states it; True when a sentence should say it.
    Outside child exploitation, a share `minors` of the victims are under 18."""
    roll = d.rng.random()
    if d.category == "child_exploitation":
        d.victim_age = d.rng.randint(9, 17)
        return False
    if roll < minors and d.category != "hacking":  # organisations' incidents: adults report them
        d.victim_age = d.rng.randint(12, 17)
        return True
    if roll < 0.35:
        d.victim_age = d.rng.randint(18, 72)
        return roll < 0.2
    return False


def pick(rng: random.Random, section: Section, key: str) -> Template:
    groups = section[key]
    group = groups[int(rng.random() * len(groups))]
    return group[int(rng.random() * len(group))]


def age_sentence(d: Draft, ages: Section) -> Template:
    """The sentence that gives the victim's age: a schoolchild's or a parent's words only for an
    age under 18 (never "a 55-year-old in grade 8", which reads as a child at risk)."""
    minor = d.victim_age is not None and d.victim_age < ADULT_AGE
    groups = ages["anyone"] + ages["child"] if minor else ages["anyone"]
    group = groups[int(d.rng.random() * len(groups))]
    return group[int(d.rng.random() * len(group))]


def story_section(stage: str) -> str:
    """The stories an outcome may tell: none of a loss when there was none, none of a deadline
    or of more demands when the threat is over (past sextortion is not critical)."""
    if stage == "money_none":
        return "story_noloss"
    return "story_past" if stage == "sextortion_past" else "story"


def sentences(d: Draft, t: dict[str, Section], stage: str, say_age: bool) -> list[Template]:
    rng, c = d.rng, d.category
    shape = rng.random()
    count = (
        1
        if shape < 0.12
        else 5 + int(shape * 1000) % 4
        if shape > 0.85
        else 2 + int(shape * 1000) % 4
    )
    stories = t[story_section(stage)][c]
    size = len(stories)
    chosen = sorted({int(rng.random() * size) for _ in range(count)})  # repeats merge: fine
    told = [choose(rng, stories[i]) for i in chosen]
    if shape >= 0.12 or rng.random() < 0.3:
        told.insert(0, pick(rng, t["open"], c))
    extras = int(shape * 10000) % 2 if shape < 0.85 else 1 + int(shape * 10000) % 3
    for _ in range(extras):
        told.insert(rng.randint(1, len(told)), pick(rng, t["extra"], ""))
    if say_age:
        told.insert(1, age_sentence(d, t["age"]))
    if shape >= 0.12 or rng.random() < 0.5:
        told.append(pick(rng, t["outcome"], stage))
    if shape >= 0.12 and rng.random() < 0.6:
        told.append(pick(rng, t["ask"], ""))
    return told


def plot_report(d: Draft, t: dict[str, Section], minors: float = 0.12) -> str:
    """Write the report's sentences into `d` (a share `minors` of victims under 18, outside
    child exploitation); return its urgency."""
    rng = d.rng
    stage, urgency = choose_stage(rng, d.category)
    say_age = choose_age(d, minors)
    told = sentences(d, t, stage, say_age)
    breaks = len(told) >= 6
    for i, template in enumerate(told):
        if i:
            d.parts.append("\n\n" if breaks and rng.random() < 0.3 else " ")
        write(d, template)
    if d.victim_age is not None and d.victim_age < 18:
        urgency = max(urgency, "high", key=URGENCIES.index)
    return urgency
