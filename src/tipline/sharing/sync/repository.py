"""Every query of partners' endpoints, sync cursors and pushed objects."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from tipline.sharing.models import SharedObject
from tipline.sharing.policy import SharingPolicy
from tipline.sharing.recipients import partner_recipient, received_condition, withdrawn_tlp
from tipline.sharing.sync.models import PartnerEndpoint, PushedObject, SyncCursor


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
    now: datetime,
) -> None:  # fmt: skip
    for stix_id, modified in versions.items():
        session.merge(
            PushedObject(
                partner_id=partner_id,
                collection_id=collection_id,
                stix_id=stix_id,
                modified=modified,
                pushed_at=now,
            )
        )
    session.flush()
