"""Delivering webhooks to a receiver on loopback: signed and timestamped, retried with growing
delays after a 500, a timeout or a refused connection, given up after the last attempt, each
attempt kept and logged (without the body)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker
from tests.orgrequests.webhook_receiver import HANG, Receiver, receiving, refused_url

from tipline.jobs.tasks import job_named
from tipline.orgrequests import webhook_repository, webhooks
from tipline.orgrequests.delivery import Round, deliver_due, enqueue, webhook_client
from tipline.orgrequests.models import WebhookDelivery
from tipline.orgrequests.webhook_service import set_webhook
from tipline.partners import service as partners
from tipline.partners.models import Organisation
from tipline.sealing import derived_key
from tipline.settings import Settings

AT = datetime(2026, 12, 7, 8, tzinfo=UTC)
SECRET = "whsec_0123456789abcdef"
KEY = derived_key("test key")
PAYLOAD = {"reference": "YC-2026-000001", "type": "freeze", "due_at": "2026-12-07T10:00:00Z"}


def half() -> float:
    return 0.5


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving(SECRET, int(AT.timestamp()) + 2) as running:
        yield running


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    """A client that waits long enough for a receiver on a busy machine."""
    with webhook_client(Settings(webhook_timeout_seconds=30)) as opened:
        yield opened


def bank(session: Session, url: str) -> Organisation:
    organisation = partners.add_organisation(session, "cli:t", "Vietcombank", "bank")
    return set_webhook(session, "cli:t", organisation.name, url, SECRET, KEY)


def queued(session: Session, organisation: Organisation, event: str = "request.sent") -> int:
    delivery = enqueue(session, organisation, event, PAYLOAD, now=AT)
    assert delivery is not None
    session.commit()
    return delivery.id


def row(session: Session, delivery_id: int) -> WebhookDelivery:
    session.expire_all()
    return webhook_repository.delivery(session, delivery_id)


def deliver(factory: sessionmaker[Session], client: httpx.Client, now: datetime) -> Round:
    return deliver_due(factory, now, client, KEY, jitter=half)


def test_a_webhook_arrives_signed_and_is_marked_delivered(
    db_session: Session, session_factory: sessionmaker[Session], receiver: Receiver,
    client: httpx.Client,
) -> None:  # fmt: skip
    delivery_id = queued(db_session, bank(db_session, receiver.url))
    assert deliver(session_factory, client, AT) == Round(delivered=1)
    [got] = receiver.received
    assert (got.delivery, got.event, got.valid) == (str(delivery_id), "request.sent", True)
    assert json.loads(got.body)["data"] == PAYLOAD
    sent = row(db_session, delivery_id)
    assert (sent.delivered_at, sent.attempts, sent.last_status) == (AT, 1, 200)
    assert sent.next_attempt_at is None
    attempts = webhook_repository.attempts_of(db_session, delivery_id)
    assert [(a.number, a.status, a.error, a.at) for a in attempts] == [(1, 200, "", AT)]
    assert deliver(session_factory, client, AT + timedelta(days=1)) == Round()
    assert len(receiver.received) == 1


def test_a_receiver_with_another_secret_or_clock_refuses_it(
    db_session: Session, session_factory: sessionmaker[Session], client: httpx.Client
) -> None:
    with receiving("another secret of 22 ch", int(AT.timestamp())) as wrong_secret:
        queued(db_session, bank(db_session, wrong_secret.url))
        deliver(session_factory, client, AT)
    late_clock = int((AT + timedelta(minutes=6)).timestamp())
    with receiving(SECRET, late_clock) as late:
        organisation = partners.find_organisation(db_session, "Vietcombank")
        set_webhook(db_session, "cli:t", organisation.name, late.url, SECRET, KEY)
        queued(db_session, organisation)
        deliver(session_factory, client, AT)
    assert [r.valid for r in wrong_secret.received + late.received] == [False, False]


@pytest.mark.parametrize("answer", [500, 503, 404])
def test_a_failure_is_retried_with_growing_delays_until_delivered(
    db_session: Session, session_factory: sessionmaker[Session], receiver: Receiver,
    client: httpx.Client, answer: int,
) -> None:  # fmt: skip
    delivery_id = queued(db_session, bank(db_session, receiver.url))
    receiver.answers[:] = [answer, answer]
    now, waits = AT, []
    for fate in ("retried", "retried", "delivered"):
        assert deliver(session_factory, client, now) == Round(**{fate: 1})
        assert deliver(session_factory, client, now) == Round()  # not due again yet
        after = row(db_session, delivery_id)
        if after.next_attempt_at is not None:
            waits.append(after.next_attempt_at - now)
            now = after.next_attempt_at
    assert waits == [timedelta(seconds=22.5), timedelta(seconds=45)]
    assert [r.delivery for r in receiver.received] == [str(delivery_id)] * 3
    attempts = webhook_repository.attempts_of(db_session, delivery_id)
    assert [(a.status, a.error) for a in attempts] == [
        (answer, f"HTTP {answer}"), (answer, f"HTTP {answer}"), (200, ""),
    ]  # fmt: skip
    assert row(db_session, delivery_id).delivered_at == AT + timedelta(seconds=67.5)


def test_tipline_gives_up_after_the_last_attempt(
    db_session: Session, session_factory: sessionmaker[Session], receiver: Receiver,
    client: httpx.Client,
) -> None:  # fmt: skip
    delivery_id = queued(db_session, bank(db_session, receiver.url))
    receiver.answers[:] = [500] * 20
    now, waits = AT, []
    for _ in range(webhooks.MAX_ATTEMPTS - 1):
        assert deliver(session_factory, client, now) == Round(retried=1)
        later = row(db_session, delivery_id).next_attempt_at
        assert later is not None
        waits.append(later - now)
        now = later
    assert deliver(session_factory, client, now) == Round(gave_up=1)
    assert waits == sorted(waits)
    assert len(set(waits)) == len(waits)
    given_up = row(db_session, delivery_id)
    assert (given_up.gave_up, given_up.next_attempt_at, given_up.delivered_at) == (True, None, None)
    assert given_up.attempts == webhooks.MAX_ATTEMPTS
    assert deliver(session_factory, client, now + timedelta(days=30)) == Round()
    assert len(receiver.received) == webhooks.MAX_ATTEMPTS
    assert webhook_repository.waiting_count(db_session) == 0


def test_a_timeout_and_a_refused_connection_are_retried(
    db_session: Session, session_factory: sessionmaker[Session], receiver: Receiver
) -> None:
    organisation = bank(db_session, receiver.url)
    receiver.answers[:] = [HANG]
    hung = queued(db_session, organisation)
    impatient = webhook_client(Settings(webhook_timeout_seconds=0.2))
    with impatient as client:
        assert deliver(session_factory, client, AT) == Round(retried=1)
        set_webhook(db_session, "cli:t", organisation.name, refused_url(), SECRET, KEY)
        refused = queued(db_session, organisation)
        assert deliver(session_factory, client, AT) == Round(retried=1)
    for delivery_id, error in ((hung, "timeout"), (refused, "ConnectError")):
        failed = row(db_session, delivery_id)
        assert (failed.attempts, failed.last_status, failed.last_error) == (1, None, error)
        assert failed.next_attempt_at == AT + timedelta(seconds=22.5)


def test_an_organisation_that_stopped_taking_webhooks_is_given_up_at_once(
    db_session: Session, session_factory: sessionmaker[Session], receiver: Receiver,
    client: httpx.Client,
) -> None:  # fmt: skip
    organisation = bank(db_session, receiver.url)
    delivery_id = queued(db_session, organisation)
    organisation.webhook_url = None
    db_session.commit()
    assert deliver(session_factory, client, AT) == Round(gave_up=1)
    assert row(db_session, delivery_id).last_error == "the organisation takes no webhooks now"
    assert receiver.received == []


def test_each_attempt_is_logged_without_the_body_or_the_secret(
    db_session: Session, session_factory: sessionmaker[Session], receiver: Receiver,
    client: httpx.Client, caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    delivery_id = queued(db_session, bank(db_session, receiver.url))
    receiver.answers[:] = [500]
    with caplog.at_level(logging.INFO, logger="tipline.webhooks"):
        deliver(session_factory, client, AT)
        deliver(session_factory, client, AT + timedelta(minutes=1))
    messages = [r.getMessage() for r in caplog.records if r.name == "tipline.webhooks"]
    organisation_id = row(db_session, delivery_id).organisation_id
    assert messages == [
        f"webhook {delivery_id} to organisation {organisation_id} (request.sent): "
        "attempt 1 retried (HTTP 500)",
        f"webhook {delivery_id} to organisation {organisation_id} (request.sent): "
        "attempt 2 delivered",
    ]
    assert not any("YC-2026" in m or SECRET in m for m in caplog.text.splitlines())


def test_many_due_deliveries_go_in_batches(
    db_session: Session, session_factory: sessionmaker[Session], receiver: Receiver,
    client: httpx.Client,
) -> None:  # fmt: skip
    organisation = bank(db_session, receiver.url)
    ids = [queued(db_session, organisation) for _ in range(7)]
    assert deliver_due(session_factory, AT, client, KEY, limit=3) == Round(delivered=7)
    assert sorted(int(r.delivery) for r in receiver.received) == ids


def test_the_webhook_job_delivers_what_fell_due_each_period(
    db_session: Session, session_factory: sessionmaker[Session], receiver: Receiver,
    tmp_path: Path,
) -> None:  # fmt: skip
    receiver.clock = int(time.time())
    enqueue(db_session, bank(db_session, receiver.url), "request.sent", PAYLOAD)  # due now
    db_session.commit()
    settings = Settings(webhook_deliver_seconds=7, secret_key="test key", data_dir=tmp_path)
    job = job_named("webhook-delivery")  # tipline.jobs runs it once a period
    assert job.seconds(settings) == 7
    assert job.run(session_factory, settings) == Round(delivered=1)
    assert [(r.event, r.valid) for r in receiver.received] == [("request.sent", True)]


def test_a_url_httpx_cannot_read_is_a_failed_attempt(
    db_session: Session, session_factory: sessionmaker[Session], client: httpx.Client
) -> None:
    organisation = bank(db_session, "https://bank.example/hooks")
    organisation.webhook_url = "https://[::1/hooks"  # stored before any check
    delivery_id = queued(db_session, organisation)
    assert deliver(session_factory, client, AT) == Round(retried=1)
    assert row(db_session, delivery_id).last_error == "InvalidURL"
