"""Realistic, clearly fictional victim reports with their exact expected indicators.

`generate_reports(n, seed)` writes reports in Vietnamese (with and without diacritics, some in
teen-code) and English, across the twelve triage categories, with indicators drawn from
fictional scam rings and written the many ways victims write them, next to realistic negatives
(amounts, dates, OTP codes, citizen IDs, service numbers, file names). Each report carries the
`(kind, canonical value)` pairs the indicators spec says it yields, and the triage facts.
The same seed gives the same reports; no global random state is used.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from tipline.demo import surface_forms as sf
from tipline.demo.draft import SPAN_MINUTES, START, Draft
from tipline.demo.fillers import Fillers
from tipline.demo.narrative_templates import templates
from tipline.demo.plot import plot_report
from tipline.demo.rings import RingPool
from tipline.vocabulary import CATEGORIES

# Half the reports in Vietnamese with diacritics, a fifth without, some teen-code, 22% English.
STYLE_BY_PERCENT = ("vi",) * 50 + ("vi_plain",) * 20 + ("vi_teen",) * 8 + ("en",) * 22


@dataclass(frozen=True, slots=True)
class Mix:
    """What the generated reports are about: each category's share (in any unit) and the share
    of reports, outside child exploitation, whose victim is under 18."""

    categories: Mapping[str, int]
    minors: float


# The demo data set's mix, reports per category in a thousand: a tipline's reports are mostly
# fraud (impersonated officials, shopping, job tasks, phishing, investment); harassment,
# sextortion, hacking and child exploitation are few, and few fraud victims are children. So
# `critical` (a child in sexual danger, a threat to life, a sextortion deadline: `plot.STAGES`)
# is rare, as in a real queue: a few in a hundred. An estimate of such a service's mix, not a
# measured figure.
DEMO_MIX = Mix(
    categories={
        "fraud.impersonation": 170,
        "fraud.investment": 130,
        "fraud.job_task": 140,
        "fraud.romance": 60,
        "fraud.loan": 80,
        "fraud.shopping": 150,
        "fraud.phishing": 130,
        "sextortion": 30,
        "harassment": 40,
        "child_exploitation": 15,
        "hacking": 20,
        "other": 35,
    },
    minors=0.04,
)
# Every category as often, and many young victims: for benches and tests that measure each
# category and each urgency.
EVEN_MIX = Mix(categories=dict.fromkeys(CATEGORIES, 1), minors=0.12)

_BANK_NAMES = sorted(
    {sf.strip_marks(n).lower() for names in sf.BANK_NAMES.values() for n in names},
    key=len,
    reverse=True,
)
_BANK_MENTION = re.compile(
    r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, _BANK_NAMES)) + r")(?![a-z0-9])"
)


@dataclass(frozen=True, slots=True)
class GeneratedReport:
    """One generated report and what a perfect extractor and triage would say about it."""

    external_id: str
    text: str
    language: str  # "vi" or "en"
    category: str
    urgency: str  # critical, high, normal or low
    expected: tuple[tuple[str, str], ...]  # (kind, canonical value), in order of appearance
    loss_amount: Decimal | None
    loss_currency: str | None  # "VND", "USD" or None
    occurred_at: datetime
    received_at: datetime  # when the report came in: some hours or days after it happened
    province: str  # a Vietnamese province or city, sometimes a foreign country (English name)
    victim_age: int | None


def category_table(mix: Mix) -> tuple[str, ...]:
    """Each category as many times as its share in `mix`, so that a draw is one index."""
    shares = mix.categories
    return tuple(category for category in CATEGORIES for _ in range(shares.get(category, 0)))


def generate_reports(
    n: int, seed: int, until: datetime | None = None, mix: Mix = EVEN_MIX
) -> Iterator[GeneratedReport]:
    """`n` reports, the same for the same seed (and `until`, `mix`); the first `k` do not depend
    on `n`. They happen over the three years from `START`, or the three years before `until`;
    their categories and victims' ages are drawn by `mix` (the demo data set's: `DEMO_MIX`)."""
    start = START if until is None else until - timedelta(minutes=SPAN_MINUTES)
    end = start + timedelta(minutes=SPAN_MINUTES)
    rng = random.Random(seed)
    pool = RingPool(rng)
    fillers = Fillers.load()
    styles = {s: templates(s) for s in ("vi", "vi_plain", "vi_teen", "en")}
    categories = category_table(mix)
    for index in range(n):
        category = categories[int(rng.random() * len(categories))]
        style = STYLE_BY_PERCENT[int(rng.random() * 100)]
        draft = Draft(rng, fillers, pool, category, style, start)
        urgency = plot_report(draft, styles[style], mix.minors)
        text, expected = finish(draft)
        loss_amount, loss_currency = draft.loss if draft.loss else (None, None)
        yield GeneratedReport(
            external_id=f"gen-{seed}-{index:07d}",
            text=text,
            language=draft.lang,
            category=category,
            urgency=urgency,
            expected=expected,
            loss_amount=loss_amount,
            loss_currency=loss_currency,
            occurred_at=draft.occurred_at,
            received_at=min(end, draft.occurred_at + reporting_delay(seed, index)),
            province=draft.province,
            victim_age=draft.victim_age,
        )


def reporting_delay(seed: int, index: int) -> timedelta:
    """How long after it happened report `index` came in: most within a day or two, a few weeks
    later. Its own random source (by seed and index), so the texts do not change with it."""
    rng = random.Random(f"received-{seed}-{index}")
    hours = rng.expovariate(1 / 30)  # a mean of 30 hours
    return timedelta(minutes=int(min(hours, 60 * 24) * 60))


def finish(d: Draft) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Join the text; an account written without a bank gets one if a bank is named anywhere."""
    text = "".join(d.parts)
    if d.unknown_accounts and _BANK_MENTION.search(sf.strip_marks(text).lower()):
        for part_index, expected_index, account in d.unknown_accounts:
            written, expected = sf.bank_account(d.rng, account, d.lang, named=True)
            d.parts[part_index] = d.plain(written)
            d.expected[expected_index] = expected[0]
        text = "".join(d.parts)
    return text, tuple(dict.fromkeys(d.expected))
