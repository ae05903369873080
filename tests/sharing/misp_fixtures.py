"""Published STIX objects of every indicator kind, a campaign and sightings, as the MISP tests'
input (plain dicts, the way `shared_object.body` holds them)."""

from __future__ import annotations

import uuid
from typing import Any

from tipline.sharing.misp import Org, Published
from tipline.sharing.tlp import Tlp

ORG = Org("Vietnam tipline (test)", "6a3c8a5e-5d1f-4c3e-9a53-0a4f7c0e2b11")
CREATED = "2026-11-03T08:00:00.000Z"
MODIFIED = "2026-11-20T10:30:00.000Z"

# kind → (canonical value, STIX pattern)
PATTERNS: dict[str, tuple[str, str]] = {
    "url": ("https://vietcombank-xacthuc.com/login", "[url:value = '{}']"),
    "domain": ("vietcombank-xacthuc.com", "[domain-name:value = '{}']"),
    "email": ("hotro.cskh@gmail.com", "[email-addr:value = '{}']"),
    "ip": ("103.97.125.12", "[ipv4-addr:value = '{}']"),
    "phone": ("+84912345678", "[phone-number:value = '{}']"),
    "bank_account": ("VCB:0451000123999", "[x-tipline-bank-account:value = '{}']"),
    "crypto": ("trx:TA4Y62o6YC2Zsck9rZVGTvqW1AQ7X9zTnj", "[cryptocurrency-wallet:value = '{}']"),
    "hash": (
        "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "[file:hashes.'SHA-256' = '{}']",
    ),
    "social": ("telegram:hotro_vcb", "[x-tipline-social-account:value = '{}']"),
}


def pattern_of(kind: str, value: str) -> str:
    shown = value.partition(":")[2] if kind in {"hash", "crypto"} else value
    return PATTERNS[kind][1].format(shown)


def indicator(
    kind: str,
    value: str | None = None,
    tlp: Tlp = Tlp.CLEAR,
    categories: tuple[str, ...] = ("fraud.investment",),
    revoked: bool = False,
    valid_from: str = CREATED,
) -> Published:
    value = value or PATTERNS[kind][0]
    body: dict[str, Any] = {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--{uuid.uuid5(uuid.NAMESPACE_URL, kind + value)}",
        "created": CREATED,
        "modified": MODIFIED,
        "pattern": pattern_of(kind, value),
        "pattern_type": "stix",
        "valid_from": valid_from,
        "object_marking_refs": [tlp.marking_id],
    }
    return Published(body, tlp, kind, categories, revoked)


def sighting(of: Published, count: int, first: str, last: str) -> Published:
    body = {
        "type": "sighting",
        "id": f"sighting--{of.body['id'].partition('--')[2]}",
        "created": CREATED,
        "modified": MODIFIED,
        "sighting_of_ref": of.body["id"],
        "count": count,
        "first_seen": first,
        "last_seen": last,
    }
    return Published(body, of.tlp, None, of.categories)


CAMPAIGN_ID = "campaign--11111111-2222-4333-8444-555555555555"


def campaign(name: str = "Fake Vietcombank verification", tlp: Tlp = Tlp.CLEAR) -> Published:
    body = {
        "type": "campaign",
        "id": CAMPAIGN_ID,
        "created": CREATED,
        "modified": MODIFIED,
        "name": name,
    }
    return Published(body, tlp, None, ("fraud.impersonation",))


def indicates(source: Published) -> Published:
    body = {
        "type": "relationship",
        "id": f"relationship--{source.body['id'].partition('--')[2]}",
        "created": CREATED,
        "modified": MODIFIED,
        "relationship_type": "indicates",
        "source_ref": source.body["id"],
        "target_ref": CAMPAIGN_ID,
    }
    return Published(body, source.tlp, None, source.categories)
