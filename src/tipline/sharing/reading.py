"""A partner's STIX 2.1 bundle read into the indicators it shares. Pure: no database.

A document that is not a STIX bundle (not JSON, not `type: bundle`, objects that are not STIX
objects) is refused whole, with the reason. Inside a good bundle, each `indicator` whose
pattern tipline reads (`patterns.read_pattern`) becomes a `PartnerIndicator`, with its TLP
(TLP 2.0 or 1.0 marking), categories (labels that are tipline's categories) and the count and
dates of the partner's sightings of it; any other indicator is listed as skipped, with why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tipline.errors import InvalidInput
from tipline.sharing.patterns import read_pattern
from tipline.sharing.tlp import TLP_BY_MARKING, Tlp
from tipline.vocabulary import CATEGORIES

STIX_ID = re.compile(
    r"^[a-z0-9][a-z0-9-]{0,248}[a-z0-9]--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)
# TLP 1.0 as STIX 2.x defined it (stix2's TLP_WHITE…), read as TLP 2.0 (white is clear).
TLP_1_MARKINGS = {
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": Tlp.CLEAR,
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": Tlp.GREEN,
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": Tlp.AMBER,
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": Tlp.RED,
}
MARKINGS = TLP_BY_MARKING | TLP_1_MARKINGS
MAX_SIGHTINGS = 999_999_999


@dataclass(frozen=True, slots=True)
class PartnerIndicator:
    """One indicator as a partner shared it, before tipline's canonical form: `text` is read as
    an indicator of `kind` (`tipline.indicators.canonical_value`)."""

    kind: str
    text: str
    tlp: Tlp | None
    categories: tuple[str, ...]
    first_seen: datetime | None
    last_seen: datetime | None
    sightings: int | None
    stix_id: str | None
    revoked: bool = False


@dataclass(frozen=True, slots=True)
class Skipped:
    """An object not imported, and why (never its value: the reason names the pattern kind)."""

    stix_id: str
    reason: str


@dataclass
class ReadBundle:
    bundle_id: str
    objects: int
    indicators: list[PartnerIndicator] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    # Sightings of indicators this bundle does not carry (a TAXII page after the indicator's).
    sightings: dict[str, Sighted] = field(default_factory=dict)


def _refuse(reason: str) -> InvalidInput:
    return InvalidInput(f"not a STIX 2.1 bundle: {reason}", field="bundle")


def bundle_objects(document: Any) -> tuple[str, list[dict[str, Any]]]:
    """The id and objects of a STIX bundle; InvalidInput naming the first thing wrong."""
    if not isinstance(document, Mapping) or document.get("type") != "bundle":
        raise _refuse('its "type" is not "bundle"')
    bundle_id = document.get("id")
    if not isinstance(bundle_id, str) or not STIX_ID.match(bundle_id):
        raise _refuse('its "id" is not a bundle id')
    objects = document.get("objects", [])
    if not isinstance(objects, list):
        raise _refuse('its "objects" is not a list')
    for number, item in enumerate(objects, start=1):
        if not isinstance(item, Mapping):
            raise _refuse(f"object {number} is not a JSON object")
        stix_id, stix_type = item.get("id"), item.get("type")
        if not isinstance(stix_id, str) or not STIX_ID.match(stix_id):
            raise _refuse(f"object {number} has no STIX id")
        if stix_id.partition("--")[0] != stix_type:
            raise _refuse(f"object {number} ({stix_id}) is not of the type its id names")
    return bundle_id, [dict(item) for item in objects]


def stix_time(value: Any) -> datetime | None:
    """A STIX timestamp (`2026-12-01T08:30:00.123456789Z`), or None if it is not one."""
    if not isinstance(value, str):
        return None
    text = re.sub(r"(\.\d{6})\d+", r"\1", value.strip()).replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def tlp_of(marking_refs: Any) -> Tlp | None:
    """The most restrictive TLP among an object's markings (TLP 2.0 or 1.0), or None."""
    if not isinstance(marking_refs, list):
        return None
    found = [MARKINGS[ref] for ref in marking_refs if isinstance(ref, str) and ref in MARKINGS]
    return max(found, key=lambda tlp: tlp.rank) if found else None


@dataclass
class Sighted:
    """A partner's sightings of one indicator, added up."""

    count: int = 0
    first: datetime | None = None
    last: datetime | None = None

    def add(self, sighting: Mapping[str, Any]) -> None:
        count = sighting.get("count", 1)
        self.count = min(MAX_SIGHTINGS, self.count + (count if isinstance(count, int) else 1))
        first, last = stix_time(sighting.get("first_seen")), stix_time(sighting.get("last_seen"))
        if first is not None:
            self.first = first if self.first is None else min(self.first, first)
        if last is not None:
            self.last = last if self.last is None else max(self.last, last)


def sightings_of(objects: Iterable[Mapping[str, Any]]) -> dict[str, Sighted]:
    """The partner's sightings of each indicator, by its id (revoked sightings aside)."""
    sighted: dict[str, Sighted] = {}
    for item in objects:
        target = item.get("sighting_of_ref")
        if item["type"] == "sighting" and isinstance(target, str) and not item.get("revoked"):
            sighted.setdefault(target, Sighted()).add(item)
    return sighted


def partner_indicator(item: Mapping[str, Any], sighted: Sighted | None) -> PartnerIndicator | str:
    """An indicator object read, or why it cannot be. A revoked one is read by its id alone:
    its pattern is a placeholder (`stix.WITHDRAWN_PATTERN`), not the value."""
    if item.get("revoked") is True:
        return PartnerIndicator("", "", None, (), None, None, None, item["id"], revoked=True)
    if item.get("pattern_type") != "stix" or not isinstance(item.get("pattern"), str):
        return "not a STIX pattern"
    value = read_pattern(item["pattern"])
    if value is None:
        return "a pattern tipline does not read (one equality on a known observable)"
    labels = item.get("labels")
    categories = [c for c in labels if c in CATEGORIES] if isinstance(labels, list) else []
    first = (sighted and sighted.first) or stix_time(item.get("valid_from"))
    last = (sighted and sighted.last) or stix_time(item.get("modified")) or first
    return PartnerIndicator(
        kind=value.kind,
        text=value.text,
        tlp=tlp_of(item.get("object_marking_refs")),
        categories=tuple(dict.fromkeys(categories)),
        first_seen=first,
        last_seen=last,
        sightings=sighted.count if sighted else None,
        stix_id=item["id"],
        revoked=item.get("revoked") is True,
    )


def read_bundle(document: Any) -> ReadBundle:
    """The indicators a bundle shares, and the indicator objects skipped with their reason."""
    bundle_id, objects = bundle_objects(document)
    sighted = sightings_of(objects)
    read = ReadBundle(bundle_id, len(objects))
    for item in objects:
        if item["type"] != "indicator":
            continue
        found = partner_indicator(item, sighted.get(item["id"]))
        if isinstance(found, str):
            read.skipped.append(Skipped(item["id"], found))
        else:
            read.indicators.append(found)
    carried = {item["id"] for item in objects if item["type"] == "indicator"}
    read.sightings = {ref: seen for ref, seen in sighted.items() if ref not in carried}
    return read
