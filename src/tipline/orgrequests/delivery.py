"""Webhooks to organisations, delivered from an outbox.

`enqueue` writes a `WebhookDelivery` row in the caller's transaction, so a request is sent (or
reminded, or cancelled) and its webhook queued together or not at all. `deliver_due` claims the
rows whose time has come, posts each, signed, and records the attempt: delivered, tried again
later with backoff, or given up (tipline.orgrequests.webhooks has the rules).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy.orm import Session, sessionmaker

from tipline.db_types import utc_now
from tipline.orgrequests import webhook_repository as repository
from tipline.orgrequests import webhooks
from tipline.orgrequests.models import WebhookAttempt, WebhookDelivery
from tipline.partners.models import Organisation
from tipline.sealing import UnreadableSecret, unseal
from tipline.settings import Settings

# Deliveries claimed at once: a round posts them one after another, each within the timeouts.
CLAIM_LIMIT = 20
log = logging.getLogger("tipline.webhooks")


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


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one attempt came to: the receiver's status (None: no answer) and the error;
    `final`: no retry could do better (the organisation takes no webhooks any more)."""

    status: int | None
    error: str
    milliseconds: int = 0
    final: bool = False

    @property
    def delivered(self) -> bool:
        return self.status is not None and webhooks.succeeded(self.status)


@dataclass(slots=True)
class Round:
    """How many deliveries a round delivered, put off for a retry, and gave up."""

    delivered: int = 0
    retried: int = 0
    gave_up: int = 0

    def count(self, fate: str) -> None:
        setattr(self, fate, getattr(self, fate) + 1)


def webhook_client(settings: Settings) -> httpx.Client:
    """The HTTP client deliveries are posted with: timeouts, no redirects followed, no proxy
    from the environment (a receiver is reached directly or not at all)."""
    seconds = settings.webhook_timeout_seconds
    timeout = httpx.Timeout(seconds, connect=min(seconds, 5.0))
    return httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False)


def post(client: httpx.Client, claimed: repository.Claimed, key: bytes, now: datetime) -> Outcome:
    """One attempt: the body, signed at `now`, posted to the organisation's URL."""
    if not claimed.url or not claimed.sealed_secret:
        return Outcome(None, "the organisation takes no webhooks now", final=True)
    try:
        secret = unseal(key, claimed.sealed_secret)
    except UnreadableSecret:
        return Outcome(None, "the webhook secret does not open with this instance's key")
    headers = webhooks.signed_headers(
        secret, claimed.id, claimed.event, claimed.body, int(now.timestamp())
    )
    started = time.monotonic()
    try:
        response = client.post(claimed.url, content=claimed.body.encode(), headers=headers)
    except httpx.TimeoutException:
        return Outcome(None, "timeout", _since(started))
    except (httpx.HTTPError, httpx.InvalidURL) as exc:  # refused, reset, no such host, bad URL
        return Outcome(None, type(exc).__name__, _since(started))
    error = "" if webhooks.succeeded(response.status_code) else f"HTTP {response.status_code}"
    return Outcome(response.status_code, error, _since(started))


def _since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def record(
    session: Session, delivery_id: int, outcome: Outcome, now: datetime, jitter: float
) -> str:
    """Keep an attempt and what follows from it: `delivered`, `retried` (the next attempt
    after a growing delay) or `gave_up` (after webhooks.MAX_ATTEMPTS)."""
    delivery = repository.delivery(session, delivery_id)
    delivery.attempts += 1
    delivery.last_status = outcome.status
    delivery.last_error = outcome.error[:500]
    repository.add_attempt(session, WebhookAttempt(
        delivery_id=delivery.id, number=delivery.attempts, at=now, status=outcome.status,
        error=outcome.error[:500], milliseconds=outcome.milliseconds,
    ))  # fmt: skip
    if outcome.delivered:
        delivery.delivered_at, delivery.next_attempt_at, fate = now, None, "delivered"
    elif (
        not outcome.final
        and (later := webhooks.next_attempt_at(delivery.attempts, now, jitter)) is not None
    ):
        delivery.next_attempt_at, fate = later, "retried"
    else:
        delivery.next_attempt_at, delivery.gave_up, fate = None, True, "gave_up"
    log.info(
        "webhook %d to organisation %d (%s): attempt %d %s%s",
        delivery.id, delivery.organisation_id, delivery.event, delivery.attempts, fate,
        f" ({outcome.error})" if outcome.error else "",
    )  # fmt: skip
    return fate


def deliver_due(
    session_factory: sessionmaker[Session],
    now: datetime,
    client: httpx.Client,
    key: bytes,
    limit: int = CLAIM_LIMIT,
    jitter: Callable[[], float] = random.random,
) -> Round:
    """Deliver every webhook due at `now`: claim a batch (committed, so that other deliverers
    skip it), post each, record each attempt in its own transaction; until none is due."""
    done = Round()
    while True:
        with session_factory() as session:
            claimed = repository.claim_due(session, now, limit)
            session.commit()
        for one in claimed:
            outcome = post(client, one, key, now)
            with session_factory() as session:
                done.count(record(session, one.id, outcome, now, jitter()))
                session.commit()
        if len(claimed) < limit:
            return done
