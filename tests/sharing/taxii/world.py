"""A small sharing world for the TAXII server's tests: two partner agencies with different
policies, their users, staff and a platform, each with an API token, and published objects."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from tipline.accounts import service as accounts
from tipline.partners import service as partners
from tipline.sharing.models import SharedObject
from tipline.sharing.policy import category_mask

START = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
FRAUD = category_mask(["fraud.investment"])
CHILD = category_mask(["child_exploitation"])
PASSWORD = "taxii-partner-pass-2026"
# Users made with a cheap argon2 hash: the tests make four for each test on a busy machine.
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

# name → (type, tlp, kind, categories, campaign data); published in this order, a minute apart.
OBJECTS = {
    "clear-phone": ("indicator", "clear", "phone", FRAUD, False),
    "green-url": ("indicator", "green", "url", FRAUD, False),
    "amber-bank": ("indicator", "amber", "bank_account", FRAUD, False),
    "red-phone": ("indicator", "red", "phone", FRAUD, False),
    "clear-child-url": ("indicator", "clear", "url", CHILD, False),
    "green-campaign": ("campaign", "green", None, FRAUD, True),
    "clear-relationship": ("relationship", "clear", "phone", FRAUD, True),
}
# What each caller's policy admits (staff: everything).
NARROW_READS = {"clear-phone", "green-url"}  # amber, phone and url, fraud only, no campaigns
WIDE_READS = {"clear-phone", "green-url", "clear-child-url", "green-campaign", "clear-relationship"}


def stix_id(name: str, stix_type: str = "indicator") -> str:
    """The id of a published object of the world (or of another, named in a test)."""
    kind = OBJECTS[name][0] if name in OBJECTS else stix_type
    return f"{kind}--{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def stix_body(name: str, stix_type: str, modified: datetime) -> str:
    stamp = modified.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    body = {
        "type": stix_type,
        "spec_version": "2.1",
        "id": stix_id(name, stix_type),
        "created": stamp,
        "modified": stamp,
        "name": name,
    }
    return json.dumps(body, separators=(",", ":"))


def publish(session: Session, name: str, stix_type: str, tlp: str, kind: str | None,
            mask: int, campaign: bool, when: datetime) -> None:  # fmt: skip
    session.add(
        SharedObject(
            stix_id=stix_id(name, stix_type),
            type=stix_type,
            origin=f"test:{name}",
            tlp=tlp,
            kind=kind,
            category_mask=mask,
            needs_campaigns=campaign,
            revoked=False,
            modified=when,
            date_added=when,
            body=stix_body(name, stix_type, when),
        )
    )


@dataclass
class World:
    """Tokens by caller (`staff`, `narrow`, `wide`, `platform`) and the partners' ids."""

    tokens: dict[str, str] = field(default_factory=dict)
    partner_ids: dict[str, int] = field(default_factory=dict)

    def ids(self, names: set[str]) -> set[str]:
        return {stix_id(name) for name in names}


def build_world(session: Session, cheap_hashes: bool = True) -> World:
    """Partners, users, tokens and the published objects; committed."""
    world = World()

    narrow = partners.add_partner(session, "cli:t", "Thai CCIB", "TH")
    narrow.max_tlp, narrow.kinds, narrow.categories = "amber", "phone,url", "fraud.investment"
    wide = partners.add_partner(session, "cli:t", "Khmer police", "KH")
    wide.max_tlp, wide.campaigns = "green", True
    partners.add_organisation(session, "cli:t", "Example bank", "bank")
    session.flush()
    world.partner_ids = {"narrow": narrow.id, "wide": wide.id}
    users = {
        "staff": ("lan", "analyst", {}),
        "narrow": ("ccib", "partner", {"partner": "Thai CCIB"}),
        "wide": ("khmer", "partner", {"partner": "Khmer police"}),
        "platform": ("bank", "platform", {"organisation": "Example bank"}),
    }
    hashing = accounts.hash_password
    accounts.hash_password = CHEAP.hash if cheap_hashes else hashing  # type: ignore[assignment]
    try:
        for caller, (username, role, affiliation) in users.items():
            accounts.create_user(session, "cli:t", username, role, PASSWORD, **affiliation)
            issued = accounts.create_token(session, "cli:t", username, "taxii")
            world.tokens[caller] = issued.plaintext
    finally:
        accounts.hash_password = hashing  # type: ignore[assignment]
    for i, (name, values) in enumerate(OBJECTS.items()):
        publish(session, name, *values, START + timedelta(minutes=i))
    session.commit()
    return world
