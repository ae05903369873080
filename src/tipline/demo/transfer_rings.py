"""Scam rings whose victims all write the ring's phone and account, each in their own way, next
to transfer sentences: the data of the campaign-linking check (`bench/campaign_rings.py`).

Each ring has one phone and one account (a fifth of the accounts are a phone number serving as
the account, at a bank that allows it). Its first report names both in one transfer instruction;
the others name the phone, the account, or both, in sentences, clauses or form-style blocks.
Around them each victim writes numbers that must not link anything to the ring: her own phone
(hers alone), her bank's real 1900/1800 hotline, a number she masked, an amount. A report's
expected indicators are known by construction, so a ring splits in the check only when a number
was read as another kind (or missed), and two rings merge only when something that is not theirs
was read as an indicator.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tipline.demo import ring_indicators as ri
from tipline.demo import transfer_forms as tf
from tipline.demo.ring_indicators import BankAccount, Phone, choose
from tipline.demo.surface_forms import HOLDERS

Expected = list[tuple[str, str]]
Part = tuple[str, Expected]

OPENINGS = {
    "vi": (
        "Em bị lừa khi mua hàng online.",
        "Tôi bị lừa đầu tư tiền ảo, mất hết tiền tiết kiệm.",
        "Mẹ em bị gọi điện giả danh công an.",
        "Em làm nhiệm vụ online bị chiếm đoạt tiền.",
        "Nó hứa cho vay nhanh rồi bắt đóng phí.",
    ),
    "en": (
        "I was scammed buying a phone on a marketplace.",
        "My father was called by someone posing as the police.",
        "They promised a part-time job and took my deposit.",
    ),
}
PHONE_ONLY = {
    "vi": ("Số của nó {p}.", "Nó gọi từ số {p} nhiều lần.", "sđt lừa đảo: {p}", "Zalo nó: {p}"),
    "en": ("The scammer's number is {p}.", "They called me from {p}.", "Phone: {p}"),
}
ACCOUNT_ONLY = {
    "vi": (
        "Em đã CK vào tài khoản {b} số {a}.",
        "STK {a} {b}, chủ TK {h}.",
        "chuyển khoản vào {b} {a} rồi nó chặn em.",
        "Nó bắt chuyển vào TK {a} ({b}).",
    ),
    "en": (
        "I paid into account {a} at {b}.",
        "Transfer went to {b} account {a}, holder {h}.",
        "acct {a} ({b}).",
    ),
}
OWN_PHONE = {
    "vi": ("Số của em là {p}.", "Sđt em {p}, mong được liên hệ.", "Em là Hoa, sđt {p}."),
    "en": ("My number is {p}.", "You can reach me on {p}."),
}
MASKED = {
    "vi": ("Nó còn dùng số {m} nữa.", "Một số khác em chỉ nhớ {m}."),
    "en": ("Another number showed as {m}.",),
}
AMOUNTS = {
    "vi": ("Em mất 15.000.000đ.", "Tổng cộng 50tr rồi.", "Em chuyển 2 lần, 3.500.000 đồng."),
    "en": ("I lost 12,000,000 VND.", "In total I sent $500."),
}


@dataclass(frozen=True, slots=True)
class Ring:
    number: int
    phone: Phone
    account: BankAccount


@dataclass(frozen=True, slots=True)
class RingReport:
    """A victim's report of ring `ring`, and the (kind, canonical value) pairs it yields."""

    ring: int
    text: str
    expected: tuple[tuple[str, str], ...]


def new_ring(rng: random.Random, number: int) -> Ring:
    phone = ri.vn_mobile(rng)
    if rng.random() < 0.2:
        account = BankAccount(choose(rng, ri.PHONE_ACCOUNT_BANKS), "0" + ri.vn_mobile(rng).national)
    else:
        account = BankAccount(choose(rng, ri.BANK_CODES), tf.account_digits(rng))
    return Ring(number, phone, account)


def _fill(rng: random.Random, template: str, ring: Ring, lang: str) -> str:
    return template.format(
        p=tf.phone_text(rng, ring.phone),
        a=ring.account.digits,
        b=tf.bank_name(rng, ring.account.bank, lang),
        h=choose(rng, HOLDERS),
    )


def _ring_part(rng: random.Random, ring: Ring, lang: str, first: bool) -> tuple[Part, bool]:
    """The ring's own numbers (both in the ring's first report), and whether it is a form."""
    phone_pair = ("phone", ring.phone.e164)
    account_pair = ("bank_account", f"{ring.account.bank}:{ring.account.digits}")
    roll = 0.0 if first else rng.random()
    if roll < 0.35:
        return tf.phone_then_account(rng, ring.phone, ring.account, lang), False
    if roll < 0.5:
        text, expected = tf.form_block(rng, ring.phone, ring.account, lang)
        return (text, expected), True
    if roll < 0.75:
        return (_fill(rng, choose(rng, PHONE_ONLY[lang]), ring, lang), [phone_pair]), False
    return (_fill(rng, choose(rng, ACCOUNT_ONLY[lang]), ring, lang), [account_pair]), False


def _masked_number(rng: random.Random) -> str:
    n = ri.vn_mobile(rng).national
    return choose(rng, (f"0{n[:3]}xxx{n[-3:]}", f"09*****{n[-3:]}", f"0{n[:3]} *** {n[-3:]}"))


def _surroundings(rng: random.Random, lang: str) -> list[Part]:
    """The victim's own phone, a hotline, a masked number, an amount: some of them."""
    parts: list[Part] = []
    if rng.random() < 0.5:
        own = ri.vn_mobile(rng)
        text = choose(rng, OWN_PHONE[lang]).format(p=tf.phone_text(rng, own))
        parts.append((text, [("phone", own.e164)]))
    if rng.random() < 0.4:
        parts.append(tf.hotline(rng, lang))
    if rng.random() < 0.3:
        parts.append((choose(rng, MASKED[lang]).format(m=_masked_number(rng)), []))
    if rng.random() < 0.5:
        parts.append((choose(rng, AMOUNTS[lang]), []))
    rng.shuffle(parts)
    return parts


def ring_report(rng: random.Random, ring: Ring, first: bool) -> RingReport:
    lang = choose(rng, ("vi", "vi", "vi", "en"))
    (ring_text, ring_expected), is_form = _ring_part(rng, ring, lang, first)
    around = _surroundings(rng, lang)
    cut = int(rng.random() * (len(around) + 1))
    before, after = around[:cut], around[cut:]
    if is_form:  # a form is a block of its own
        sentences = " ".join(t for t, _ in before)
        text = "\n\n".join(x for x in (sentences, ring_text, " ".join(t for t, _ in after)) if x)
    else:
        text = " ".join(t for t, _ in [*before, (ring_text, []), *after])
    opening = choose(rng, OPENINGS[lang])
    expected = [pair for _, pairs in around for pair in pairs] + ring_expected
    return RingReport(ring.number, f"{opening} {text}", tuple(dict.fromkeys(expected)))


def ring_reports(rings: int, seed: int, max_size: int = 60) -> list[RingReport]:
    """Reports of `rings` rings (2 to `max_size` reports each, most rings small), in ring order;
    the same for the same arguments."""
    rng = random.Random(seed)
    reports: list[RingReport] = []
    for number in range(rings):
        ring = new_ring(rng, number)
        size = min(max_size, 1 + int(rng.paretovariate(1.2)))
        size = max(size, 2)
        reports.extend(ring_report(rng, ring, first=i == 0) for i in range(size))
    return reports
