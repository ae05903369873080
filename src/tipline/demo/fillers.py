"""Words that fill a report's non-indicator slots: places, people, amounts, dates and negatives.

The negatives are what an extractor must leave alone: amounts, dates, times, OTP codes, citizen
ID numbers, 1900/1800 service lines, emergency numbers, masked numbers, file names, transaction
references and version numbers.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from tipline.demo.ring_indicators import choose, digits

EN_DATES = ("{mon} {d}, {y}", "{d} {mon} {y}", "{y}-{m:02d}-{d:02d}", "{d:02d}/{m:02d}/{y}")
VI_DATES = (
    "{d}/{m}/{y}",
    "{d:02d}/{m:02d}/{y}",
    "{d}/{m}",
    "{d:02d}-{m:02d}-{y}",
    "{d:02d}.{m:02d}.{y}",
)
EN_MONTHS = (
    "January February March April May June July August September October November December"
).split()


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


@dataclass(frozen=True)
class Fillers:
    provinces: tuple[str, ...]
    province_display: dict[str, tuple[str, ...]]
    countries: dict[str, tuple[str, str]]
    victims: tuple[str, ...]
    words: dict[str, dict[str, tuple[str, ...]]]  # name -> lang -> choices
    files: tuple[str, ...]
    legit: tuple[str, ...]

    @classmethod
    @cache
    def load(cls) -> Fillers:
        source = resources.files("tipline.demo").joinpath("templates", "fillers.json")
        raw: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
        words = {
            name: {lang: tuple(v) for lang, v in raw[name].items()}
            for name in ("agency", "persona", "item")
        }
        words["app"] = {"vi": tuple(raw["app"]), "en": tuple(raw["app"])}
        return cls(
            provinces=tuple(raw["provinces"]),
            province_display={k: tuple(v) for k, v in raw["province_display"].items()},
            countries={k: (v[0], v[1]) for k, v in raw["countries"].items()},
            victims=tuple(raw["victims"]),
            words=words,
            files=tuple(raw["files"]),
            legit=tuple(raw["legit"]),
        )

    def province(self, rng: random.Random, lang: str) -> tuple[str, tuple[str, ...]]:
        """The report's place (field value) and how the text may name it."""
        if rng.random() < 0.05:
            country = choose(rng, tuple(self.countries))
            return country, (self.countries[country][0 if lang == "vi" else 1],)
        name = choose(rng, self.provinces)
        return name, self.province_display.get(name, (name,))

    def loss(self, rng: random.Random, lang: str) -> tuple[Decimal, str]:
        if rng.random() < (0.35 if lang == "en" else 0.04):
            return Decimal(round(10 ** rng.uniform(1.7, 4.7), -1)), "USD"
        return Decimal(round(10 ** rng.uniform(5.7, 9.3), -5)), "VND"

    def amount_text(self, rng: random.Random, lang: str, amount: Decimal, currency: str) -> str:
        value = int(amount)
        if currency == "USD":
            forms = [f"${value:,}", f"{value:,} USD", f"USD {value:,}"]
            if lang == "vi":
                forms.append(f"{_vnd(value)} USD")
            return choose(rng, forms)
        if lang == "en":
            return choose(rng, (f"{value:,} VND", f"VND {value:,}", f"{_vnd(value)} dong"))
        vnd = _vnd(value)
        forms = [f"{vnd}đ", f"{vnd} đồng", f"{vnd} VNĐ", f"{vnd} VND"]
        if value % 1_000_000 == 0 and value < 1_000_000_000:
            forms += [f"{value // 1_000_000} triệu", f"{value // 1_000_000}tr"]
        return choose(rng, forms)

    def fill(self, name: str, rng: random.Random, lang: str, when: datetime) -> str:
        """The text of a non-indicator slot."""
        if name in self.words:
            return choose(rng, self.words[name][lang])
        if name == "date":
            return date_text(rng, lang, when)
        if name == "time":
            return time_text(rng, lang, when)
        if name == "amount2":
            return self.amount_text(rng, lang, *self.loss(rng, lang))
        if name == "victim":
            return choose(rng, self.victims)
        if name == "file":
            return choose(rng, self.files)
        return negative(name, rng)


def date_text(rng: random.Random, lang: str, when: datetime) -> str:
    form = choose(rng, EN_DATES if lang == "en" else VI_DATES)
    return form.format(d=when.day, m=when.month, y=when.year, mon=EN_MONTHS[when.month - 1])


def time_text(rng: random.Random, lang: str, when: datetime) -> str:
    h, mi = when.hour, when.minute
    if lang == "en":
        return choose(rng, (f"{h}:{mi:02d}", f"{h:02d}:{mi:02d}", f"{h % 12 or 12}pm"))
    return choose(rng, (f"{h}h{mi:02d}", f"{h}h", f"{h:02d}:{mi:02d}", f"{h} giờ {mi} phút"))


def negative(name: str, rng: random.Random) -> str:
    """Numbers that look like indicators and are not."""
    if name == "otp":
        return digits(rng, choose(rng, (4, 6, 6)))
    if name == "cccd":
        province, century = 1 + int(rng.random() * 96), int(rng.random() * 4)
        return f"0{province:02d}{century}{60 + int(rng.random() * 40):02d}{digits(rng, 6)}"
    if name == "hotline":
        head = choose(rng, ("1900", "1800"))
        tail = digits(rng, choose(rng, (4, 4, 6)))
        return choose(rng, (f"{head} {tail}", f"{head}{tail}", f"{head}.{tail}"))
    if name == "emergency":
        return choose(rng, ("113", "111", "115"))
    if name == "masked":
        tail = digits(rng, 3)
        return choose(
            rng, (f"0912xxx{tail}", f"09xx.xxx.{tail}", f"091****{tail}", f"+84 9xx xxx {tail}")
        )
    if name == "txn":
        return choose(rng, ("FT", "SPXVN", "GHN", "MBVCB.")) + digits(rng, 11)
    if name == "version":
        return f"{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}"
    if name == "percent":
        return f"{choose(rng, (5, 10, 15, 20, 30, 50))}%"
    raise KeyError(f"no filler for slot {{{name}}}")
