"""One value as a person types it into a check box, read the way extraction reads it."""

from __future__ import annotations

import re

from tipline.indicators.allowlist import Allowlist
from tipline.indicators.banks import BANK_CODES
from tipline.indicators.extract import extract_with, link_host
from tipline.indicators.phones import canonical_phone
from tipline.indicators.signals import SIGNAL_TYPES, declared_signal
from tipline.indicators.social import PLATFORM_HOSTS, PLATFORM_WORDS
from tipline.indicators.types import Indicator, Kind
from tipline.vocabulary import MAX_VALUE_LENGTH

# When a typed value yields several indicators (a URL yields its domain too), the most specific
# one is what the person asked about.
_PRIORITY = (
    Kind.BANK_ACCOUNT,
    Kind.SOCIAL,
    Kind.URL,
    Kind.CRYPTO,
    Kind.EMAIL,
    Kind.PHONE,
    Kind.IP,
    Kind.HASH,
    Kind.DOMAIN,
)
_RANK = {kind: rank for rank, kind in enumerate(_PRIORITY)}
_PREFIXED = re.compile(r"^(?P<prefix>[A-Za-z0-9_]+):(?P<rest>\S+)$")
_PLATFORMS = frozenset(PLATFORM_HOSTS.values())
_ACCOUNT_PREFIXES = frozenset(BANK_CODES) | {"UNKNOWN"}
_BARE_NUMBER = re.compile(r"(\+)?(\d+(?: \d+)*)")
_HANDLE = re.compile(r"[A-Za-z0-9_.\-]{1,100}")
# A handle typed with its platform: `instagram hoang.anh.2k9`, `ig:@x`, `Tele @HoTro_VCB`.
_PLATFORM_HANDLE = re.compile(
    r"(?P<platform>[A-Za-z]+(?: tok)?)\s*(?::\s*|\s)\s*@?(?P<handle>[A-Za-z0-9_.\-]{1,100})"
)


def _read_prefixed(text: str, allowlist: Allowlist) -> Indicator | None:
    """Canonical forms typed back: `VCB:0123456789`, `trx:T…`, `telegram:handle`, `sha256:…`."""
    match = _PREFIXED.match(text)
    if match is None:
        return None
    prefix, rest = match.group("prefix"), match.group("rest")
    span = (0, len(text))
    if prefix.upper() in _ACCOUNT_PREFIXES and rest.isdigit() and 6 <= len(rest) <= 19:
        return Indicator(Kind.BANK_ACCOUNT, f"{prefix.upper()}:{rest}", False, span)
    if prefix.lower() in _PLATFORMS and _HANDLE.fullmatch(rest):
        return Indicator(Kind.SOCIAL, f"{prefix.lower()}:{rest.lower()}", False, span)
    if prefix.lower() in SIGNAL_TYPES and (value := declared_signal(prefix, rest)) is not None:
        return Indicator(Kind.HASH, value, False, span)
    if prefix.lower() in SIGNAL_TYPES or prefix.lower() in ("btc", "eth", "trx"):
        found = [i for i in extract_with(rest, allowlist) if i.kind in (Kind.HASH, Kind.CRYPTO)]
        if found and found[0].value.startswith(prefix.lower() + ":"):
            return Indicator(found[0].kind, found[0].value, False, span)
    return None


def read_value(text: str, allowlist: Allowlist, signal_type: str | None = None) -> Indicator | None:
    """The indicator a typed value stands for, or None when it is none of the spec's kinds.

    `signal_type` declares what kind of hash the value is (`pdq`, `sha256`): it is then read as
    that type only, bare or written `NAME:…`. Undeclared, 64 hex digits are a SHA-256 (spec).
    """
    if signal_type is not None:
        return _read_declared(text.strip(), signal_type)
    return _read(text, allowlist)[0]


def _read_declared(text: str, name: str) -> Indicator | None:
    prefix, colon, rest = text.partition(":")
    body = rest if colon and prefix.lower() == name.lower() else text
    value = declared_signal(name, body)
    return None if value is None else Indicator(Kind.HASH, value, False, (0, len(text)))


def read_value_in_full(text: str, allowlist: Allowlist) -> tuple[Indicator | None, list[Indicator]]:
    """`read_value`, and every indicator in the value (a link names its domain too): what
    extraction found while reading it, or, when a shortcut read it, extraction's own answer."""
    value, found = _read(text, allowlist)
    return value, found if found or value is None else extract_with(text.strip(), allowlist)


def read_value_and_host(
    text: str, allowlist: Allowlist
) -> tuple[Indicator | None, Indicator | None]:
    """`read_value`, and when the value is a link, the domain (or IP) it is on as extraction
    reads it: not allowlisted hosts only, None for every other value."""
    value, found = _read(text, allowlist)
    if value is None or value.kind != Kind.URL:
        return value, None
    start, end = value.span
    for item in found:
        # The link's own host: extraction adds it with a span inside the link's.
        if item.kind in (Kind.DOMAIN, Kind.IP) and start <= item.span[0] < end:
            return value, None if item.allowlisted else item
    host = link_host(value.value, allowlist)  # named earlier in the text, so spanned there
    return value, None if host is None or host.allowlisted else host


def _read(text: str, allowlist: Allowlist) -> tuple[Indicator | None, list[Indicator]]:
    """What the value stands for, and everything extraction found in it (if it ran)."""
    text = text.strip()
    if not text or len(text) > MAX_VALUE_LENGTH:
        return None, []
    prefixed = _read_prefixed(text, allowlist) or _read_platform_handle(text)
    prefixed = prefixed or _read_bare_phone(text)
    if prefixed is not None:
        return prefixed, []
    found = extract_with(text, allowlist)
    if found:
        return min(found, key=lambda indicator: _RANK[indicator.kind]), found
    digits = re.sub(r"[\s.\-]", "", text)
    if digits.isdigit() and 6 <= len(digits) <= 19:
        # Digits that are no valid phone are most likely an account number with no bank named.
        return Indicator(Kind.BANK_ACCOUNT, f"UNKNOWN:{digits}", False, (0, len(text))), found
    return None, found


def _read_platform_handle(text: str) -> Indicator | None:
    """A handle typed after the name of its platform, as people write it (`instagram
    hoang.anh.2k9`, `ig:@x`, `tele @HoTro_VCB`, `face nguyen.van.a`): `PLATFORM:handle`. A
    number after a platform's name (`zalo 0912345678`) is read by extraction, as a phone."""
    match = _PLATFORM_HANDLE.fullmatch(text)
    if match is None:
        return None
    platform = PLATFORM_WORDS.get(" ".join(match.group("platform").lower().split()))
    handle = match.group("handle")
    if platform is None or handle.isdigit() and platform != "facebook":
        return None
    return Indicator(Kind.SOCIAL, f"{platform}:{handle.lower()}", False, (0, len(text)))


def _read_bare_phone(text: str) -> Indicator | None:
    """A value that is a valid phone number and nothing else, read without the rest of
    extraction: digit groups split by single spaces, with or without a leading `+`.

    Extraction reads such a text as that one phone and finds nothing else in it (no bracket,
    letter, dot, colon or `@` for other finders, no run long enough for a wallet, no word for a
    bank or a date); `tests/indicators/test_read.py` checks that both readings agree. Anything
    else, and a number that is no valid phone as a whole, goes through extraction.
    """
    match = _BARE_NUMBER.fullmatch(text)
    if match is None:
        return None
    international = match.group(1) is not None
    phone = canonical_phone(match.group(2).replace(" ", ""), international)
    return None if phone is None else Indicator(Kind.PHONE, phone, False, (0, len(text)))


def canonical_value(kind: Kind, text: str, allowlist: Allowlist) -> str | None:
    """The canonical value of `text` read as an indicator of `kind`, or None if it is not one."""
    text = text.strip()
    prefixed = _read_prefixed(text, allowlist)
    if prefixed is not None:
        return prefixed.value if prefixed.kind == kind else None
    for indicator in extract_with(text, allowlist):
        if indicator.kind == kind:
            return indicator.value
    return None
