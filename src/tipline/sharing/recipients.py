"""Who received which published object, and what that lets each recipient receive: every
query of `delivered_object`, and the conditions on `shared_object` built from it.

A recipient receives what its policy admits now, and, of what it received before:
- the revoked version of an object it had (an object's id is a hash of its value, so a revoked
  version sent to a recipient that never had the object would let it try values until one
  gave the id);
- its own withdrawal of an object it had that its policy no longer admits at a newer version
  (an analyst raised the TLP, the categories changed): a revoked version, marked as what it
  had, carrying nothing of the new version (`publishing.withdrawn_text`).
Nothing else: never a revoked object it did not have, never the version it may not receive.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, cast

from sqlalchemy import ColumnElement, Table, and_, case, exists, false, literal, or_, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tipline.sharing.models import DeliveredObject, SharedObject
from tipline.sharing.policy import SharingPolicy
from tipline.sharing.publishing import VERSIONED, withdrawn_text
from tipline.sharing.tlp import parse_tlp

CHUNK = 1000


def partner_recipient(partner_id: int) -> str:
    """A partner agency as a recipient: its TAXII pulls, our pushes, bundles written for it."""
    return f"partner:{partner_id}"


def export_recipient(channel: str, name: str) -> str:
    """An export to no partner record: `stix:clear` (a bundle at a TLP), `misp:clear` (a feed)."""
    return f"{channel}:{name}"[:120]


def admitted_by(policy: SharingPolicy) -> ColumnElement[bool]:
    """The condition on `shared_object` of what a policy admits (`SharingPolicy.admits`)."""
    return and_(
        SharedObject.tlp.in_([tlp.value for tlp in policy.tlps]),
        or_(SharedObject.kind.is_(None), SharedObject.kind.in_(sorted(policy.kinds))),
        SharedObject.category_mask.op("&")(policy.category_mask) != 0,
        true() if policy.campaigns else SharedObject.needs_campaigns.is_(false()),
    )


def _delivered(recipient: str, *conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(
        DeliveredObject.recipient == recipient,
        DeliveredObject.stix_id == SharedObject.stix_id,
        *conditions,
    )


def received_condition(policy: SharingPolicy, recipient: str) -> ColumnElement[bool]:
    """What a recipient may receive of `shared_object` (the module's rule)."""
    admitted = admitted_by(policy)
    newer = or_(DeliveredObject.modified < SharedObject.modified, DeliveredObject.withdrawn)
    return or_(
        and_(admitted, or_(SharedObject.revoked.is_(false()), _delivered(recipient))),
        and_(~admitted, SharedObject.type.in_(sorted(VERSIONED)), _delivered(recipient, newer)),
    )


def _had_tlp(recipient: str) -> ColumnElement[str | None]:
    had = select(DeliveredObject.tlp).where(
        DeliveredObject.recipient == recipient, DeliveredObject.stix_id == SharedObject.stix_id
    )
    return had.scalar_subquery()


def withdrawn_tlp(policy: SharingPolicy, recipient: str) -> ColumnElement[str | None]:
    """A column: the marking the recipient had of an object it now receives as its own
    withdrawal (one its policy no longer admits), else NULL."""
    return case((~admitted_by(policy), _had_tlp(recipient)), else_=None)


def within_condition(
    policy: SharingPolicy, recipient: str, within: SharingPolicy
) -> ColumnElement[bool]:
    """Of what a recipient receives under its own `policy`, what a narrower export carries (a
    bundle for a partner at a TLP: `within`): an object as stored that both admit, or the
    recipient's own withdrawal marked as it had it at a TLP `within` admits. Never what its
    policy admits but `within` does not, as a withdrawal or otherwise."""
    own = admitted_by(policy)
    tlps = [tlp.value for tlp in within.tlps]
    return or_(and_(own, admitted_by(within)), and_(~own, _had_tlp(recipient).in_(tlps)))


@dataclass(frozen=True, slots=True)
class Delivery:
    """One object as a recipient received it: its version, its marking, withdrawn or not."""

    stix_id: str
    tlp: str
    modified: datetime
    withdrawn: bool = False


class Served(Protocol):
    """A row served to a recipient (`repository.readable_rows`, `sync.repository.unpushed`)."""

    @property
    def stix_id(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def modified(self) -> datetime: ...
    @property
    def tlp(self) -> str: ...
    @property
    def withdrawn_tlp(self) -> str | None: ...


def served_body(row: Served) -> str:
    """An object's JSON as the recipient receives it: as stored, or as its own withdrawal."""
    if row.withdrawn_tlp is None:
        return row.body
    return withdrawn_text(row.body, parse_tlp(row.withdrawn_tlp), row.modified)


def served_as(row: Served) -> Delivery:
    """What receiving this row leaves the recipient with."""
    withdrawn = row.withdrawn_tlp is not None
    return Delivery(row.stix_id, row.withdrawn_tlp or row.tlp, row.modified, withdrawn)


def record_deliveries(
    session: Session, recipient: str, deliveries: Iterable[Delivery], now: datetime
) -> None:
    """Remember what the recipient received (the latest version of each object)."""
    rows = [
        {"recipient": recipient, "stix_id": d.stix_id, "tlp": d.tlp, "modified": d.modified,
         "withdrawn": d.withdrawn, "delivered_at": now}
        for d in sorted(deliveries, key=lambda d: d.stix_id)  # row locks in one order
    ]  # fmt: skip
    if not rows:
        return
    table = cast(Table, DeliveredObject.__table__)
    postgres = session.get_bind().dialect.name == "postgresql"
    statement = (postgresql.insert if postgres else sqlite.insert)(table)
    changed = ("tlp", "modified", "withdrawn", "delivered_at")
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.recipient, table.c.stix_id],
        set_={name: statement.excluded[name] for name in changed},
    )
    for start in range(0, len(rows), CHUNK):
        session.execute(statement, rows[start : start + CHUNK])


def record_all(
    session: Session, recipient: str, policy: SharingPolicy, through: datetime, now: datetime,
    within: SharingPolicy | None = None,
) -> None:  # fmt: skip
    """Remember that the recipient received every object it may receive that was added up to
    `through` (an export of them all, in order of addition, whose last object was added then;
    of them, those `within` admits: `within_condition`), in two statements, not one a row.

    Exact: publications commit in the order they date their objects (`lock_publishing`), so
    an object added by then that the export did not see cannot be committed later; an object
    re-published since has a later date and keeps the version recorded before."""
    table = cast(Table, DeliveredObject.__table__)
    carried = true() if within is None else within_condition(policy, recipient, within)
    admitted = and_(admitted_by(policy), SharedObject.date_added <= through, carried)
    chosen = select(
        literal(recipient), SharedObject.stix_id, SharedObject.tlp, SharedObject.modified,
        false(), literal(now, DeliveredObject.delivered_at.type),
    ).where(received_condition(policy, recipient), admitted)  # fmt: skip
    postgres = session.get_bind().dialect.name == "postgresql"
    statement = (postgresql.insert if postgres else sqlite.insert)(table).from_select(
        ["recipient", "stix_id", "tlp", "modified", "withdrawn", "delivered_at"], chosen
    )
    changed = ("tlp", "modified", "withdrawn", "delivered_at")
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.recipient, table.c.stix_id],
        set_={name: statement.excluded[name] for name in changed},
    )
    session.execute(statement)
    withdrawn = select(
        SharedObject.stix_id, SharedObject.modified, withdrawn_tlp(policy, recipient)
    ).where(
        received_condition(policy, recipient), ~admitted_by(policy),
        SharedObject.date_added <= through, carried,
    )  # fmt: skip
    found = [Delivery(row[0], row[2] or "red", row[1], True) for row in session.execute(withdrawn)]
    record_deliveries(session, recipient, found, now)


def unwithdrawable_origins(session: Session, recipient: str, policy: SharingPolicy) -> list[str]:
    """The groups (origins) of objects the recipient holds that its policy no longer admits
    and that have no newer version to withdraw them with: its policy was narrowed since it
    received them (`service.withdraw_narrowed` gives them one)."""
    statement = (
        select(SharedObject.origin)
        .join(DeliveredObject, DeliveredObject.stix_id == SharedObject.stix_id)
        .where(
            DeliveredObject.recipient == recipient,
            DeliveredObject.withdrawn.is_(false()),
            DeliveredObject.modified >= SharedObject.modified,
            SharedObject.revoked.is_(false()),
            SharedObject.type.in_(sorted(VERSIONED)),
            ~admitted_by(policy),
        )
        .distinct()
    )
    return sorted(session.scalars(statement))


def delivered(session: Session, recipient: str, stix_ids: Sequence[str]) -> dict[str, Delivery]:
    """What the recipient last received of these objects."""
    found: dict[str, Delivery] = {}
    for start in range(0, len(stix_ids), CHUNK):
        statement = select(DeliveredObject).where(
            DeliveredObject.recipient == recipient,
            DeliveredObject.stix_id.in_(stix_ids[start : start + CHUNK]),
        )
        for row in session.scalars(statement):
            found[row.stix_id] = Delivery(row.stix_id, row.tlp, row.modified, row.withdrawn)
    return found
