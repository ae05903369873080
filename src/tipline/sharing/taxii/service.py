"""The TAXII server's use cases: the collections a caller sees, pages of objects and manifests,
one object and its versions, envelopes POSTed into the inbox and their statuses.

Each takes a session and the caller; errors are TaxiiErrors, answered as TAXII error objects.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from tipline.db_types import utc_now
from tipline.partners.models import Partner
from tipline.principals import Caller, Principal, Role, is_staff
from tipline.sharing.audit import record_share
from tipline.sharing.recipients import (
    partner_recipient,
    record_deliveries,
    served_as,
    served_body,
)
from tipline.sharing.repository import partner_policy, policy_of
from tipline.sharing.taxii import repository
from tipline.sharing.taxii.collections import Collection, visible_collections
from tipline.sharing.taxii.core import (
    ObjectQuery,
    TaxiiError,
    encode_cursor,
    manifest_record,
    timestamp,
)
from tipline.sharing.taxii.models import TaxiiStatus


@dataclass(frozen=True, slots=True)
class Page:
    """One page: the objects' stored JSON (or manifest records), whether more follow and the
    `next` cursor that reads them, and the first and last dates added in the page."""

    items: list[Any]
    ids: list[str]
    more: bool
    next: str | None
    first: datetime | None
    last: datetime | None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one POSTed object: added (`ok`) or not, and why."""

    stix_id: str
    version: str | None
    ok: bool
    message: str = ""


Importer = Callable[[Session, Principal, Sequence[dict[str, Any]]], list[Outcome]]
"""Imports a partner's POSTed objects as that partner's; the outcome of each, in order."""


def is_partner(session: Session, caller: Caller) -> bool:
    """Whether the caller acts for a partner agency on record."""
    return (
        isinstance(caller, Principal)
        and caller.role is Role.PARTNER
        and caller.partner_id is not None
        and partner_policy(session, caller.partner_id) is not None
    )


def collections_of(session: Session, caller: Caller) -> tuple[Collection, ...]:
    """The collections this caller sees."""
    return visible_collections(is_staff(caller), is_partner(session, caller))


def collection_for(session: Session, caller: Caller, collection_id: str) -> Collection:
    """A collection the caller sees, by id or alias; 404 for one it does not (nor can tell
    from one that does not exist)."""
    for collection in collections_of(session, caller):
        if collection_id in (collection.id, collection.alias):
            return collection
    raise TaxiiError(404, "no such collection", f"no collection {collection_id[:80]!r} here",
                     code="collection_not_found")  # fmt: skip


def _readable(session: Session, caller: Caller, collection_id: str) -> Collection:
    collection = collection_for(session, caller, collection_id)
    if not collection.can_read:
        raise TaxiiError(403, "this collection cannot be read", "it accepts objects only",
                         code="not_readable")  # fmt: skip
    return collection


def _paged(rows: Sequence[Any], query: ObjectQuery, item: Callable[[Any], Any]) -> Page:
    more = len(rows) > query.limit
    shown = rows[: query.limit]
    if not shown:
        return Page([], [], False, None, None, None)
    last = shown[-1]
    cursor = encode_cursor(last.date_added, last.stix_id) if more else None
    items, ids = [item(row) for row in shown], [row.stix_id for row in shown]
    return Page(items, ids, more, cursor, shown[0].date_added, last.date_added)


def objects_page(session: Session, caller: Caller, collection_id: str, query: ObjectQuery) -> Page:
    """A page of the objects the caller may receive from a read collection (their JSON)."""
    _readable(session, caller, collection_id)
    rows = repository.object_page(session, caller, query)
    page = _paged(rows, query, served_body)
    if isinstance(caller, Principal) and caller.partner_id is not None:
        served = [served_as(row) for row in rows[: query.limit]]
        record_deliveries(session, partner_recipient(caller.partner_id), served, utc_now())
    _record_share(session, caller, page)
    return page


def _record_share(session: Session, caller: Caller, page: Page) -> None:
    """A page served to a partner agency's user goes into the audit log (ids, its policy)."""
    if not page.ids or not isinstance(caller, Principal) or caller.partner_id is None:
        return
    partner = session.get(Partner, caller.partner_id)
    if partner is not None:
        policy = policy_of(partner)
        record_share(session, caller.actor, partner, policy, "taxii.objects", len(page.ids),
                     ids=page.ids)  # fmt: skip
        session.commit()


def manifest_page(session: Session, caller: Caller, collection_id: str, query: ObjectQuery) -> Page:
    """A page of the manifest: each object's id, date added, version and media type."""
    _readable(session, caller, collection_id)
    rows = repository.manifest_page(session, caller, query)
    return _paged(rows, query, lambda row: manifest_record(*row))


def one_object(
    session: Session, caller: Caller, collection_id: str, object_id: str, query: ObjectQuery
) -> Page:
    """An object by id (its versions that match the query: the latest, the one tipline keeps)."""
    return _found(objects_page(session, caller, collection_id, _by_id(query, object_id)))


def versions_of(
    session: Session, caller: Caller, collection_id: str, object_id: str, query: ObjectQuery
) -> Page:
    """The versions of an object the caller may receive (tipline keeps the latest only)."""
    return _found(manifest_page(session, caller, collection_id, _by_id(query, object_id)))


def _found(page: Page) -> Page:
    if not page.items:
        raise TaxiiError(404, "no such object", code="object_not_found")
    return page


def _by_id(query: ObjectQuery, object_id: str) -> ObjectQuery:
    return ObjectQuery(
        added_after=query.added_after,
        after=query.after,
        limit=query.limit,
        ids=(object_id,),
        versions=query.versions,
        spec_versions=query.spec_versions,
    )


# --- POSTed envelopes ------------------------------------------------------------------------


def envelope_objects(envelope: object) -> list[dict[str, Any]]:
    """The objects of a POSTed envelope; a 422 for a body that is no envelope of objects."""
    objects = envelope.get("objects") if isinstance(envelope, dict) else None
    if not isinstance(objects, list) or not all(isinstance(o, dict) for o in objects):
        raise TaxiiError(422, "not an envelope of objects",
                         'the body is a TAXII envelope: {"objects": [STIX objects]}',
                         code="not_an_envelope")  # fmt: skip
    return objects


def add_objects(
    session: Session,
    caller: Principal,
    collection_id: str,
    envelope: object,
    importer: Importer,
) -> dict[str, Any]:
    """Import a partner's POSTed envelope into tipline as its own objects; the status resource,
    stored so that the partner can read it again."""
    collection = collection_for(session, caller, collection_id)
    if not collection.can_write:
        raise TaxiiError(403, "this collection does not accept objects",
                         "it can be read only", code="not_writable")  # fmt: skip
    outcomes = importer(session, caller, envelope_objects(envelope))
    status = _status_row(caller, collection, outcomes)
    repository.add_status(session, status)
    session.commit()
    return status_resource(status)


def _status_row(caller: Principal, collection: Collection, outcomes: list[Outcome]) -> TaxiiStatus:
    def entry(outcome: Outcome) -> dict[str, str]:
        record = {"id": outcome.stix_id}
        record |= {"version": outcome.version} if outcome.version else {}
        return record | ({"message": outcome.message} if outcome.message else {})

    successes = [entry(o) for o in outcomes if o.ok]
    failures = [entry(o) for o in outcomes if not o.ok]
    return TaxiiStatus(
        id=str(uuid.uuid4()),
        user_id=caller.user_id,
        partner_id=caller.partner_id,
        collection_id=collection.id,
        status="complete",
        request_timestamp=utc_now(),
        total_count=len(outcomes),
        success_count=len(successes),
        failure_count=len(failures),
        pending_count=0,
        outcomes=json.dumps({"successes": successes, "failures": failures}),
    )


def status_resource(status: TaxiiStatus) -> dict[str, Any]:
    """The status resource of a POSTed envelope (section 4.3.1)."""
    outcomes = json.loads(status.outcomes)
    return {
        "id": status.id,
        "status": status.status,
        "request_timestamp": timestamp(status.request_timestamp),
        "total_count": status.total_count,
        "success_count": status.success_count,
        "successes": outcomes["successes"],
        "failure_count": status.failure_count,
        "failures": outcomes["failures"],
        "pending_count": status.pending_count,
        "pendings": [],
    }


def status_of(session: Session, caller: Caller, status_id: str) -> dict[str, Any]:
    """A POSTed envelope's status, for its sender (and its agency, and staff); 404 otherwise."""
    status = repository.status_for(session, caller, status_id[:64])
    if status is None:
        raise TaxiiError(404, "no such status", code="status_not_found")
    return status_resource(status)
