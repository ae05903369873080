"""Indicators as STIX 2.1 cyber-observables and patterns, and patterns read back. Pure.

Each kind maps to the core SCO where STIX has one (`url`, `domain-name`, `email-addr`,
`ipv4-addr`/`ipv6-addr`, `file` hashes). Phone numbers, bank accounts, social handles and
crypto wallets have none: they are SCOs of tipline's own, each defined by an
`extension-definition` (extension type `new-sco`) that every bundle using it carries. Phone
numbers and wallets take the type names and shape OpenCTI already uses (`phone-number`,
`cryptocurrency-wallet`, with a `value`), so that an OpenCTI partner files them as the
observables it knows. docs/sharing.md has the table.

SCO identifiers are STIX's deterministic UUIDv5: the OASIS namespace over the canonical JSON
(RFC 8785) of the type's ID-contributing properties, as the `stix2` library and OpenCTI compute
them, so the same value is the same object at every partner.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from hashlib import sha1
from typing import Any
from urllib.parse import quote, unquote
from uuid import UUID

# STIX 2.1 §2.9: the namespace of deterministic SCO identifiers; OpenCTI uses it for its
# standard ids of domain objects and relationships too.
OASIS_NAMESPACE = UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")
# Who defines tipline's extensions: the project, not one instance, so that every instance
# publishes the same extension-definition objects.
PROJECT_IDENTITY_ID = "identity--4a11bc3d-24d8-4ac7-be97-6299aa3aa5f9"
PROJECT_NAME = "tipline project"
EXTENSIONS_CREATED = "2026-12-01T00:00:00.000Z"

# STIX's hash algorithm vocabulary for tipline's hash signal types.
HASH_NAMES = {"md5": "MD5", "sha1": "SHA-1", "sha256": "SHA-256"}
HASH_KINDS = {stix: name for name, stix in HASH_NAMES.items()}


@dataclass(frozen=True, slots=True)
class Extension:
    """One of tipline's STIX extensions: a new SCO type (`name` is the type, `kind` the
    indicator kind it carries) or a property extension."""

    name: str
    extension_uuid: str
    kind: str | None
    summary: str
    schema: str
    extension_type: str = "new-sco"

    @property
    def extension_id(self) -> str:
        return f"extension-definition--{self.extension_uuid}"


CUSTOM_SCOS: dict[str, Extension] = {
    sco.name: sco
    for sco in (
        Extension(
            "phone-number",
            "ec75a6bc-6c07-4440-b561-29973a96c5fd",
            "phone",
            "A telephone number, as OpenCTI's phone-number observable.",
            "value (string, required, ID-contributing): the number in E.164, '+84912345678'.",
        ),
        Extension(
            "cryptocurrency-wallet",
            "fa165c36-d022-4584-b224-cbeb4f6352dc",
            "crypto",
            "A cryptocurrency wallet address, as OpenCTI's cryptocurrency-wallet observable.",
            "value (string, required, ID-contributing): the address as its chain writes it "
            "(bech32 lower-case, base58 as written, 0x and 40 hex digits lower-case).",
        ),
        Extension(
            "x-tipline-bank-account",
            "58d3783a-f0f2-4fe7-a987-11bd81059f77",
            "bank_account",
            "A bank account number, with the bank that holds it when known.",
            "value (string, required, ID-contributing): 'BANK:DIGITS', BANK the bank's code in "
            "the VietQR/NAPAS list or UNKNOWN; account_number (string): the digits; bank_code "
            "(string): BANK, absent when unknown.",
        ),
        Extension(
            "x-tipline-social-account",
            "3a5b658f-acac-4f68-a7e8-302a7bec7633",
            "social",
            "An account on a social network or messenger, by its handle.",
            "value (string, required, ID-contributing): 'PLATFORM:HANDLE', handle lower-case; "
            "platform (string): facebook, telegram, zalo, tiktok, instagram, x or youtube; "
            "handle (string).",
        ),
    )
}
CORE_TYPES = {
    "url": "url",
    "domain-name": "domain",
    "email-addr": "email",
    "ipv4-addr": "ip",
    "ipv6-addr": "ip",
}
CORE_BY_KIND = {"domain": "domain-name", "email": "email-addr"}


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_NAMESPACE_BYTES = OASIS_NAMESPACE.bytes


def canonical_json(data: dict[str, Any]) -> str:
    """RFC 8785 canonical JSON of plain strings and dicts of them (sorted keys, no spaces,
    non-ASCII as is), which is what the `stix2` library's canonicalizer gives for them."""
    return _CANONICAL.encode(data)


def uuid5_text(name: str) -> str:
    """`str(uuid.uuid5(OASIS_NAMESPACE, name))`, without building a UUID object (publishing
    makes hundreds of thousands)."""
    digest = bytearray(sha1(_NAMESPACE_BYTES + name.encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    hexed = digest.hex()
    return f"{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:]}"


def deterministic_id(stix_type: str, contributing: dict[str, Any]) -> str:
    """`type--UUIDv5(OASIS namespace, canonical JSON of the contributing properties)`."""
    return f"{stix_type}--{uuid5_text(canonical_json(contributing))}"


@dataclass(frozen=True, slots=True)
class Observable:
    """One indicator as a cyber-observable: its SCO's type and properties (no id, no
    marking), the ID-contributing part, and the STIX pattern that matches it."""

    type: str
    properties: dict[str, Any]
    contributing: dict[str, Any]
    pattern: str
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:  # computed once: an indicator's objects name it three times
            object.__setattr__(self, "id", deterministic_id(self.type, self.contributing))

    @property
    def extension(self) -> Extension | None:
        return CUSTOM_SCOS.get(self.type)


def quoted(value: str) -> str:
    """A STIX pattern string literal: `'` and `\\` escaped with a backslash."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _valued(stix_type: str, value: str, **more: str) -> Observable:
    properties = {"value": value, **more}
    return Observable(
        stix_type, properties, {"value": value}, f"[{stix_type}:value = {quoted(value)}]"
    )


# What a URI may hold as is (RFC 3986's reserved and unreserved characters, and `%`).
_URI_SAFE = ":/?#[]@!$&'()*+,;=%-._~"


def as_uri(url: str) -> str:
    """A URL as the `url` SCO needs it, a URI: what is not allowed in one (spaces, `\\`,
    non-ASCII letters in the path) percent-encoded as UTF-8; a URI stays as it is."""
    return quote(url, safe=_URI_SAFE)


def from_uri(text: str) -> str:
    """`as_uri` undone when `text` is exactly what it makes of some URL; else `text`."""
    decoded = unquote(text)
    return decoded if decoded != text and as_uri(decoded) == text else text


def carried(kind: str, value: str) -> bool:
    """Whether STIX can carry this indicator (`observable` gives it), without building it."""
    return kind != "hash" or value.partition(":")[0] in HASH_NAMES


def observable(kind: str, value: str) -> Observable | None:
    """The SCO and pattern of an indicator's canonical value; None for a value STIX cannot
    carry (a hash of a type with no STIX name)."""
    if kind == "url":
        return _valued("url", as_uri(value))
    if kind in CORE_BY_KIND:
        return _valued(CORE_BY_KIND[kind], value)
    if kind == "ip":
        return _valued("ipv6-addr" if ":" in value else "ipv4-addr", value)
    if kind == "hash":
        name, _, digest = value.partition(":")
        if name not in HASH_NAMES:
            return None
        hashes = {HASH_NAMES[name]: digest}
        pattern = f"[file:hashes.{quoted(HASH_NAMES[name])} = {quoted(digest)}]"
        return Observable("file", {"hashes": hashes}, {"hashes": hashes}, pattern)
    if kind == "crypto":
        return _valued("cryptocurrency-wallet", value.partition(":")[2])
    if kind == "bank_account":
        bank, _, digits = value.partition(":")
        known = {} if bank == "UNKNOWN" else {"bank_code": bank}
        return _valued("x-tipline-bank-account", value, account_number=digits, **known)
    if kind == "social":
        platform, _, handle = value.partition(":")
        return _valued("x-tipline-social-account", value, platform=platform, handle=handle)
    if kind == "phone":
        return _valued("phone-number", value)
    return None


def sco(item: Observable, marking_id: str) -> dict[str, Any]:
    """The SCO itself, under a TLP marking; a custom type names its extension."""
    body: dict[str, Any] = {"type": item.type, "spec_version": "2.1", "id": item.id}
    body.update(item.properties)
    body["object_marking_refs"] = [marking_id]
    if item.extension is not None:
        body["extensions"] = {item.extension.extension_id: {"extension_type": "new-sco"}}
    return body


def extension_definition(extension: Extension) -> dict[str, Any]:
    """The extension-definition object of one of tipline's extensions (the same everywhere)."""
    return {
        "type": "extension-definition",
        "spec_version": "2.1",
        "id": extension.extension_id,
        "created_by_ref": PROJECT_IDENTITY_ID,
        "created": EXTENSIONS_CREATED,
        "modified": EXTENSIONS_CREATED,
        "name": extension.name,
        "description": extension.summary,
        "schema": extension.schema,
        "version": "1.0.0",
        "extension_types": [extension.extension_type],
    }


def project_identity() -> dict[str, Any]:
    """Who defines tipline's extensions: the project (created_by_ref of the definitions)."""
    return {
        "type": "identity",
        "spec_version": "2.1",
        "id": PROJECT_IDENTITY_ID,
        "created": EXTENSIONS_CREATED,
        "modified": EXTENSIONS_CREATED,
        "name": PROJECT_NAME,
        "identity_class": "organization",
        "description": "The open-source project whose STIX extensions these objects use.",
    }


# --- reading patterns back (import) -------------------------------------------------------

_LITERAL = r"'(?P<literal>(?:[^'\\]|\\.)*)'"
_COMPARISON = re.compile(
    r"^\[\s*(?P<type>[a-z0-9][a-z0-9-]*[a-z0-9]):(?P<path>[a-z_]+(?:\.(?:'[^']+'|[A-Za-z0-9_-]+))?)"
    r"\s*=\s*" + _LITERAL + r"\s*\]$"
)
_UNESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True, slots=True)
class PatternValue:
    """What a one-comparison pattern names: the indicator kind and the text to read as one."""

    kind: str
    text: str


def read_pattern(pattern: str) -> PatternValue | None:
    """The indicator of a pattern of one equality on an SCO that tipline knows
    (`[url:value = '…']`, `[file:hashes.'SHA-256' = '…']`, tipline's own types); None for
    anything else (several comparisons, other operators, other objects)."""
    match = _COMPARISON.match(pattern.strip())
    if match is None:
        return None
    stix_type, path = match.group("type"), match.group("path")
    text = _UNESCAPE.sub(r"\1", match.group("literal"))
    if stix_type == "file":
        name = path.removeprefix("hashes.").strip("'")
        kind = HASH_KINDS.get(name.upper())
        if not path.startswith("hashes.") or kind is None:
            return None
        return PatternValue("hash", f"{kind}:{text}")
    if path != "value":
        return None
    if stix_type == "url":
        return PatternValue("url", from_uri(text))
    if stix_type in CORE_TYPES:
        return PatternValue(CORE_TYPES[stix_type], text)
    custom = CUSTOM_SCOS.get(stix_type)
    return None if custom is None or custom.kind is None else PatternValue(custom.kind, text)
