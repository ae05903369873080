"""Every query of the webhooks' outbox (`webhook_delivery`, `webhook_attempt`).

Claiming is one statement: the due rows are taken by moving their next attempt a lease into the
future, so no other deliverer sees them due until the lease ends. On PostgreSQL the rows are
chosen `FOR UPDATE SKIP LOCKED`: a deliverer on another server skips the rows this one is
claiming instead of waiting for them and claiming them again; on SQLite the UPDATE takes the
database's single write lock (SQLAlchemy leaves FOR UPDATE out there).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from tipline.orgrequests.models import WebhookAttempt, WebhookDelivery
from tipline.partners.models import Organisation

# Longer than a round of claimed deliveries can take (each a few seconds at most, by the
# client's timeouts): a deliverer that dies mid-round leaves its rows to another after this.
LEASE = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class Claimed:
    """A delivery claimed for one attempt, with where it goes and the sealed secret."""

    id: int
    organisation_id: int
    event: str
    body: str
    attempts: int
    url: str | None
    sealed_secret: str | None


def _due(now: datetime, limit: int) -> Select[int]:
    return (
        select(WebhookDelivery.id)
        .where(
            WebhookDelivery.delivered_at.is_(None),
            WebhookDelivery.gave_up.is_(False),
            WebhookDelivery.next_attempt_at <= now,
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )


def claim_due(session: Session, now: datetime, limit: int) -> list[Claimed]:
    """Claim up to `limit` due deliveries, oldest due first (the caller commits the claim)."""
    claim = (
        update(WebhookDelivery)
        .where(WebhookDelivery.id.in_(_due(now, limit).scalar_subquery()))
        .values(next_attempt_at=now + LEASE)
        .returning(WebhookDelivery.id)
        .execution_options(synchronize_session=False)
    )
    ids = list(session.scalars(claim))
    if not ids:
        return []
    rows = session.execute(
        select(WebhookDelivery, Organisation.webhook_url, Organisation.webhook_secret)
        .join(Organisation, Organisation.id == WebhookDelivery.organisation_id)
        .where(WebhookDelivery.id.in_(ids))
        .order_by(WebhookDelivery.id)
    )
    return [
        Claimed(d.id, d.organisation_id, d.event, d.body, d.attempts, url, secret)
        for d, url, secret in rows
    ]


def delivery(session: Session, delivery_id: int) -> WebhookDelivery:
    return session.get_one(WebhookDelivery, delivery_id)


def add_attempt(session: Session, attempt: WebhookAttempt) -> None:
    session.add(attempt)
    session.flush()


def attempts_of(session: Session, delivery_id: int) -> Sequence[WebhookAttempt]:
    """A delivery's attempts, first first."""
    statement = (
        select(WebhookAttempt)
        .where(WebhookAttempt.delivery_id == delivery_id)
        .order_by(WebhookAttempt.number)
    )
    return session.scalars(statement).all()


def waiting_count(session: Session) -> int:
    """Deliveries neither delivered nor given up."""
    statement = select(func.count()).where(
        WebhookDelivery.delivered_at.is_(None), WebhookDelivery.gave_up.is_(False)
    )
    return session.scalar(statement) or 0
