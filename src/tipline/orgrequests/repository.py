"""Every query of requests to organisations. Who may read which request is decided here, in
the statement, from the caller: staff read every request; an organisation's user (role
`platform`, or its token) only the requests sent to its organisation, never a draft; anyone else
nothing.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, false, select, true
from sqlalchemy.orm import Session

from tipline.orgrequests.core import RequestStatus
from tipline.orgrequests.models import OrgRequest
from tipline.principals import Caller, Principal, Role, is_staff


def readable_condition(caller: Caller) -> ColumnElement[bool]:
    """What this caller may read of `org_request`, as a condition of its query."""
    if is_staff(caller):
        return true()
    if isinstance(caller, Principal) and caller.role is Role.PLATFORM and caller.organisation_id:
        return and_(
            OrgRequest.organisation_id == caller.organisation_id,
            OrgRequest.status.not_in([RequestStatus.DRAFT.value, RequestStatus.CANCELLED.value]),
        )
    return false()


def readable_requests(caller: Caller) -> Select[OrgRequest]:
    """The requests this caller may read, newest first; callers add filters and limits."""
    return (
        select(OrgRequest)
        .where(readable_condition(caller))
        .order_by(OrgRequest.created_at.desc(), OrgRequest.id.desc())
    )


def readable_request(session: Session, caller: Caller, reference: str) -> OrgRequest | None:
    """One request by its reference, if this caller may read it (None: absent or not theirs,
    which the caller answers alike, so that a reference's existence does not leak)."""
    statement = select(OrgRequest).where(
        OrgRequest.reference == reference, readable_condition(caller)
    )
    return session.scalars(statement).one_or_none()
