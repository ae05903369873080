"""Every query of published objects. Who may receive which object is decided here, in the
statement, from the caller: staff read every object; a partner's user (or its token) only those
its agency's policy admits; anyone else nothing.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, false, or_, select, true
from sqlalchemy.orm import Session

from tipline.partners.models import Partner
from tipline.principals import Caller, Principal, Role, is_staff
from tipline.sharing.models import SharedObject
from tipline.sharing.policy import SharingPolicy, split
from tipline.sharing.tlp import parse_tlp


def policy_of(partner: Partner) -> SharingPolicy:
    """A partner's stored policy as plain values."""
    return SharingPolicy(
        max_tlp=parse_tlp(partner.max_tlp),
        categories=split(partner.categories),
        kinds=split(partner.kinds),
        campaigns=partner.campaigns,
    )


def partner_policy(session: Session, partner_id: int) -> SharingPolicy | None:
    partner = session.get(Partner, partner_id)
    return None if partner is None else policy_of(partner)


def admitted_by(policy: SharingPolicy) -> ColumnElement[bool]:
    """The condition on `shared_object` of what a policy admits (`SharingPolicy.admits`)."""
    return and_(
        SharedObject.tlp.in_([tlp.value for tlp in policy.tlps]),
        or_(SharedObject.kind.is_(None), SharedObject.kind.in_(sorted(policy.kinds))),
        SharedObject.category_mask.op("&")(policy.category_mask) != 0,
        true() if policy.campaigns else SharedObject.needs_campaigns.is_(false()),
    )


def readable_condition(session: Session, caller: Caller) -> ColumnElement[bool]:
    """What this caller may read of `shared_object`, as a condition of its query."""
    if is_staff(caller):
        return true()
    if isinstance(caller, Principal) and caller.role is Role.PARTNER and caller.partner_id:
        policy = partner_policy(session, caller.partner_id)
        if policy is not None:
            return admitted_by(policy)
    return false()


def readable_objects(session: Session, caller: Caller) -> Select[SharedObject]:
    """The published objects this caller may receive, oldest addition first (TAXII's order);
    callers add their own filters (`added_after`, `match[type]`…) and limits."""
    return (
        select(SharedObject)
        .where(readable_condition(session, caller))
        .order_by(SharedObject.date_added, SharedObject.stix_id)
    )


def objects_for_policy(policy: SharingPolicy) -> Select[SharedObject]:
    """The published objects a policy admits (an export at a TLP, a partner's feed)."""
    return (
        select(SharedObject)
        .where(admitted_by(policy))
        .order_by(SharedObject.date_added, SharedObject.stix_id)
    )


def objects_of_origin(session: Session, origin: str) -> list[SharedObject]:
    """The objects published from one record (`indicator:42`), to replace them."""
    statement = select(SharedObject).where(SharedObject.origin == origin)
    return list(session.scalars(statement))
