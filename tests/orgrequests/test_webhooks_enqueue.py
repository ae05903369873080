"""Queueing a webhook: an outbox row in the caller's transaction, only for an organisation that
takes webhooks."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tipline.orgrequests.delivery import enqueue
from tipline.orgrequests.models import WebhookDelivery
from tipline.partners import service as partners

AT = datetime(2026, 12, 7, 8, tzinfo=UTC)


def test_a_webhook_is_queued_due_at_once(db_session: Session) -> None:
    bank = partners.add_organisation(db_session, "cli:t", "Vietcombank", "bank")
    bank.webhook_url = "https://bank.example/hooks"
    queued = enqueue(db_session, bank, "request.sent", {"reference": "YC-1"}, now=AT)
    assert queued is not None
    row = db_session.get(WebhookDelivery, queued.id)
    assert row is not None
    assert (row.organisation_id, row.event, row.attempts) == (bank.id, "request.sent", 0)
    assert (row.next_attempt_at, row.delivered_at, row.gave_up) == (AT, None, False)
    assert json.loads(row.body) == {
        "event": "request.sent",
        "created_at": "2026-12-07T08:00:00+00:00",
        "data": {"reference": "YC-1"},
    }


def test_it_goes_with_the_callers_transaction(db_session: Session) -> None:
    bank = partners.add_organisation(db_session, "cli:t", "Vietcombank", "bank")
    bank.webhook_url = "https://bank.example/hooks"
    db_session.commit()
    enqueue(db_session, bank, "request.reminder", {"reference": "YC-1"}, now=AT)
    db_session.rollback()
    assert db_session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0


def test_nothing_is_queued_for_an_organisation_without_a_webhook(db_session: Session) -> None:
    telco = partners.add_organisation(db_session, "cli:t", "Viettel", "telecom")
    assert enqueue(db_session, telco, "request.sent", {"reference": "YC-1"}) is None
    assert db_session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0


def test_an_unknown_event_is_a_mistake(db_session: Session) -> None:
    bank = partners.add_organisation(db_session, "cli:t", "Vietcombank", "bank")
    bank.webhook_url = "https://bank.example/hooks"
    with pytest.raises(ValueError, match="request.sentt"):
        enqueue(db_session, bank, "request.sentt", {})
