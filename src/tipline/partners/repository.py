"""Every query of partners and organisations."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from tipline.partners.models import Organisation, Partner


def partner_by_name(session: Session, name: str) -> Partner | None:
    return session.scalars(select(Partner).where(Partner.name == name)).one_or_none()


def organisation_by_name(session: Session, name: str) -> Organisation | None:
    statement = select(Organisation).where(Organisation.name == name)
    return session.scalars(statement).one_or_none()


def all_partners(session: Session) -> Sequence[Partner]:
    return session.scalars(select(Partner).order_by(Partner.name)).all()


def all_organisations(session: Session) -> Sequence[Organisation]:
    return session.scalars(select(Organisation).order_by(Organisation.name)).all()


def add(session: Session, record: Partner | Organisation) -> None:
    session.add(record)
    session.flush()
