"""Webhooks to organisations, delivered from an outbox.

`enqueue` writes a `WebhookDelivery` row in the caller's transaction, so a request is sent (or
reminded, or cancelled) and its webhook queued together or not at all. `deliver_due` claims the
rows whose time has come, posts each, signed, and records the attempt: delivered, tried again
later with backoff, or given up (tipline.orgrequests.webhooks has the rules).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from tipline.db_types import utc_now
from tipline.orgrequests import webhooks
from tipline.orgrequests.models import WebhookDelivery
from tipline.partners.models import Organisation


def enqueue(
    session: Session,
    organisation: Organisation,
    event: str,
    payload: Mapping[str, Any],
    request_id: int | None = None,
    now: datetime | None = None,
) -> WebhookDelivery | None:
    """Queue a webhook to `organisation` in the caller's transaction (flushed, not committed);
    None when the organisation takes no webhooks. `payload` is the JSON's `data`: a request's
    reference, type, status, due time, lines; never a victim's name or contact."""
    if event not in webhooks.EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    if not organisation.webhook_url:
        return None
    at = now or utc_now()
    delivery = WebhookDelivery(
        organisation_id=organisation.id,
        request_id=request_id,
        event=event,
        body=webhooks.body_of(event, at, payload),
        created_at=at,
        attempts=0,
        next_attempt_at=at,
        gave_up=False,
        last_error="",
    )
    session.add(delivery)
    session.flush()
    return delivery
