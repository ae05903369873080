"""The TAXII server's queries: pages of the objects a caller may receive (through
`tipline.sharing.repository.readable_objects`, so access is decided in the statement), and the
statuses of POSTed envelopes, each readable by whoever posted it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TypeVarTuple

from sqlalchemy import ColumnElement, Row, Select, and_, false, or_, select, true, tuple_
from sqlalchemy.orm import Session

from tipline.principals import Caller, Principal, is_staff
from tipline.sharing.models import SharedObject
from tipline.sharing.repository import readable_objects, readable_rows
from tipline.sharing.taxii.core import ObjectQuery
from tipline.sharing.taxii.models import TaxiiStatus

# stix_id, date_added, body, modified, tlp, withdrawn_tlp (`sharing.repository.readable_rows`)
ObjectRow = Row[str, datetime, str, datetime, str, str | None]
ManifestRow = Row[str, datetime, datetime]
Columns = TypeVarTuple("Columns")  # stix_id, date_added, modified


def _filters(query: ObjectQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if query.matches_nothing:
        conditions.append(false())
    if query.added_after is not None:
        conditions.append(SharedObject.date_added > query.added_after)
    if query.after is not None:
        # Keyset: after the last (date added, id) of the previous page, the pages' order.
        conditions.append(tuple_(SharedObject.date_added, SharedObject.stix_id) > query.after)
    if query.types:
        conditions.append(SharedObject.type.in_(query.types))
    if query.ids:
        conditions.append(SharedObject.stix_id.in_(query.ids))
    if query.versions:
        conditions.append(SharedObject.modified.in_(query.versions))
    return conditions


def _page(statement: Select[*Columns], query: ObjectQuery) -> Select[*Columns]:
    # One more than the page, to know whether there is more.
    return statement.where(and_(true(), *_filters(query))).limit(query.limit + 1)


def object_page(session: Session, caller: Caller, query: ObjectQuery) -> Sequence[ObjectRow]:
    """Up to `query.limit + 1` readable objects matching the query, in the pages' order, as
    `ObjectRow`s."""
    return session.execute(_page(readable_rows(session, caller), query)).all()


def manifest_page(session: Session, caller: Caller, query: ObjectQuery) -> Sequence[ManifestRow]:
    """As `object_page`, without the objects' JSON."""
    statement = readable_objects(session, caller).with_only_columns(
        SharedObject.stix_id, SharedObject.date_added, SharedObject.modified
    )
    return session.execute(_page(statement, query)).all()


def _status_readable(caller: Caller) -> ColumnElement[bool]:
    if is_staff(caller):
        return true()
    if not isinstance(caller, Principal):
        return false()
    mine = TaxiiStatus.user_id == caller.user_id
    if caller.partner_id is None:
        return mine
    return or_(mine, TaxiiStatus.partner_id == caller.partner_id)


def status_for(session: Session, caller: Caller, status_id: str) -> TaxiiStatus | None:
    """A POSTed envelope's status, when the caller may read it (it, its agency, staff)."""
    statement = select(TaxiiStatus).where(TaxiiStatus.id == status_id, _status_readable(caller))
    return session.scalars(statement).first()


def add_status(session: Session, status: TaxiiStatus) -> None:
    session.add(status)
    session.flush()
