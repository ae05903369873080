"""A MISP feed of MISP events.

A feed is a folder a MISP instance adds as a feed ("MISP Feed" format): `manifest.json` (each
event's uuid → its info, Orgc, Tag, date, analysis, threat_level_id and timestamp, which MISP
reads to decide what to fetch), one `<event uuid>.json` per event, and `hashes.csv` (the MD5 of
each attribute's value and the event's uuid, a line each, for MISP's feed correlation).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

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
