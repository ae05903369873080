"""Fictional scam rings: each holds the indicators it reuses across many victims' reports.

Rings belong to a category and are drawn Zipf-like (a few rings reach most victims), so that
generated reports share indicators the way real campaigns do.
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate

from tipline.demo import ring_indicators as ri
from tipline.demo.ring_indicators import choose
from tipline.vocabulary import CATEGORIES

PLATFORMS = ("facebook", "telegram", "zalo", "tiktok", "instagram", "x", "youtube")
RINGS_PER_CATEGORY = 60
FOREIGN_PHONE_SHARE = {
    "fraud.romance": 0.5,
    "fraud.investment": 0.25,
    "fraud.job_task": 0.15,
    "sextortion": 0.3,
}


@dataclass(frozen=True, slots=True)
class Ring:
    phones: tuple[ri.Phone, ...]
    accounts: tuple[ri.BankAccount, ...]
    links: tuple[tuple[ri.Host, str], ...]
    shorts: tuple[tuple[str, str], ...]
    emails: tuple[str, ...]
    ips: tuple[str, ...]
    wallets: tuple[ri.Wallet, ...]
    hashes: tuple[tuple[str, str], ...]
    handles: dict[str, ri.Handle]


def new_phone(rng: random.Random, category: str) -> ri.Phone:
    roll = rng.random()
    if roll < FOREIGN_PHONE_SHARE.get(category, 0.04):
        return ri.foreign_phone(rng)
    if roll > 0.97:
        return ri.vn_landline(rng)
    return ri.vn_mobile(rng)


def new_link(rng: random.Random) -> tuple[ri.Host, str]:
    return ri.scam_host(rng), choose(rng, ri.URL_PATHS)


def new_email(rng: random.Random, hosts: tuple[str, ...]) -> str:
    return ri.email_address(rng, ri.MAIL_HOSTS + hosts)


def new_ring(rng: random.Random, category: str) -> Ring:
    def some(count: int) -> range:
        return range(rng.randint(1, count))

    links = tuple(new_link(rng) for _ in some(3))
    hosts = tuple(host.domain for host, _ in links)
    return Ring(
        phones=tuple(new_phone(rng, category) for _ in some(3)),
        accounts=tuple(ri.bank_account(rng) for _ in some(3)),
        links=links,
        shorts=tuple((choose(rng, ri.SHORTENERS), ri.short_code(rng)) for _ in some(2)),
        emails=tuple(new_email(rng, hosts) for _ in some(2)),
        ips=tuple(ri.public_ip(rng) for _ in some(2)),
        wallets=tuple(ri.wallet(rng) for _ in some(2)),
        hashes=tuple(ri.file_hash(rng) for _ in some(3)),
        handles={platform: ri.handle(rng, platform) for platform in PLATFORMS},
    )


class RingPool:
    """The rings of every category, a Zipf-like draw among a category's rings, and a stock of
    one-off values that are slow to make (validated foreign phones, IDN hosts, wallets)."""

    def __init__(self, rng: random.Random) -> None:
        self.rings = {c: [new_ring(rng, c) for _ in range(RINGS_PER_CATEGORY)] for c in CATEGORIES}
        self.foreign_phones = tuple(ri.foreign_phone(rng) for _ in range(400))
        self.idn_hosts = tuple(ri.idn_host(rng) for _ in range(60))
        self.wallets = tuple(ri.wallet(rng) for _ in range(1500))
        weights = [1.0 / (rank + 1) ** 1.1 for rank in range(RINGS_PER_CATEGORY)]
        self.cum_weights = list(accumulate(weights))

    def draw(self, rng: random.Random, category: str) -> Ring:
        rank = bisect(self.cum_weights, rng.random() * self.cum_weights[-1])
        return self.rings[category][min(rank, RINGS_PER_CATEGORY - 1)]
