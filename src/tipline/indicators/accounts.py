"""A bank account across banks: the bare digits that find it whichever bank was named.

A transfer slip prints the account number alone (`0451000123999`), and a victim often reports
one without naming its bank, so the same account is stored as `VCB:0451000123999` by one report
and `UNKNOWN:0451000123999` by another. The check finds them through the digits: a bare number
finds that account at every bank, and a number checked with its bank finds it at that bank and
where it was reported with no bank. The digits are indexed (`indicator.account_digits`).
"""

from __future__ import annotations

import idna

from tipline.indicators.banks import bank_named
from tipline.indicators.social import PLATFORM_NAMES, shown_handle

UNKNOWN_BANK = "UNKNOWN"
BANK_ACCOUNT = "bank_account"  # tipline.indicators.types.Kind.BANK_ACCOUNT's value
SOCIAL = "social"  # Kind.SOCIAL's value
CRYPTO = "crypto"  # Kind.CRYPTO's value
DOMAIN = "domain"  # Kind.DOMAIN's value
CHAINS = {"eth": "Ethereum", "trx": "TRON", "btc": "Bitcoin"}  # a wallet's stored prefix


def account_digits(kind: str, value: str) -> str | None:
    """The digits of a `BANK:DIGITS` account; None for any other kind of indicator."""
    if kind != BANK_ACCOUNT:
        return None
    return value.partition(":")[2] or None


def bank_of(value: str) -> str:
    """The bank code of a `BANK:DIGITS` account (`UNKNOWN` when none was named)."""
    return value.partition(":")[0]


def same_account(checked: str, stored: str) -> bool:
    """Whether a stored account (same digits) answers for the checked one: any bank for a bare
    number, else the same bank or none named."""
    checked_bank, stored_bank = bank_of(checked), bank_of(stored)
    return UNKNOWN_BANK in (checked_bank, stored_bank) or checked_bank == stored_bank


def shown_value(kind: str, value: str) -> str:
    """An indicator as a person reads it: an account's digits and its bank's name
    (`0451000123999 (Vietcombank)`), the digits alone when no bank was named, never the stored
    `UNKNOWN:…` or `VCB:…`; a social account as `Instagram: hoang.anh.2k9`, never the stored
    `instagram:…`; a wallet as its address and chain (`0xe022… (Ethereum)`); a domain in
    Unicode beside its punycode; any other kind as stored."""
    if kind == SOCIAL:
        return shown_handle(value)
    if kind == CRYPTO:
        chain, _, address = value.partition(":")
        return f"{address} ({CHAINS[chain]})" if chain in CHAINS and address else value
    if kind == DOMAIN:
        return shown_domain(value)
    digits = account_digits(kind, value)
    if digits is None:
        return value
    bank = bank_named(bank_of(value))
    return f"{digits} ({bank.name})" if bank else digits


def shown_domain(value: str) -> str:
    """An internationalised domain as people see it in a browser, with the stored punycode
    beside it, which tells a look-alike from the real site (`shopeé-secure.vn
    (xn--shope-secure-feb.vn)`); any other domain as stored."""
    if "xn--" not in value:
        return value
    try:
        unicode = idna.decode(value)
    except (idna.IDNAError, UnicodeError, ValueError):
        return value
    return f"{unicode} ({value})"


def named_elsewhere(kind: str, value: str, values: set[tuple[str, str]]) -> bool:
    """Whether `value` is an account with no bank whose digits `values` name at a bank: the
    report says the bank once (`Vietcombank 0451000123999` in the story, the bare number in the
    form), so the bare number adds nothing and would show the account twice."""
    digits = account_digits(kind, value)
    if digits is None or bank_of(value) != UNKNOWN_BANK:
        return False
    return any(
        k == BANK_ACCOUNT and v != value and account_digits(k, v) == digits for k, v in values
    )


def shown_linking_value(value: str) -> str:
    """A stored value as a person reads it when its kind is not at hand (a campaign's linking
    value): `BANK:DIGITS` of a known bank, or of none, as its digits and bank; a handle of a
    known platform (`facebook:…`) as `Facebook: …`; a punycode domain beside its Unicode; any
    other (a phone, a wallet) as stored."""
    bank, colon, digits = value.partition(":")
    if colon and digits.isdigit() and (bank == UNKNOWN_BANK or bank_named(bank)):
        return shown_value(BANK_ACCOUNT, value)
    if colon and bank in PLATFORM_NAMES:
        return shown_handle(value)
    if not colon and "/" not in value:
        return shown_domain(value)
    return value
