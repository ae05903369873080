"""A partner's indicators filed in the indicator store, under the partner's name.

Each value is read as extraction reads it (`tipline.indicators.read.canonical_value`), so that
a partner's `+84 912-345-678` or `HTTPS://Scam.VN/x` is the indicator tipline already knows:
one indicator, with one listing (`IndicatorSource`) per source that holds its TLP, the
partner's id of the object and how many times the partner saw it. A legitimate (allowlisted)
value is not listed as a scam; a revoked object removes the partner's listing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from tipline.audit.service import record
from tipline.errors import InvalidInput
from tipline.indicators import repository as indicators
from tipline.indicators.allowlist import Allowlist
from tipline.indicators.defaults import default_allowlist
from tipline.indicators.extract import extract_with
from tipline.indicators.read import canonical_value
from tipline.indicators.types import Kind
from tipline.sharing import repository
from tipline.sharing.audit import MAX_IDS
from tipline.sharing.reading import PartnerIndicator, ReadBundle, Skipped
from tipline.vocabulary import Category

IMPORT_ACTION = "sharing.import"
SOURCE_LENGTH = 100  # IndicatorSource.source


@dataclass
class ImportSummary:
    """What a bundle (or MISP events) gave: indicators filed, listings removed for revoked
    objects, and the indicators skipped with their reason."""

    bundle_id: str
    objects: int
    imported: int = 0
    revoked: int = 0
    skipped: list[Skipped] = field(default_factory=list)


def check_source(source: str) -> None:
    """A partner's name as its listings carry it: 1 to 100 printable characters (a partner's
    record may be named `Cục A05 (Việt Nam)`)."""
    if not 0 < len(source) <= SOURCE_LENGTH or not source.isprintable() or source != source.strip():
        message = f"a source is named by 1 to {SOURCE_LENGTH} printable characters"
        raise InvalidInput(message, field="source")


def canonical(item: PartnerIndicator, allowlist: Allowlist) -> tuple[str, bool] | None:
    """The canonical value of a partner's indicator and whether it is allowlisted, or None."""
    try:
        kind = Kind(item.kind)
    except ValueError:
        return None
    value = canonical_value(kind, item.text, allowlist)
    if value is None:
        return None
    found = extract_with(value, allowlist) if kind in (Kind.DOMAIN, Kind.URL, Kind.IP) else []
    return value, any(i.allowlisted for i in found if i.kind == kind and i.value == value)


@dataclass
class _Listing:
    kind: str
    value: str
    item: PartnerIndicator
    sightings: int | None
    seen_last: datetime | None = None  # of sightings that came before it (a page earlier)

    def merge(self, other: PartnerIndicator) -> None:
        if other.sightings is not None:
            self.sightings = (self.sightings or 0) + other.sightings


def _listings(read: ReadBundle, summary: ImportSummary) -> tuple[list[_Listing], list[str]]:
    """The values to list (one per canonical value) and the ids of revoked objects."""
    allowlist = default_allowlist()
    listings: dict[tuple[str, str], _Listing] = {}
    revoked: list[str] = []
    for item in read.indicators:
        stix_id = item.stix_id or ""
        if item.revoked:  # found by its id: a revoked version carries no value
            revoked.append(stix_id)
            continue
        found = canonical(item, allowlist)
        if found is None:
            summary.skipped.append(Skipped(stix_id, f"not a valid {item.kind} value"))
        elif found[1]:
            summary.skipped.append(Skipped(stix_id, "a legitimate (allowlisted) value"))
        elif (item.kind, found[0]) in listings:
            listings[(item.kind, found[0])].merge(item)
        else:
            listings[(item.kind, found[0])] = _Listing(item.kind, found[0], item, item.sightings)
    return list(listings.values()), revoked


def _source_row(listing: _Listing, ident: int, source: str, now: datetime) -> dict[str, Any]:
    item = listing.item
    first = item.first_seen or now
    last = max(item.last_seen or first, listing.seen_last or first, first)
    return {
        "indicator_id": ident,
        "source": source,
        "category": item.categories[0] if item.categories else Category.OTHER.value,
        "first_seen": first,
        "last_seen": last,
        "tlp": item.tlp.value if item.tlp else None,
        "sightings": listing.sightings,
        "stix_id": item.stix_id,
    }


def _with_earlier_sightings(session: Session, source: str, listings: list[_Listing]) -> None:
    """Give each listing the partner's sightings that came before its indicator (kept by
    `repository.set_partner_sightings`), unless its own page carries newer ones."""
    ids = [listing.item.stix_id for listing in listings if listing.item.stix_id]
    earlier = repository.take_pending_sightings(session, source, ids)
    for listing in listings:
        kept = earlier.get(listing.item.stix_id or "")
        if kept is not None and listing.sightings is None:
            listing.sightings, listing.seen_last = kept


def import_indicators(
    session: Session, actor: str, source: str, read: ReadBundle, what: str, now: datetime
) -> ImportSummary:
    """File what a partner's bundle (or events) shares, in the caller's transaction, and record
    the import in the audit log."""
    check_source(source)
    summary = ImportSummary(read.bundle_id, read.objects, skipped=list(read.skipped))
    listings, revoked = _listings(read, summary)
    _with_earlier_sightings(session, source, listings)
    sightings = [
        indicators.IndicatorSighting(
            item.kind, item.value, False, item.item.first_seen or now,
            item.item.last_seen or now, 0,
        )
        for item in listings
    ]  # fmt: skip
    ids = indicators.record_feed_indicators(session, sightings, now)
    rows = [_source_row(item, ids[(item.kind, item.value)], source, now) for item in listings]
    repository.upsert_partner_sources(session, rows)
    summary.imported = len(rows)
    summary.revoked = repository.forget_partner_sources(session, source, revoked)
    later = {stix_id: (seen.count, seen.last) for stix_id, seen in read.sightings.items()}
    repository.set_partner_sightings(session, source, later)
    _audit(session, actor, source, what, summary, [str(row["stix_id"]) for row in rows])
    return summary


def _audit(
    session: Session, actor: str, source: str, what: str, summary: ImportSummary, ids: list[str]
) -> None:
    details: dict[str, Any] = {
        "what": what,
        "from": source,
        "bundle": summary.bundle_id,
        "objects": summary.objects,
        "imported": summary.imported,
        "revoked": summary.revoked,
        "skipped": len(summary.skipped),
        "ids": ids[:MAX_IDS],
    }
    if len(ids) > MAX_IDS:
        details["ids_truncated"] = True
    record(session, actor, IMPORT_ACTION, "source", source, details)
