"""A MISP feed of MISP events, and MISP events read back as tipline indicators.

A feed is a folder a MISP instance adds as a feed ("MISP Feed" format): `manifest.json` (each
event's uuid → its info, Orgc, Tag, date, analysis, threat_level_id and timestamp, which MISP
reads to decide what to fetch), one `<event uuid>.json` per event, and `hashes.csv` (the MD5 of
each attribute's value and the event's uuid, a line each, for MISP's feed correlation).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from tipline.sharing.misp import CATEGORY_TAG, RSIT_TAGS
from tipline.sharing.misp_attributes import from_attribute, from_object
from tipline.sharing.tlp import Tlp, parse_tlp

MANIFEST_FIELDS = ("info", "Orgc", "Tag", "date", "analysis", "threat_level_id", "timestamp")
MANIFEST = "manifest.json"
HASHES = "hashes.csv"


def manifest(events: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The feed's `manifest.json`: each event's uuid → the fields MISP reads before fetching."""
    entries = {}
    for document in events:
        event = document["Event"]
        entries[event["uuid"]] = {name: event[name] for name in MANIFEST_FIELDS}
    return entries


def _live_values(event: Mapping[str, Any]) -> Iterator[str]:
    for attribute in event.get("Attribute", []):
        if not attribute.get("deleted"):
            yield str(attribute["value"])
    for obj in event.get("Object", []):
        if not obj.get("deleted"):
            yield from (str(a["value"]) for a in obj.get("Attribute", []) if not a.get("deleted"))


def hashes_csv(events: Iterable[Mapping[str, Any]]) -> str:
    """The feed's `hashes.csv`: `md5(value),event uuid` for each value not deleted."""
    lines = []
    for document in events:
        event = document["Event"]
        for value in _live_values(event):
            lines.append(f"{hashlib.md5(value.encode()).hexdigest()},{event['uuid']}\n")
    return "".join(lines)


def feed_files(events: list[dict[str, Any]]) -> dict[str, str]:
    """Each file of the feed by name: the manifest, the hashes and one JSON per event."""
    files = {MANIFEST: json.dumps(manifest(events), indent=1, sort_keys=True) + "\n"}
    files[HASHES] = hashes_csv(events)
    for document in events:
        text = json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False)
        files[f"{document['Event']['uuid']}.json"] = text + "\n"
    return files


@dataclass(frozen=True, slots=True)
class Received:
    """One indicator read from a MISP event: its kind and value (as MISP had it), TLP and
    categories (the attribute's tags, else the event's), the organisation that made it, when it
    was seen and whether MISP deleted it."""

    kind: str
    value: str
    tlp: Tlp | None
    categories: tuple[str, ...]
    org: str
    first_seen: str | None
    last_seen: str | None
    deleted: bool


_CATEGORY_OF_RSIT = {tag: category for category, tag in RSIT_TAGS.items()}
_CATEGORY_PREFIX = CATEGORY_TAG.partition("{")[0]


def _names(item: Mapping[str, Any]) -> list[str]:
    return [str(tag.get("name", "")) for tag in item.get("Tag", []) if isinstance(tag, Mapping)]


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


def _items(event: Mapping[str, Any]) -> Iterator[tuple[Mapping[str, Any], tuple[str, str]]]:
    for attribute in event.get("Attribute", []):
        found = from_attribute(str(attribute.get("type")), str(attribute.get("value", "")))
        if found is not None:
            yield attribute, found
    for obj in event.get("Object", []):
        attributes = [a for a in obj.get("Attribute", []) if isinstance(a, Mapping)]
        found = from_object(str(obj.get("name")), attributes)
        if found is not None:
            tags = [tag for a in attributes for tag in a.get("Tag", [])]
            yield {**obj, "Tag": [*obj.get("Tag", []), *tags]}, found


def received(document: Mapping[str, Any]) -> list[Received]:
    """The indicators of one MISP event (`{"Event": …}`, or the event itself) that tipline
    keeps; attributes of other types are left out."""
    event = document.get("Event", document)
    event_tags = _names(event)
    org = str(event.get("Orgc", {}).get("name") or event.get("Org", {}).get("name") or "")
    found = []
    for item, (kind, value) in _items(event):
        tags = _names(item)
        found.append(
            Received(
                kind=kind,
                value=value,
                tlp=tlp_of(tags) or tlp_of(event_tags),
                categories=categories_of_tags(tags) or categories_of_tags(event_tags),
                org=org,
                first_seen=item.get("first_seen") or None,
                last_seen=item.get("last_seen") or None,
                deleted=bool(item.get("deleted")),
            )
        )
    return found
