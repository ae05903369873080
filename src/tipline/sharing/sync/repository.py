"""Every query of partners' endpoints, sync cursors and pushed objects."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, func, or_, select, true
from sqlalchemy.orm import Session

from tipline.sharing.models import SharedObject
from tipline.sharing.policy import SharingPolicy
from tipline.sharing.recipients import partner_recipient, received_condition, withdrawn_tlp
from tipline.sharing.sync.models import REASON_LENGTH, PartnerEndpoint, PushedObject, SyncCursor


class Unpushed(NamedTuple):
    stix_id: str
    body: str
    modified: datetime
    date_added: datetime
    tlp: str
    withdrawn_tlp: str | None  # the marking it had of an object it now gets withdrawn


def endpoint_of(session: Session, partner_id: int) -> PartnerEndpoint | None:
    return session.get(PartnerEndpoint, partner_id)


def save_endpoint(session: Session, endpoint: PartnerEndpoint) -> None:
    session.merge(endpoint)
    session.flush()


def cursor_of(session: Session, partner_id: int, collection_id: str) -> SyncCursor | None:
    return session.get(SyncCursor, (partner_id, collection_id))


def move_cursor(
    session: Session, partner_id: int, collection_id: str, added_after: str | None,
    next_page: str | None, taken: int, now: datetime,
) -> None:  # fmt: skip
    cursor = cursor_of(session, partner_id, collection_id)
    if cursor is None:
        cursor = SyncCursor(partner_id=partner_id, collection_id=collection_id, pulled=0)
        session.add(cursor)
    cursor.added_last, cursor.next_page = added_after, next_page
    cursor.pulled = (cursor.pulled or 0) + taken
    cursor.synced_at = now
    session.flush()


def unpushed(
    session: Session, partner_id: int, collection_id: str, policy: SharingPolicy,
    after: tuple[datetime, str] | None, limit: int,
) -> list[Unpushed]:  # fmt: skip
    """Up to `limit` of the objects the partner receives under its policy (what it admits, and
    revocations and withdrawals of what the partner received: `tipline.sharing.recipients`)
    that this collection has not received at their current version, in order of addition,
    after the (date added, stix id) `after`: a page at a time, so that each can be committed."""
    recipient = partner_recipient(partner_id)
    pushed = and_(
        PushedObject.partner_id == partner_id,
        PushedObject.collection_id == collection_id,
        PushedObject.stix_id == SharedObject.stix_id,
    )
    statement = (
        select(
            SharedObject.stix_id,
            SharedObject.body,
            SharedObject.modified,
            SharedObject.date_added,
            SharedObject.tlp,
            withdrawn_tlp(policy, recipient),
        )  # fmt: skip
        .outerjoin(PushedObject, pushed)
        .where(received_condition(policy, recipient))
        .where(or_(PushedObject.stix_id.is_(None), PushedObject.modified < SharedObject.modified))
        .order_by(SharedObject.date_added, SharedObject.stix_id)
        .limit(limit)
    )
    if after is not None:
        added, stix_id = after
        statement = statement.where(
            or_(
                SharedObject.date_added > added,
                and_(SharedObject.date_added == added, SharedObject.stix_id > stix_id),
            )
        )
    return [Unpushed(*row) for row in session.execute(statement)]


def remember_pushed(
    session: Session, partner_id: int, collection_id: str, versions: dict[str, datetime],
    now: datetime, rejected: dict[str, tuple[datetime, str]] | None = None,
) -> None:  # fmt: skip
    """Remember the versions the collection accepted, and those it rejected with the reason
    (cut to fit): neither is sent again until a newer version is published."""
    rows: list[tuple[str, datetime, str | None]] = [
        (stix_id, modified, None) for stix_id, modified in versions.items()
    ]
    rows += [(stix_id, modified, why) for stix_id, (modified, why) in (rejected or {}).items()]
    for stix_id, modified, reason in rows:
        session.merge(
            PushedObject(
                partner_id=partner_id,
                collection_id=collection_id,
                stix_id=stix_id,
                modified=modified,
                pushed_at=now,
                rejected=reason is not None,
                reason=None if reason is None else reason[:REASON_LENGTH],
            )
        )
    session.flush()


class Rejection(NamedTuple):
    """One of our objects a partner's server rejected, at the version it rejected."""

    partner_id: int
    collection_id: str
    stix_id: str
    modified: datetime
    reason: str | None
    at: datetime


def rejections(
    session: Session, partner_ids: Collection[int], limit: int = 20
) -> dict[int, tuple[int, list[Rejection]]]:
    """Per partner: how many of our objects its server rejects (at their current version or
    an older one not sent again since), and the latest `limit` of them."""
    counted = (
        select(PushedObject.partner_id, func.count())
        .where(PushedObject.rejected.is_(true()), PushedObject.partner_id.in_(sorted(partner_ids)))
        .group_by(PushedObject.partner_id)
    )
    found: dict[int, tuple[int, list[Rejection]]] = {}
    for partner_id, count in session.execute(counted):
        latest = (
            select(
                PushedObject.partner_id,
                PushedObject.collection_id,
                PushedObject.stix_id,
                PushedObject.modified,
                PushedObject.reason,
                PushedObject.pushed_at,
            )  # fmt: skip
            .where(PushedObject.partner_id == partner_id, PushedObject.rejected.is_(true()))
            .order_by(PushedObject.pushed_at.desc(), PushedObject.stix_id)
            .limit(limit)
        )
        found[partner_id] = (count, [Rejection(*row) for row in session.execute(latest)])
    return found
