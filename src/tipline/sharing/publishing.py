"""Publishing, pure: what is shareable now against what is published, as a plan of rows to
write. No database: `service.publish` reads both sides and writes the plan.

Objects are grouped by `origin` (`indicator:42`, `campaign:<uid>`, `definitions`): a group is
built at once, one version for all its objects. A group whose objects are unchanged keeps its
rows (their `modified` and `date_added`); a changed one is written anew, with a new `modified`
later than any before and `date_added` now. An object published before that its group no
longer has is withdrawn: a domain object or relationship as a revoked version (so partners who
took it learn of it), an observable (which STIX cannot revoke) by no longer being served.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tipline.sharing.stix import Version, revoked, timestamp
from tipline.sharing.tlp import Tlp

MILLISECOND = timedelta(milliseconds=1)
_COMPACT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
# Objects STIX can mark revoked; anything else published (observables) is withdrawn instead.
VERSIONED = frozenset({"indicator", "observed-data", "sighting", "campaign", "relationship"})


@dataclass(frozen=True, slots=True)
class Published:
    """One object to publish and what decides who receives it."""

    body: dict[str, Any]
    tlp: Tlp
    kind: str | None
    category_mask: int
    needs_campaigns: bool = False


@dataclass(frozen=True, slots=True)
class Stored:
    """A published row as the plan reads it; `body` only where the comparison needs it."""

    stix_id: str
    origin: str
    tlp: str
    category_mask: int
    revoked: bool
    modified: datetime | None  # None where not read (`repository.stored_witnesses`)
    body: str | None


# Builds a group's objects for a version (how: `tipline.sharing.shares`).
Builder = Callable[[Version], list[Published]]


@dataclass(frozen=True, slots=True)
class Expected:
    """What a group's stored objects say when it is unchanged, told without building it: its
    `witness` object (by type) has this marking and these categories, and its JSON holds each
    of `fragments` (as `text` writes it). Building 100,000 indicators' objects to find them
    unchanged would take most of a minute; this takes a second.
    """

    witness: str
    fragments: tuple[str, ...]
    tlp: Tlp
    category_mask: int


def fragment(fields: Mapping[str, Any]) -> str:
    """Consecutive fields of an object as `text` writes them: `"count":3,"first_seen":"…"`."""
    return _COMPACT.encode(fields)[1:-1]


def as_expected(expected: Expected, stored: list[Stored]) -> bool:
    """Whether the stored group is what `expected` says: its witness (objects of a group are
    written, marked and revoked together) not revoked, with the same marking, categories and
    fragments of JSON."""
    for row in stored:
        if row.body is None or not row.stix_id.startswith(expected.witness + "--"):
            continue
        same = row.tlp == expected.tlp.value and row.category_mask == expected.category_mask
        body = row.body
        return same and not row.revoked and all(part in body for part in expected.fragments)
    return False


@dataclass
class Plan:
    """Rows to (re)write, objects to revoke or to stop serving, and how many groups stayed."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    revoke: list[str] = field(default_factory=list)
    withdraw: list[str] = field(default_factory=list)
    unchanged: int = 0
    written: int = 0

    @property
    def replaced(self) -> list[str]:
        return [row["stix_id"] for row in self.rows]


def text(body: Mapping[str, Any]) -> str:
    """An object's JSON as stored (compact, keys in the order built)."""
    return _COMPACT.encode(body)


def stix_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def stored_version(stored: Iterable[Stored]) -> Version | None:
    """The version a group was published at, from the first stored body that says it."""
    for row in stored:
        if row.body is not None:
            body = json.loads(row.body)
            if "created" in body and "modified" in body:
                return Version(stix_time(body["created"]), stix_time(body["modified"]))
    return None


def unchanged(fresh: list[Published], stored: list[Stored]) -> bool:
    """Whether the group as built now is what is stored: the same objects, none revoked, the
    same markings and categories, and the same JSON wherever a stored body was read."""
    by_id = {p.body["id"]: p for p in fresh}
    if set(by_id) != {s.stix_id for s in stored}:
        return False
    for row in stored:
        item = by_id[row.stix_id]
        same = row.tlp == item.tlp.value and row.category_mask == item.category_mask
        if row.revoked or not same or (row.body is not None and row.body != text(item.body)):
            return False
    return True


def row_of(origin: str, item: Published, version: datetime, now: datetime) -> dict[str, Any]:
    """The row of one object: its version as its JSON says (`modified`, a marking's `created`),
    else (an observable has none) the group's."""
    written = item.body.get("modified") or item.body.get("created")
    modified = stix_time(written) if written else version
    return {
        "stix_id": item.body["id"],
        "type": item.body["type"],
        "origin": origin,
        "tlp": item.tlp.value,
        "kind": item.kind,
        "category_mask": item.category_mask,
        "needs_campaigns": item.needs_campaigns,
        "revoked": False,
        "modified": modified,
        "date_added": now,
        "body": text(item.body),
    }


def later(now: datetime, stored: Iterable[Stored]) -> datetime:
    """`now`, or just after the latest stored version if that is not before it."""
    latest = max((row.modified for row in stored if row.modified), default=None)
    return now if latest is None or latest < now else latest + MILLISECOND


def revoked_row(stix_id: str, stored_body: str, now: datetime) -> dict[str, Any]:
    """The revoked version of a published object: `{"stix_id", "body", "modified",
    "date_added"}`, its `modified` later than the stored one's."""
    body = json.loads(stored_body)
    before = stix_time(body["modified"])
    modified = now if before < now else before + MILLISECOND
    withdrawn = revoked(body, modified)
    return {"stix_id": stix_id, "body": text(withdrawn), "modified": modified, "date_added": now}


def reversioned_row(
    stix_id: str, stored_body: str, modified: datetime, now: datetime
) -> dict[str, Any]:
    """The same object at a new version (`modified`, added `now`), nothing else changed: what
    withdraws it from a recipient whose policy was narrowed (`service.withdraw_narrowed`)."""
    body = json.loads(stored_body)
    if "modified" in body:
        body["modified"] = timestamp(modified)
    return {"stix_id": stix_id, "body": text(body), "modified": modified, "date_added": now}


# What a recipient's own withdrawal drops besides what `stix.revoked` drops: the new version's
# figures, which a recipient its policy no longer admits may not receive.
_NEWER_FIGURES = ("count", "first_seen", "last_seen", "extensions", "description")


def withdrawn_text(stored_body: str, had: Tlp, modified: datetime) -> str:
    """The revoked version of a published object for a recipient that had it marked `had` and
    may not receive it now (its TLP was raised): marked as the recipient had it, and carrying
    nothing of the version it may not receive but the object's id."""
    body = revoked(json.loads(stored_body), modified)
    body = {key: value for key, value in body.items() if key not in _NEWER_FIGURES}
    body["object_marking_refs"] = [had.marking_id]
    return text(body)


def plan_group(
    plan: Plan, origin: str, build: Builder | None, stored: list[Stored], now: datetime
) -> None:
    """Add one group's work to the plan (`build` None: the group is no longer shareable)."""
    version = stored_version(stored)
    fresh: list[Published] = []
    if build is not None and version is not None:
        fresh = build(version)  # built as stored, to compare with what is stored
        if unchanged(fresh, stored):
            plan.unchanged += 1
            return
    if build is not None:
        modified = later(now, stored)
        fresh = build(Version(version.created if version else now, modified))
        plan.rows += [row_of(origin, item, modified, now) for item in fresh]
        plan.written += 1
    kept = {p.body["id"] for p in fresh}
    for row in stored:
        if row.stix_id in kept or row.revoked:
            continue
        type_ = row.stix_id.partition("--")[0]
        (plan.revoke if type_ in VERSIONED else plan.withdraw).append(row.stix_id)


def make_plan(
    groups: Mapping[str, Builder],
    witnesses: Iterable[Stored],
    now: datetime,
    expected: Mapping[str, Expected],
    stored_rows: Callable[[list[str]], list[Stored]],
) -> Plan:
    """The plan for every group shareable now (`groups`) and every group published before.

    A group with an `expected` look is unchanged when its stored witness agrees, told from
    `witnesses` alone; every other group is planned from all its stored rows (`stored_rows`
    of their origins), built and compared."""
    by_origin: dict[str, list[Stored]] = {}
    for row in witnesses:
        by_origin.setdefault(row.origin, []).append(row)
    plan = Plan()
    pending = []
    for origin in sorted(set(groups) | set(by_origin)):
        look = expected.get(origin)
        if origin in groups and look is not None and as_expected(look, by_origin.get(origin, [])):
            plan.unchanged += 1
        else:
            pending.append(origin)
    full: dict[str, list[Stored]] = {}
    # A group published before has its witness (or all its rows) among `witnesses`.
    for row in stored_rows([origin for origin in pending if origin in by_origin]):
        full.setdefault(row.origin, []).append(row)
    for origin in pending:
        plan_group(plan, origin, groups.get(origin), full.get(origin, []), now)
    return plan
