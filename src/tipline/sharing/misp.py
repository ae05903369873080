"""Shared STIX objects as MISP events (the MISP core format), and MISP events read back.

Events: one per campaign (its indicators, found through the `indicates` relationships), and one
for the indicators of no campaign per category, month (of the indicator's `valid_from`) and TLP.
An event's uuid is a UUIDv5 in the publishing organisation's namespace (of the campaign's id, or
of category, month and TLP), an attribute's a UUIDv5 of its event and indicator: exporting
again yields the same uuids, and two tipline instances never share one.

The TLP goes as MISP's `tlp` taxonomy tag (`tlp:clear` … `tlp:red`) on the event (the most
restrictive of its content) and on each attribute or object; categories as a `rsit` tag where
one fits, and always as a `tipline:category` tag, which the import reads back. A revoked
indicator stays in its event as a deleted attribute (`deleted: true`), so that MISP learns of it;
its value is `withdrawn` (the revoked STIX version carries none).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tipline.indicators.crypto import find_wallets_and_hashes
from tipline.sharing.misp_attributes import Field, Template, Translation, to_misp
from tipline.sharing.patterns import read_pattern
from tipline.sharing.tlp import TLP_ORDER, Tlp

THREAT_HIGH, THREAT_MEDIUM = "1", "2"
ANALYSIS_COMPLETED = "2"
# MISP's distribution: 0 this organisation, 1 this community, 2 connected, 3 all communities.
DISTRIBUTION = {
    Tlp.CLEAR: "3",
    Tlp.GREEN: "2",
    Tlp.AMBER: "1",
    Tlp.AMBER_STRICT: "1",
    Tlp.RED: "0",
}
HIGH_THREAT_CATEGORIES = frozenset({"child_exploitation", "sextortion"})
# Categories with a fitting tag of MISP's `rsit` taxonomy (Reference Security Incident Taxonomy).
RSIT_TAGS = {
    "fraud.impersonation": 'rsit:fraud="masquerade"',
    "fraud.phishing": 'rsit:fraud="phishing"',
    "harassment": 'rsit:abusive-content="harmful-speech"',
    "child_exploitation": 'rsit:abusive-content="violence"',
    "hacking": 'rsit:intrusions="unprivileged-account-compromise"',
    "other": 'rsit:other="other"',
}
CATEGORY_TAG = 'tipline:category="{}"'
# A revoked indicator's attribute (or object) holds this instead of its value, in the form of
# its kind (a kind whose form depends on the value takes one of its forms).
WITHDRAWN = "withdrawn"
WITHDRAWN_VALUES = {
    "hash": f"sha256:{WITHDRAWN}",
    "crypto": f"eth:{WITHDRAWN}",
    "bank_account": f"UNKNOWN:{WITHDRAWN}",
    "social": f"telegram:{WITHDRAWN}",
}


@dataclass(frozen=True, slots=True)
class Org:
    """The publishing organisation, as MISP's `Orgc`."""

    name: str
    uuid: str


@dataclass(frozen=True, slots=True)
class Shared:
    """One published STIX object (`body`) and what sharing recorded of it (`shared_object`)."""

    body: Mapping[str, Any]
    tlp: Tlp
    kind: str | None = None
    categories: tuple[str, ...] = ()
    revoked: bool = False


@dataclass(frozen=True, slots=True)
class Seen:
    """An indicator's sightings in aggregate."""

    count: int = 0
    first: str | None = None
    last: str | None = None


@dataclass(slots=True)
class EventGroup:
    """The indicators one event will hold, before it is written."""

    key: str
    info: str
    tlp: Tlp
    categories: set[str] = field(default_factory=set)
    indicators: list[Shared] = field(default_factory=list)


def stix_uuid(stix_id: str) -> str:
    return stix_id.partition("--")[2]


def tlp_tag(tlp: Tlp) -> str:
    """MISP's `tlp` taxonomy tag: `tlp:clear`, `tlp:amber+strict`."""
    return f"tlp:{tlp.value}"


def category_tags(categories: Iterable[str]) -> list[str]:
    """A category's `rsit` tag where one fits, and its `tipline:category` tag."""
    tags = []
    for category in categories:
        if category in RSIT_TAGS:
            tags.append(RSIT_TAGS[category])
        tags.append(CATEGORY_TAG.format(category))
    return tags


def unix_seconds(stamp: str) -> str:
    """A STIX timestamp as MISP's `timestamp` (seconds since 1970, as a string)."""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return str(int(moment.astimezone(UTC).timestamp()))


def most_restrictive(tlps: Iterable[Tlp]) -> Tlp:
    return max(tlps, key=lambda tlp: tlp.rank, default=TLP_ORDER[0])


def wallet_value(address: str) -> str | None:
    """`CHAIN:ADDRESS` of a wallet's address (a STIX `cryptocurrency-wallet` has no chain)."""
    for kind, found in find_wallets_and_hashes(address):
        if kind == "crypto" and (found.start, found.end) == (0, len(address)):
            return found.value
    return None


def pattern_value(pattern: str) -> str | None:
    """The canonical tipline value an indicator's STIX pattern matches (a wallet's chain is
    told from its address: STIX's `cryptocurrency-wallet` has none)."""
    found = read_pattern(pattern)
    if found is None:
        return None
    if found.kind == "crypto":
        return wallet_value(found.text.strip())
    return found.text


def sightings(objects: Iterable[Shared]) -> dict[str, Seen]:
    """Each indicator's sightings, summed over its `sighting` objects."""
    seen: dict[str, Seen] = {}
    for published in objects:
        body = published.body
        if body.get("type") != "sighting" or published.revoked:
            continue
        ref = str(body.get("sighting_of_ref"))
        before = seen.get(ref, Seen())
        first = [s for s in (before.first, body.get("first_seen")) if s]
        last = [s for s in (before.last, body.get("last_seen")) if s]
        seen[ref] = Seen(
            before.count + int(body.get("count", 1)),
            min(first, default=None),
            max(last, default=None),
        )
    return seen


def campaigns_of(objects: Iterable[Shared]) -> dict[str, list[str]]:
    """The campaigns each indicator `indicates` (relationships that are not revoked)."""
    found: dict[str, list[str]] = defaultdict(list)
    for published in objects:
        body = published.body
        if body.get("type") == "relationship" and body.get("relationship_type") == "indicates":
            if not published.revoked and str(body.get("target_ref", "")).startswith("campaign--"):
                found[str(body["source_ref"])].append(str(body["target_ref"]))
    return found


def _lone_key(indicator: Shared) -> tuple[str, str]:
    category = indicator.categories[0] if indicator.categories else "other"
    month = str(indicator.body.get("valid_from") or indicator.body["created"])[:7]
    return category, month


def event_groups(objects: list[Shared]) -> list[EventGroup]:
    """The events the objects make: one per campaign, one per category, month and TLP."""
    campaigns = {
        str(p.body["id"]): p for p in objects if p.body.get("type") == "campaign" and not p.revoked
    }
    links = campaigns_of(objects)
    groups: dict[str, EventGroup] = {}
    for indicator in (p for p in objects if p.body.get("type") == "indicator" and p.kind):
        mine = sorted(c for c in links.get(str(indicator.body["id"]), []) if c in campaigns)
        keys = []
        for campaign_id in mine:
            campaign = campaigns[campaign_id]
            info = f"tipline campaign: {campaign.body.get('name', campaign_id)}"
            keys.append((campaign_id, info, campaign.tlp, campaign.categories))
        if not mine:
            category, month = _lone_key(indicator)
            info = f"tipline indicators: {category}, {month} ({indicator.tlp.label})"
            keys.append((f"{category}:{month}:{indicator.tlp.value}", info, indicator.tlp, ()))
        for key, info, tlp, categories in keys:
            group = groups.setdefault(key, EventGroup(key, info, tlp))
            group.indicators.append(indicator)
            group.categories.update(indicator.categories, categories)
    return [groups[key] for key in sorted(groups)]


def _field_json(item: Field, uid: str, stamp: str, tags: list[str]) -> dict[str, Any]:
    attribute: dict[str, Any] = {
        "uuid": uid,
        "type": item.type,
        "category": item.category,
        "value": item.value,
        "to_ids": item.to_ids,
        "timestamp": stamp,
        "comment": "",
        "disable_correlation": False,
    }
    if item.relation is not None:
        attribute["object_relation"] = item.relation
    if tags:
        attribute["Tag"] = [{"name": tag} for tag in tags]
    return attribute


def _object_json(template: Template, uid: str, stamp: str) -> dict[str, Any]:
    return {
        "uuid": uid,
        "name": template.name,
        "meta-category": template.meta_category,
        "template_uuid": template.uuid,
        "template_version": str(template.version),
        "timestamp": stamp,
        "comment": "",
        "deleted": False,
        "Attribute": [],
    }


def indicator_json(
    indicator: Shared, event_uuid: str, seen: Seen
) -> tuple[str, dict[str, Any]] | None:
    """("Attribute" | "Object", its JSON) for one indicator in one event, or None when its
    pattern names no value."""
    assert indicator.kind is not None
    if indicator.revoked:  # its revoked version carries no value: MISP finds it by its uuid
        value: str | None = WITHDRAWN_VALUES.get(indicator.kind, WITHDRAWN)
    else:
        value = pattern_value(str(indicator.body.get("pattern", "")))
    if value is None:
        return None
    translation: Translation = to_misp(indicator.kind, value)
    stamp = unix_seconds(str(indicator.body.get("modified") or indicator.body["created"]))
    uid = str(uuid.uuid5(uuid.UUID(event_uuid), str(indicator.body["id"])))
    tags = [tlp_tag(indicator.tlp), *category_tags(indicator.categories)]
    times = {"first_seen": seen.first, "last_seen": seen.last}
    extra: dict[str, Any] = {k: v for k, v in times.items() if v}
    if seen.count:
        extra["comment"] = f"sightings: {seen.count}"
    if indicator.revoked:
        extra |= {"deleted": True, "to_ids": False}
    if translation.template is None:
        return "Attribute", _field_json(translation.fields[0], uid, stamp, tags) | extra
    obj = _object_json(translation.template, uid, stamp) | extra
    obj["Attribute"] = [
        _field_json(item, str(uuid.uuid5(uuid.UUID(uid), item.relation or "")), stamp, tags)
        for item in translation.fields
    ]
    return "Object", obj


def event_json(group: EventGroup, org: Org, seen: Mapping[str, Seen]) -> dict[str, Any]:
    """One MISP event (`{"Event": …}`) of a group of indicators."""
    event_uuid = str(uuid.uuid5(uuid.UUID(org.uuid), f"misp-event:{group.key}"))
    tlp = most_restrictive([group.tlp, *(i.tlp for i in group.indicators)])
    categories = sorted(group.categories)
    attributes: list[dict[str, Any]] = []
    objects: list[dict[str, Any]] = []
    for indicator in group.indicators:
        made = indicator_json(indicator, event_uuid, seen.get(str(indicator.body["id"]), Seen()))
        if made is not None:
            (attributes if made[0] == "Attribute" else objects).append(made[1])
    stamps = [a["timestamp"] for a in attributes + objects]
    starts = [str(i.body.get("valid_from") or i.body["created"])[:10] for i in group.indicators]
    event = {
        "uuid": event_uuid,
        "info": group.info,
        "date": min(starts),
        "threat_level_id": THREAT_HIGH
        if HIGH_THREAT_CATEGORIES & group.categories
        else THREAT_MEDIUM,
        "analysis": ANALYSIS_COMPLETED,
        "distribution": DISTRIBUTION[tlp],
        "published": True,
        "timestamp": max(stamps, key=int, default="0"),
        "Orgc": {"name": org.name, "uuid": org.uuid},
        "Tag": [{"name": tag} for tag in [tlp_tag(tlp), *category_tags(categories)]],
        "Attribute": sorted(attributes, key=lambda a: a["uuid"]),
        "Object": sorted(objects, key=lambda o: o["uuid"]),
    }
    return {"Event": event}


def misp_events(objects: Iterable[Shared], org: Org) -> list[dict[str, Any]]:
    """The MISP events of some published STIX objects, in a stable order."""
    objects = list(objects)
    seen = sightings(objects)
    return [event_json(group, org, seen) for group in event_groups(objects)]
