"""One tipline indicator as MISP holds it, and back: a MISP attribute where MISP has a type for
the value (`url`, `domain`, `email-src`, `ip-dst`, `md5`/`sha1`/`sha256`, `btc`, `phone-number`),
else a MISP object from MISP's own templates (`coin-address` for an Ethereum or Tron wallet,
`bank-account` for an account and its bank, `telegram-account`, `facebook-account`,
`instagram-account`, `twitter-account`, and `user-account` with the platform in `account-type`
for the other social platforms).

Types, categories and templates are those of pymisp's `data/describeTypes.json` and
`data/misp-objects` (tests/sharing/test_misp_attributes.py checks them there).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tipline.indicators.banks import bank_named

UNKNOWN_BANK = "UNKNOWN"  # tipline.indicators.accounts.UNKNOWN_BANK


@dataclass(frozen=True, slots=True)
class Template:
    """A MISP object template, as MISP names and versions it."""

    name: str
    uuid: str
    version: int
    meta_category: str


COIN_ADDRESS = Template("coin-address", "d0e6997e-78da-4815-a6a1-cfc1c1cb8a46", 7, "financial")
BANK_ACCOUNT = Template("bank-account", "b4712203-95a8-4883-80e9-b566f5df11c9", 3, "financial")
TELEGRAM = Template("telegram-account", "06f02ecf-5afb-42c5-9cb0-b362e222f52c", 2, "misc")
FACEBOOK = Template("facebook-account", "b9862b95-7d78-4938-a2b5-13e45c60f25a", 1, "misc")
INSTAGRAM = Template("instagram-account", "656ced16-23f3-4322-925d-c9c961684999", 1, "misc")
TWITTER = Template("twitter-account", "8066563f-881e-4f6a-9d6c-a9d15b8658bb", 7, "misc")
USER_ACCOUNT = Template("user-account", "49606b06-22f0-4ac8-8eee-2f12ad46f3d3", 6, "misc")
TEMPLATES = (COIN_ADDRESS, BANK_ACCOUNT, TELEGRAM, FACEBOOK, INSTAGRAM, TWITTER, USER_ACCOUNT)

# (MISP type, category, to_ids) of each value MISP has a type for.
HASH_TYPES = ("md5", "sha1", "sha256")
ATTRIBUTE_TYPES: dict[str, tuple[str, str, bool]] = {
    "url": ("url", "Network activity", True),
    "domain": ("domain", "Network activity", True),
    "email": ("email-src", "Payload delivery", True),
    "ip": ("ip-dst", "Network activity", True),
    "phone": ("phone-number", "Financial fraud", False),
    "btc": ("btc", "Financial fraud", True),
    **{algorithm: (algorithm, "Payload delivery", True) for algorithm in HASH_TYPES},
}
# The social platforms with a MISP template, and the relation that holds the handle.
SOCIAL_TEMPLATES: dict[str, tuple[Template, str]] = {
    "telegram": (TELEGRAM, "username"),
    "facebook": (FACEBOOK, "account-name"),
    "instagram": (INSTAGRAM, "account-name"),
    "x": (TWITTER, "name"),
}
COIN_SYMBOLS = {"eth": "ETH", "trx": "TRX"}


@dataclass(frozen=True, slots=True)
class Field:
    """One MISP attribute: standalone, or one of an object's (`relation` set)."""

    type: str
    category: str
    value: str
    to_ids: bool
    relation: str | None = None


@dataclass(frozen=True, slots=True)
class Translation:
    """How one indicator goes into MISP: a single attribute (`template` None) or an object."""

    fields: tuple[Field, ...]
    template: Template | None = None


def _attribute(key: str, value: str) -> Translation:
    misp_type, category, to_ids = ATTRIBUTE_TYPES[key]
    return Translation((Field(misp_type, category, value, to_ids),))


def _text(relation: str, value: str, category: str = "Social network") -> Field:
    return Field("text", category, value, False, relation)


def _crypto(value: str) -> Translation:
    chain, _, address = value.partition(":")
    if chain == "btc":
        return _attribute("btc", address)
    fields: tuple[Field, ...] = (_text("address-crypto", address, "Financial fraud"),)
    if chain in COIN_SYMBOLS:
        fields += (_text("symbol", COIN_SYMBOLS[chain], "Other"),)
    return Translation(fields, COIN_ADDRESS)


def _bank_account(value: str) -> Translation:
    code, _, digits = value.partition(":")
    fields = [Field("bank-account-nr", "Financial fraud", digits, True, "account")]
    if code != UNKNOWN_BANK:
        fields.append(_text("institution-code", code, "Financial fraud"))
        bank = bank_named(code)
        if bank is not None:
            fields.append(_text("institution-name", bank.name, "Financial fraud"))
    return Translation(tuple(fields), BANK_ACCOUNT)


def _social(value: str) -> Translation:
    platform, _, handle = value.partition(":")
    if platform in SOCIAL_TEMPLATES:
        template, relation = SOCIAL_TEMPLATES[platform]
        return Translation((_text(relation, handle),), template)
    fields = (_text("username", handle), _text("account-type", platform))
    return Translation(fields, USER_ACCOUNT)


def to_misp(kind: str, value: str) -> Translation:
    """The MISP form of a tipline indicator (`kind`, canonical `value`); ValueError for a kind
    tipline does not have."""
    if kind == "hash":
        algorithm, _, digest = value.partition(":")
        return _attribute(algorithm, digest)
    if kind == "crypto":
        return _crypto(value)
    if kind == "bank_account":
        return _bank_account(value)
    if kind == "social":
        return _social(value)
    if kind in ATTRIBUTE_TYPES:
        return _attribute(kind, value)
    raise ValueError(f"no MISP form for an indicator of kind {kind!r}")


# MISP attribute types read back, and the tipline kind (and value prefix) each stands for.
READ_TYPES: dict[str, tuple[str, str]] = {
    "url": ("url", ""),
    "link": ("url", ""),
    "domain": ("domain", ""),
    "hostname": ("domain", ""),
    "email": ("email", ""),
    "email-src": ("email", ""),
    "email-dst": ("email", ""),
    "ip-dst": ("ip", ""),
    "ip-src": ("ip", ""),
    "phone-number": ("phone", ""),
    "btc": ("crypto", "btc:"),
    "bank-account-nr": ("bank_account", f"{UNKNOWN_BANK}:"),
    "twitter-id": ("social", "x:"),
    **{algorithm: ("hash", f"{algorithm}:") for algorithm in HASH_TYPES},
}


def from_attribute(misp_type: str, value: str) -> tuple[str, str] | None:
    """(kind, value) of a standalone MISP attribute, or None for a type tipline does not keep.
    The value is as MISP had it: the import makes it canonical."""
    if misp_type not in READ_TYPES:
        return None
    kind, prefix = READ_TYPES[misp_type]
    value = value.strip()
    if kind in {"hash", "social"}:
        value = value.lower()
    return kind, prefix + value


def _first(values: Mapping[str, str], *relations: str) -> str | None:
    return next((values[r].strip() for r in relations if values.get(r, "").strip()), None)


def _coin_from(values: Mapping[str, str]) -> tuple[str, str] | None:
    if address := _first(values, "address"):
        return "crypto", f"btc:{address}"
    symbol = (_first(values, "symbol") or "").lower()
    address = _first(values, "address-crypto")
    if address and symbol in COIN_SYMBOLS:
        return "crypto", f"{symbol}:{address.lower() if symbol == 'eth' else address}"
    return None


def _account_from(values: Mapping[str, str]) -> tuple[str, str] | None:
    digits = _first(values, "account")
    if digits is None:
        return None
    code = (_first(values, "institution-code") or UNKNOWN_BANK).upper()
    return "bank_account", f"{code}:{''.join(digits.split())}"


def _social_from(name: str, values: Mapping[str, str]) -> tuple[str, str] | None:
    for platform, (template, relation) in SOCIAL_TEMPLATES.items():
        if template.name == name and (handle := _first(values, relation)):
            return "social", f"{platform}:{handle.lstrip('@').lower()}"
    platform = (_first(values, "account-type") or "").lower()
    handle = _first(values, "username")
    if name == USER_ACCOUNT.name and platform and handle:
        return "social", f"{platform}:{handle.lstrip('@').lower()}"
    return None


def from_object(name: str, attributes: list[Mapping[str, Any]]) -> tuple[str, str] | None:
    """(kind, value) of a MISP object tipline reads (the templates above), or None."""
    values = {str(a.get("object_relation")): str(a.get("value", "")) for a in attributes}
    if name == COIN_ADDRESS.name:
        return _coin_from(values)
    if name == BANK_ACCOUNT.name:
        return _account_from(values)
    return _social_from(name, values)
