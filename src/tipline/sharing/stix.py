"""What tipline shares, as STIX 2.1 objects (plain dicts, ready for JSON). Pure: no database.

One confirmed indicator is four objects: the `indicator` (its pattern, TLP marking, confidence,
categories as labels), its cyber-observable (`patterns.sco`), an `observed-data` of it, and a
`sighting` by this instance with the count of confirmed reports and when the first and last of
them came. A campaign is a `campaign` (its stable uid, first and last seen, and only aggregate
figures: reports and losses) and one `indicates` relationship from each of its shared
indicators. Nothing else of a report is ever in them.

Identifiers are deterministic, the way OpenCTI makes its standard ids: UUIDv5 in the OASIS
namespace over the canonical JSON of the contributing properties (an indicator's pattern, an
identity's name and class, a campaign's name, a relationship's type and ends, a sighting's
indicator and sighter, an observed-data's objects). So the same indicator is the same object
in every export and at every partner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from uuid import UUID

from tipline.sharing.patterns import (
    EXTENSIONS_CREATED,
    Extension,
    Observable,
    deterministic_id,
    extension_definition,
    sco,
)
from tipline.sharing.tlp import Tlp

CAMPAIGN_AGGREGATES = Extension(
    "tipline-campaign-aggregates",
    "89b934a5-958f-4560-92ee-6ca7f8645c67",
    None,
    "A campaign's aggregate figures: how many reports, and the losses they give summed by "
    "currency. Never a figure of one report.",
    "report_count (integer): the campaign's reports; losses (list of {currency: ISO 4217 code "
    "or XXX, amount: decimal string}): their losses summed by currency.",
    "property-extension",
)
CAMPAIGN_EXTENSION_ID = CAMPAIGN_AGGREGATES.extension_id
KIND_WORDS = {
    "phone": "phone number",
    "bank_account": "bank account",
    "url": "URL",
    "domain": "domain",
    "email": "email address",
    "ip": "IP address",
    "crypto": "crypto wallet",
    "hash": "file hash",
    "social": "social account",
}


@lru_cache(maxsize=4096)
def timestamp(moment: datetime) -> str:
    """STIX's timestamp, in UTC to the millisecond: `2026-12-01T08:30:00.000Z` (cached: the
    objects of one publishing share their version)."""
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="milliseconds")[:-6] + "Z"  # without "+00:00"


def identity_id(name: str) -> str:
    """This instance's identity id, as OpenCTI derives an organisation's."""
    return deterministic_id(
        "identity", {"name": name.lower().strip(), "identity_class": "organization"}
    )


def instance_identity(name: str) -> dict[str, Any]:
    """This instance as the creator of what it shares (Settings.sharing_identity_name)."""
    return {
        "type": "identity",
        "spec_version": "2.1",
        "id": identity_id(name),
        "created": EXTENSIONS_CREATED,
        "modified": EXTENSIONS_CREATED,
        "name": name,
        "identity_class": "organization",
        "description": "A tipline instance: reports of cybercrime, and the indicators its "
        "analysts confirmed.",
    }


@dataclass(frozen=True, slots=True)
class Version:
    """When an object was first published, and when this version of it was."""

    created: datetime
    modified: datetime


def _common(
    stix_type: str, stix_id: str, creator: str, version: Version, tlp: Tlp
) -> dict[str, Any]:
    return {
        "type": stix_type,
        "spec_version": "2.1",
        "id": stix_id,
        "created_by_ref": creator,
        "created": timestamp(version.created),
        "modified": timestamp(version.modified),
        "object_marking_refs": [tlp.marking_id],
    }


@dataclass(frozen=True, slots=True)
class IndicatorShare:
    """What is shared of one indicator: its value and marking, the categories of the reports
    that confirm it, how many they are and when the first and the last came (aggregate)."""

    kind: str
    value: str
    tlp: Tlp
    categories: tuple[str, ...]
    reports: int
    first_seen: datetime
    last_seen: datetime


def confidence(reports: int) -> int:
    """STIX confidence (0-100) of an indicator analysts confirmed in this many reports:
    70 for one, 80 for two, 90 for three, 95 from four on."""
    return min(95, 60 + 10 * max(reports, 1))


def observation(share: IndicatorShare) -> dict[str, Any]:
    """What the observed-data of a shared indicator says of its reports (all of it that
    changes, with its marking and creator: publishing reads it to tell a change)."""
    return {
        "first_observed": timestamp(share.first_seen),
        "last_observed": timestamp(share.last_seen),
        "number_observed": max(share.reports, 1),
    }


def observation_text(share: IndicatorShare) -> str:
    """`observation(share)` as its object's stored JSON holds it (consecutive fields), written
    directly: publishing looks for it in 100,000 stored objects."""
    first, last = timestamp(share.first_seen), timestamp(share.last_seen)
    count = max(share.reports, 1)
    return f'"first_observed":"{first}","last_observed":"{last}","number_observed":{count}'


def indicator_id(item: Observable) -> str:
    return deterministic_id("indicator", {"pattern": item.pattern.strip()})


def indicator_object(
    share: IndicatorShare, item: Observable, creator: str, version: Version
) -> dict[str, Any]:
    """The `indicator` of one shared indicator (the feeds serve it alone)."""
    plural = "" if share.reports == 1 else "s"
    return _common("indicator", indicator_id(item), creator, version, share.tlp) | {
        "name": f"{KIND_WORDS[share.kind]} {share.value}",
        "description": f"A {KIND_WORDS[share.kind]} that analysts confirmed in {share.reports} "
        f"report{plural} of cybercrime ({', '.join(share.categories)}).",
        "indicator_types": ["malicious-activity"],
        "pattern": item.pattern,
        "pattern_type": "stix",
        "pattern_version": "2.1",
        "valid_from": timestamp(share.first_seen),
        "confidence": confidence(share.reports),
        "labels": list(share.categories),
    }


def indicator_objects(
    share: IndicatorShare, item: Observable, creator: str, version: Version
) -> list[dict[str, Any]]:
    """The indicator, its SCO, the observed-data and the sighting of one shared indicator."""
    tlp = share.tlp
    indicator = indicator_object(share, item, creator, version)
    observed_id = deterministic_id("observed-data", {"objects": [item.id]})
    observed = _common("observed-data", observed_id, creator, version, tlp) | {
        **observation(share),
        "object_refs": [item.id],
    }
    sighting_of = {"type": "sighting", "sighting_of_ref": indicator["id"]}
    sighting_id = deterministic_id("sighting", sighting_of | {"where_sighted_refs": [creator]})
    sighting = _common("sighting", sighting_id, creator, version, tlp) | {
        "count": min(share.reports, 999_999_999),
        "first_seen": timestamp(share.first_seen),
        "last_seen": timestamp(share.last_seen),
        "sighting_of_ref": indicator["id"],
        "observed_data_refs": [observed_id],
        "where_sighted_refs": [creator],
    }
    return [indicator, sco(item, tlp.marking_id), observed, sighting]


@dataclass(frozen=True, slots=True)
class CampaignShare:
    """What is shared of one campaign: its stable uid, its marking, the categories, count and
    time span of its reports, and its losses summed by currency (`("VND", "1500000.00")`)."""

    uid: UUID
    tlp: Tlp
    categories: tuple[str, ...]
    reports: int
    first_seen: datetime
    last_seen: datetime
    losses: tuple[tuple[str, str], ...]


def campaign_name(uid: UUID) -> str:
    """A campaign's shared name: from its uid only (analysts' names for it are free text)."""
    return f"Campaign {uid}"


def campaign_id(uid: UUID) -> str:
    """As OpenCTI derives a campaign's id: from its (lower-case) name, here its uid's."""
    return deterministic_id("campaign", {"name": campaign_name(uid).lower()})


def campaign_object(share: CampaignShare, creator: str, version: Version) -> dict[str, Any]:
    plural = "" if share.reports == 1 else "s"
    aggregates: dict[str, Any] = {
        "extension_type": "property-extension",
        "report_count": share.reports,
        "losses": [{"currency": c, "amount": a} for c, a in share.losses],
    }
    return _common("campaign", campaign_id(share.uid), creator, version, share.tlp) | {
        "name": campaign_name(share.uid),
        "description": f"A campaign of {share.reports} report{plural} of cybercrime "
        f"({', '.join(share.categories)}) that share indicators.",
        "first_seen": timestamp(share.first_seen),
        "last_seen": timestamp(share.last_seen),
        "labels": list(share.categories),
        "extensions": {CAMPAIGN_EXTENSION_ID: aggregates},
    }


def relationship(
    relationship_type: str, source: str, target: str, tlp: Tlp, creator: str, version: Version
) -> dict[str, Any]:
    """A relationship, with OpenCTI's id for it (its type and its two ends)."""
    contributing = {
        "relationship_type": relationship_type,
        "source_ref": source,
        "target_ref": target,
    }
    stix_id = deterministic_id("relationship", contributing)
    return _common("relationship", stix_id, creator, version, tlp) | contributing


def campaign_extension_definition() -> dict[str, Any]:
    """The property extension that carries a campaign's aggregate figures."""
    return extension_definition(CAMPAIGN_AGGREGATES)


# What a revoked indicator matches and its observed-data names instead of the value: a domain
# of `.invalid` (RFC 2606), which no real observable is. A withdrawn value may have been a
# victim's own (marked so after it was shared) or rejected: its revoked version, which
# partners who never had it receive too, must not carry it.
WITHDRAWN_VALUE = "withdrawn.invalid"
WITHDRAWN_PATTERN = f"[domain-name:value = '{WITHDRAWN_VALUE}']"
WITHDRAWN_OBSERVABLE = deterministic_id("domain-name", {"value": WITHDRAWN_VALUE})
# What stays of an indicator in its revoked version: nothing of the value (not its name,
# description or pattern), its TLP, its categories and first report's date (MISP files it by them).
_KEPT = frozenset(
    {"type", "spec_version", "id", "created_by_ref", "created", "object_marking_refs",
     "indicator_types", "pattern_type", "pattern_version", "valid_from", "labels"}
)  # fmt: skip


def revoked(body: dict[str, Any], modified: datetime) -> dict[str, Any]:
    """A new version of a domain object or relationship that says it is withdrawn. An
    indicator's carries the placeholder pattern and an observed-data's the placeholder
    observable, never the value (docs/sharing.md, "Withdrawn")."""
    withdrawn = body | {"modified": timestamp(modified), "revoked": True}
    if body.get("type") == "indicator":
        withdrawn = {
            k: v for k, v in withdrawn.items() if k in _KEPT or k in ("modified", "revoked")
        }
        withdrawn |= {
            "name": "withdrawn indicator",
            "description": "An indicator this instance no longer shares; its value is withheld.",
            "pattern": WITHDRAWN_PATTERN,
        }
    elif body.get("type") == "observed-data":
        withdrawn["object_refs"] = [WITHDRAWN_OBSERVABLE]
    return withdrawn


def bundle(objects: Sequence[dict[str, Any]], bundle_uuid: UUID) -> dict[str, Any]:
    return {"type": "bundle", "id": f"bundle--{bundle_uuid}", "objects": list(objects)}
