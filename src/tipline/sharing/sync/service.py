"""Syncing with partners' TAXII servers: set where a partner's server is and how we sign in,
then pull its readable collections from where the last sync stopped and push what its policy
admits of ours to its writable ones.

Each page pulled is imported (`tipline.sharing.service.import_bundle`, as the partner's) and
committed with the collection's new position, and each envelope pushed is committed with the
record of what it delivered: an interrupted sync loses nothing and the next one resumes there.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session
from taxii2client.v21 import Collection

from tipline.audit.service import record
from tipline.db_types import utc_now
from tipline.errors import InvalidInput, NotFound
from tipline.partners.models import Partner
from tipline.partners.service import find_partner, list_partners
from tipline.sealing import UnreadableSecret, seal, unseal
from tipline.sharing.audit import record_share
from tipline.sharing.recipients import (
    partner_recipient,
    record_deliveries,
    served_as,
    served_body,
)
from tipline.sharing.repository import policy_of
from tipline.sharing.service import import_bundle
from tipline.sharing.sync import core, repository
from tipline.sharing.sync.client import PartnerServer, PartnerServerError
from tipline.sharing.sync.models import PartnerEndpoint

Importer = Callable[[Session, str, str, dict[str, Any]], object]
Connect = Callable[[str, core.Credentials], PartnerServer]


class Progress(Protocol):
    """Told of each collection as its work starts and of each page or envelope done."""

    def collection(self, partner: str, title: str, direction: str) -> None: ...

    def advance(self, count: int) -> None: ...


class _Silent:
    def collection(self, partner: str, title: str, direction: str) -> None:
        return None

    def advance(self, count: int) -> None:
        return None


@dataclass(frozen=True, slots=True)
class SyncResult:
    """What one partner's sync did: objects imported, objects pushed (accepted), collections
    visited, objects its server rejected."""

    partner: str
    pulled: int
    pushed: int
    collections: int
    rejected: int = 0


def set_endpoint(
    session: Session, actor: str, partner_name: str, url: str, credentials: core.Credentials,
    key: bytes,
) -> PartnerEndpoint:  # fmt: skip
    """Set (or replace) a partner's TAXII server and our credentials there, the secret sealed."""
    partner = find_partner(session, partner_name)
    clean = core.normal_url(url)
    for problem, field in ((core.url_problem(clean), "url"),
                           (core.credentials_problem(credentials), "credentials")):  # fmt: skip
        if problem is not None:
            raise InvalidInput(problem, field=field)
    endpoint = PartnerEndpoint(
        partner_id=partner.id,
        url=clean,
        auth=credentials.auth,
        username=credentials.username,
        sealed_secret=seal(key, credentials.secret),
        updated_at=utc_now(),
    )
    repository.save_endpoint(session, endpoint)
    details = {"url": clean, "auth": credentials.auth}  # never the secret
    record(session, actor, "partner.endpoint", "partner", partner.id, details)
    session.commit()
    return endpoint


def synced_partners(session: Session, name: str | None) -> list[Partner]:
    """The partner named, or every partner whose server is set."""
    if name is not None:
        return [find_partner(session, name)]
    return [p for p in list_partners(session) if repository.endpoint_of(session, p.id)]


def _credentials(endpoint: PartnerEndpoint, key: bytes) -> core.Credentials:
    try:
        secret = unseal(key, endpoint.sealed_secret)
    except UnreadableSecret:
        message = "this instance's key cannot read the partner's stored secret: set it again"
        raise InvalidInput(message + " with `tipline partners endpoint`", field="secret") from None
    return core.Credentials(endpoint.auth, endpoint.username, secret)


def sync_partner(
    session: Session, actor: str, partner: Partner, key: bytes,
    progress: Progress | None = None, limit: int = core.PAGE_LIMIT,
    importer: Importer = import_bundle, connect: Connect = PartnerServer,
) -> SyncResult:  # fmt: skip
    """Pull every readable collection of the partner's server, then push to its writable ones."""
    endpoint = repository.endpoint_of(session, partner.id)
    if endpoint is None:
        message = f"no TAXII server set for {partner.name!r}: `tipline partners endpoint`"
        raise NotFound(message, field="partner")
    seen = progress or _Silent()
    with connect(endpoint.url, _credentials(endpoint, key)) as server:
        collections = server.collections()
        pulled = sum(
            _pull(session, actor, partner, server, c, limit, importer, seen)
            for c in collections
            if c.can_read
        )
        pushes = [_push(session, actor, partner, server, c, seen)
                  for c in collections if c.can_write]  # fmt: skip
    pushed, rejected = sum(p[0] for p in pushes), sum(p[1] for p in pushes)
    return SyncResult(partner.name, pulled, pushed, len(collections), rejected)


def _pull(
    session: Session, actor: str, partner: Partner, server: PartnerServer, collection: Collection,
    limit: int, importer: Importer, progress: Progress,
) -> int:  # fmt: skip
    """Import the collection's new objects a page at a time, each committed with the cursor:
    within a run, the next page's token; at its end, the date the last object was added."""
    progress.collection(partner.name, collection.title, "pull")
    cursor = repository.cursor_of(session, partner.id, collection.id)
    start = cursor.added_last if cursor else None
    latest, taken = start, 0
    for page in server.pages(collection, start, limit, cursor.next_page if cursor else None):
        if page.objects:
            bundle = {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": page.objects}
            importer(session, actor, partner.name, bundle)
        latest = page.date_added_last or latest
        after = start if page.next else latest
        repository.move_cursor(session, partner.id, collection.id, after, page.next,
                               len(page.objects), utc_now())  # fmt: skip
        session.commit()
        taken += len(page.objects)
        progress.advance(len(page.objects))
    return taken


def _push(
    session: Session, actor: str, partner: Partner, server: PartnerServer, collection: Collection,
    progress: Progress,
) -> tuple[int, int]:  # fmt: skip
    """Post what the partner's policy admits and the collection lacks, an envelope at a time;
    (objects accepted, objects rejected). A rejected one is not sent again unchanged."""
    progress.collection(partner.name, collection.title, "push")
    policy = policy_of(partner)
    after: tuple[datetime, str] | None = None
    delivered = rejected = 0
    while rows := repository.unpushed(
        session, partner.id, collection.id, policy, after, core.PUSH_OBJECTS
    ):
        after = (rows[-1].date_added, rows[-1].stix_id)
        accepted: set[str] = set()
        reasons: dict[str, str] = {}
        for envelope in core.envelopes((r.stix_id, served_body(r)) for r in rows):
            pushed = server.push(collection, envelope)
            accepted |= pushed.accepted
            reasons |= pushed.rejected
        versions = {r.stix_id: r.modified for r in rows if r.stix_id in accepted}
        refused = {
            r.stix_id: (r.modified, reasons[r.stix_id]) for r in rows if r.stix_id in reasons
        }
        repository.remember_pushed(session, partner.id, collection.id, versions, utc_now(),
                                   refused)  # fmt: skip
        rejected += len(refused)
        served = [served_as(r) for r in rows if r.stix_id in accepted]
        record_deliveries(session, partner_recipient(partner.id), served, utc_now())
        if versions:
            record_share(session, actor, partner, policy, "taxii.push", len(versions),
                         ids=sorted(versions))  # fmt: skip
        session.commit()
        delivered += len(versions)
        progress.advance(len(rows))
    return delivered, rejected


def rejections(
    session: Session, partner_ids: list[int], limit: int = 20
) -> dict[int, tuple[int, list[repository.Rejection]]]:
    """Per partner: how many of our objects its server rejected, and the latest of them."""
    return repository.rejections(session, partner_ids, limit)


__all__ = [
    "PartnerServerError", "SyncResult", "rejections", "set_endpoint", "sync_partner",
    "synced_partners",
]  # fmt: skip
