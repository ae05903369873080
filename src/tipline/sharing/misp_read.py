"""MISP events read back as the indicators tipline keeps. Pure: no database.

Each attribute or object of a type tipline reads (`misp_attributes.from_attribute`,
`from_object`) is one indicator, with its TLP (the attribute's `tlp:` tag, else the event's),
its categories (`tipline:category` tags, else `rsit` ones that stand for a category), when it was
seen, how many sightings it has (MISP's `Sighting` list, or the `sightings: N` a tipline feed
writes) and whether MISP deleted it; anything else is skipped, with its MISP type as the reason
(never its value).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from tipline.sharing.misp import CATEGORY_TAG, RSIT_TAGS
from tipline.sharing.misp_attributes import from_attribute, from_object
from tipline.sharing.reading import PartnerIndicator, ReadBundle, Skipped, stix_time
from tipline.sharing.tlp import Tlp, parse_tlp
from tipline.vocabulary import CATEGORIES

_CATEGORY_OF_RSIT = {tag: category for category, tag in RSIT_TAGS.items()}
_CATEGORY_PREFIX = CATEGORY_TAG.partition("{")[0]
_COUNT = re.compile(r"^sightings: (\d{1,9})$")


@dataclass(frozen=True, slots=True)
class Received:
    """One indicator of a MISP event: kind and value as MISP had it (the import makes it
    canonical), the attribute's (or object's) uuid, and what MISP says of it."""

    kind: str
    value: str
    uuid: str
    tlp: Tlp | None
    categories: tuple[str, ...]
    first_seen: str | None
    last_seen: str | None
    sightings: int | None
    deleted: bool


@dataclass
class MispRead:
    """What some MISP events hold for tipline: the indicators, and what was skipped (uuid,
    reason)."""

    org: str
    events: list[str] = field(default_factory=list)
    indicators: list[Received] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def tag_names(item: Mapping[str, Any]) -> list[str]:
    tags = item.get("Tag", [])
    return [str(t.get("name", "")) for t in tags if isinstance(t, Mapping)]


def tlp_of(tags: Iterable[str]) -> Tlp | None:
    """The most restrictive `tlp:` tag among some tags (TLP 1.0's `tlp:white` is clear)."""
    found = []
    for tag in tags:
        if tag.lower().startswith("tlp:"):
            try:
                found.append(parse_tlp(tag))
            except ValueError:
                continue
    return max(found, key=lambda tlp: tlp.rank, default=None)


def categories_of_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """tipline's categories among some tags: `tipline:category` tags, else `rsit` ones."""
    tags = list(tags)
    own = [t[len(_CATEGORY_PREFIX) :].strip('"') for t in tags if t.startswith(_CATEGORY_PREFIX)]
    if own:
        return tuple(dict.fromkeys(own))
    return tuple(dict.fromkeys(_CATEGORY_OF_RSIT[t] for t in tags if t in _CATEGORY_OF_RSIT))


def sightings_of(item: Mapping[str, Any]) -> int | None:
    """MISP's sightings of an attribute, or the aggregate a tipline feed wrote, or None."""
    listed = item.get("Sighting")
    if isinstance(listed, list) and listed:
        return len(listed)
    match = _COUNT.match(str(item.get("comment") or ""))
    return int(match.group(1)) if match else None


def _uid(item: Mapping[str, Any], event_uuid: str, number: int) -> str:
    """The item's uuid, or one made of its event's and its place, if it has none that is."""
    try:
        return str(uuid.UUID(str(item.get("uuid"))))
    except ValueError:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"misp:{event_uuid}:{number}"))


Found = tuple[Mapping[str, Any], tuple[str, str] | None, str]


def _items(event: Mapping[str, Any]) -> Iterator[Found]:
    """Each attribute and object: the item (an object with its attributes' tags), the (kind,
    value) it stands for or None, and its MISP type."""
    for attribute in event.get("Attribute", []):
        misp_type = str(attribute.get("type"))
        yield attribute, from_attribute(misp_type, str(attribute.get("value", ""))), misp_type
    for obj in event.get("Object", []):
        attributes = [a for a in obj.get("Attribute", []) if isinstance(a, Mapping)]
        tags = [tag for a in attributes for tag in a.get("Tag", [])]
        with_tags = {**obj, "Tag": [*obj.get("Tag", []), *tags]}
        yield with_tags, from_object(str(obj.get("name")), attributes), f"object {obj.get('name')}"


def read_event(document: Mapping[str, Any], into: MispRead) -> None:
    """Add one MISP event's indicators (`{"Event": …}`, or the event itself) to `into`."""
    event = document.get("Event", document)
    event_uuid = str(event.get("uuid", ""))
    event_tags = tag_names(event)
    into.events.append(event_uuid)
    for number, (item, found, misp_type) in enumerate(_items(event)):
        uid = _uid(item, event_uuid, number)
        if found is None:
            into.skipped.append((uid, f"a MISP {misp_type} tipline does not keep"))
            continue
        tags = tag_names(item)
        into.indicators.append(
            Received(
                kind=found[0],
                value=found[1],
                uuid=uid,
                tlp=tlp_of(tags) or tlp_of(event_tags),
                categories=categories_of_tags(tags) or categories_of_tags(event_tags),
                first_seen=item.get("first_seen") or None,
                last_seen=item.get("last_seen") or None,
                sightings=sightings_of(item),
                deleted=bool(item.get("deleted")),
            )
        )


def org_name(document: Mapping[str, Any]) -> str:
    """The organisation that made an event (`Orgc`, else `Org`), or ''."""
    event = document.get("Event", document)
    for key in ("Orgc", "Org"):
        holder = event.get(key)
        if isinstance(holder, Mapping) and holder.get("name"):
            return str(holder["name"])
    return ""


def read_events(documents: Iterable[Mapping[str, Any]]) -> list[MispRead]:
    """Some MISP events' indicators, grouped by the organisation that made them, in order."""
    groups: dict[str, MispRead] = {}
    for document in documents:
        org = org_name(document)
        read_event(document, groups.setdefault(org, MispRead(org)))
    return list(groups.values())


def partner_bundle(read: MispRead) -> ReadBundle:
    """One organisation's MISP indicators as the STIX import reads a partner's bundle: each
    under the id `indicator--<its MISP uuid>`, so that importing it again, or its deletion,
    finds the same listing."""
    label = read.events[0] if len(read.events) == 1 else f"{len(read.events)} MISP events"
    bundle = ReadBundle(label, len(read.indicators) + len(read.skipped))
    for item in read.indicators:
        bundle.indicators.append(
            PartnerIndicator(
                kind=item.kind,
                text=item.value,
                tlp=item.tlp,
                categories=tuple(c for c in item.categories if c in CATEGORIES),
                first_seen=stix_time(item.first_seen),
                last_seen=stix_time(item.last_seen),
                sightings=item.sightings,
                stix_id=f"indicator--{item.uuid}",
                revoked=item.deleted,
            )
        )
    bundle.skipped = [Skipped(f"indicator--{uid}", reason) for uid, reason in read.skipped]
    return bundle


def source_name(org: str) -> str:
    """A MISP organisation's name as an indicator source (letters, digits, spaces, `.`, `_`
    and `-`, at most 100), `misp` when nothing is left of it."""
    return " ".join(re.sub(r"[^\w .-]", " ", org, flags=re.ASCII).split())[:100] or "misp"
