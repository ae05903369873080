"""A report being written: its random source, ring, text so far and expected indicators.

Each `{slot}` of a template is filled by a function here; indicator slots draw a value (from
the report's ring or fresh), render it with `surface_forms` and record what it yields.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

from tipline.demo import ring_indicators as ri
from tipline.demo import surface_forms as sf
from tipline.demo.fillers import Fillers
from tipline.demo.narrative_templates import Template
from tipline.demo.ring_indicators import choose
from tipline.demo.rings import FOREIGN_PHONE_SHARE, RingPool, new_link

Slot = Callable[["Draft"], str]
RING_SHARE = 0.65  # share of indicator slots that reuse one of the report's ring's values
UNKNOWN_BANK_SHARE = 0.12
START = datetime(2023, 1, 1)
# The generated reports happen over three years from `START` (or up to a given day).
SPAN_MINUTES = 3 * 365 * 24 * 60
SOCIAL_PLATFORMS = {
    "default": ("facebook", "facebook", "telegram", "zalo", "tiktok", "instagram", "x", "youtube"),
    "child_exploitation": ("facebook", "tiktok", "tiktok", "zalo", "telegram", "instagram"),
}


def _as_written(text: str) -> str:
    return text


class Draft:
    """The report being written: its random source, ring, parts of text and expected pairs."""

    def __init__(
        self,
        rng: random.Random,
        fillers: Fillers,
        pool: RingPool,
        category: str,
        style: str,
        start: datetime = START,
    ) -> None:
        self.rng, self.fillers, self.pool, self.category = rng, fillers, pool, category
        self.ring = pool.draw(rng, category)
        self.style, self.lang = style, ("en" if style == "en" else "vi")
        self.parts: list[str] = []
        self.expected: list[tuple[str, str]] = []
        self.unknown_accounts: list[tuple[int, int, ri.BankAccount]] = []
        self.victim_age: int | None = None
        self.occurred_at = start + timedelta(minutes=int(rng.random() * SPAN_MINUTES))
        self.loss: tuple[Decimal, str] | None = None
        self.province, self.province_names = fillers.province(rng, self.lang)
        self.plain: Callable[[str], str] = sf.strip_marks if style == "vi_plain" else _as_written

    def ring_or(self, pool: tuple[object, ...]) -> bool:
        return bool(pool) and self.rng.random() < RING_SHARE

    def emit(self, rendered: sf.Rendered) -> str:
        self.expected.extend(rendered[1])
        return rendered[0]

    def fill(self, name: str) -> str:
        return self.plain(self.fillers.fill(name, self.rng, self.lang, self.occurred_at))


def slot_phone(d: Draft) -> str:
    ring = d.ring.phones
    value = choose(d.rng, ring) if d.ring_or(ring) else new_phone(d.rng, d.category, d.pool)
    return d.emit(sf.phone(d.rng, value))


def new_phone(rng: random.Random, category: str, pool: RingPool) -> ri.Phone:
    roll = rng.random()
    if roll < FOREIGN_PHONE_SHARE.get(category, 0.04):
        return choose(rng, pool.foreign_phones)
    return ri.vn_landline(rng) if roll > 0.97 else ri.vn_mobile(rng)


def slot_my_phone(d: Draft) -> str:
    return d.emit(sf.phone(d.rng, ri.vn_mobile(d.rng)))


def slot_account(d: Draft) -> str:
    rng = d.rng
    account = choose(rng, d.ring.accounts) if d.ring_or(d.ring.accounts) else ri.bank_account(rng)
    if rng.random() < UNKNOWN_BANK_SHARE:
        text, expected = sf.bank_account(rng, account, d.lang, named=False)
        d.unknown_accounts.append((len(d.parts), len(d.expected), account))
    else:
        text, expected = sf.bank_account(rng, account, d.lang, named=True)
    d.expected.extend(expected)
    return d.plain(text)


def slot_link(d: Draft) -> str:
    rng, roll = d.rng, d.rng.random()
    if roll < 0.08:
        return d.emit(sf.ip_url(rng, choose(rng, d.ring.ips), choose(rng, ri.URL_PATHS)))
    if roll < 0.18:
        return d.emit(sf.short_link(rng, *choose(rng, d.ring.shorts)))
    if roll < 0.21:
        unicode_host, host = choose(rng, d.pool.idn_hosts)
        return d.emit(sf.idn_url(rng, unicode_host, host, choose(rng, ri.URL_PATHS)))
    host, path = choose(rng, d.ring.links) if d.ring_or(d.ring.links) else new_link(rng)
    return d.emit(sf.url(rng, host, path))


def slot_short(d: Draft) -> str:
    rng = d.rng
    if d.ring_or(d.ring.shorts):
        return d.emit(sf.short_link(rng, *choose(rng, d.ring.shorts)))
    return d.emit(sf.short_link(rng, choose(rng, ri.SHORTENERS), ri.short_code(rng)))


def slot_domain(d: Draft) -> str:
    host, _ = choose(d.rng, d.ring.links) if d.ring_or(d.ring.links) else new_link(d.rng)
    return d.emit(sf.bare_domain(d.rng, host))


def slot_email(d: Draft) -> str:
    rng = d.rng
    hosts = tuple(host.domain for host, _ in d.ring.links)
    address = (
        choose(rng, d.ring.emails)
        if d.ring_or(d.ring.emails)
        else ri.email_address(rng, ri.MAIL_HOSTS + hosts)
    )
    return d.emit(sf.email(rng, address))


def slot_ip(d: Draft) -> str:
    rng = d.rng
    if rng.random() < 0.05:
        return d.emit(sf.ip(rng, ri.public_ipv6(rng)))
    address = choose(rng, d.ring.ips) if d.ring_or(d.ring.ips) else ri.public_ip(rng)
    return d.emit(sf.ip(rng, address))


def slot_wallet(d: Draft) -> str:
    pool = d.ring.wallets if d.ring_or(d.ring.wallets) else d.pool.wallets
    value = choose(d.rng, pool)
    return d.plain(d.emit(sf.wallet(d.rng, value, d.lang)))


def slot_hash(d: Draft) -> str:
    algo, digest = choose(d.rng, d.ring.hashes) if d.ring_or(d.ring.hashes) else ri.file_hash(d.rng)
    return d.emit(sf.file_hash(d.rng, algo, digest))


def social_slot(platform: str | None) -> Slot:
    def slot(d: Draft) -> str:
        rng = d.rng
        platforms = SOCIAL_PLATFORMS.get(d.category, SOCIAL_PLATFORMS["default"])
        name = platform or choose(rng, platforms)
        value = d.ring.handles[name] if rng.random() < RING_SHARE else ri.handle(rng, name)
        return d.plain(d.emit(sf.social(rng, value, d.lang)))

    return slot


def slot_legit(d: Draft) -> str:
    return d.emit(sf.legit_site(d.rng, choose(d.rng, d.fillers.legit)))


def slot_age(d: Draft) -> str:
    if d.victim_age is None:
        d.victim_age = ri.number(d.rng, 11, 17)
    return str(d.victim_age)


def slot_amount(d: Draft) -> str:
    if d.loss is None:
        d.loss = d.fillers.loss(d.rng, d.lang)
    return d.plain(d.fillers.amount_text(d.rng, d.lang, *d.loss))


def slot_province(d: Draft) -> str:
    return d.plain(choose(d.rng, d.province_names))


SLOTS: dict[str, Slot] = {
    "phone": slot_phone,
    "my_phone": slot_my_phone,
    "account": slot_account,
    "link": slot_link,
    "short": slot_short,
    "domain": slot_domain,
    "email": slot_email,
    "ip": slot_ip,
    "wallet": slot_wallet,
    "hash": slot_hash,
    "legit": slot_legit,
    "age": slot_age,
    "amount": slot_amount,
    "province": slot_province,
    "social": social_slot(None),
    **{p: social_slot(p) for p in ("facebook", "telegram", "zalo", "tiktok", "instagram")},
}


def write(d: Draft, template: Template) -> None:
    parts, slots = d.parts, SLOTS
    parts.append(template[0])
    for i in range(1, len(template), 2):
        name = template[i]
        slot = slots.get(name)
        parts.append(d.fill(name) if slot is None else slot(d))
        parts.append(template[i + 1])
