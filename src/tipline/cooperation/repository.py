"""Every query of cooperation requests. Staff read them all; nobody else reads any (a partner
abroad receives a request as a document through its own channels, not from tipline's pages).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, select, true
from sqlalchemy.orm import Session

from tipline.cooperation.models import CooperationRequest
from tipline.principals import Caller, is_staff


def readable_condition(caller: Caller) -> ColumnElement[bool]:
    return true() if is_staff(caller) else false()


def readable_requests(caller: Caller) -> Select[CooperationRequest]:
    """The cooperation requests this caller may read, newest first."""
    return (
        select(CooperationRequest)
        .where(readable_condition(caller))
        .order_by(CooperationRequest.created_at.desc(), CooperationRequest.id.desc())
    )


def readable_request(session: Session, caller: Caller, reference: str) -> CooperationRequest | None:
    statement = select(CooperationRequest).where(
        CooperationRequest.reference == reference, readable_condition(caller)
    )
    return session.scalars(statement).one_or_none()
