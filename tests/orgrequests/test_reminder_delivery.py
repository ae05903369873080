"""The hourly `request-reminders` job delivers its reminders: to the organisation's webhook
outbox, into the request's history the organisation reads, and to the top of the analysts'
queue; once per request past due."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from tests.orgrequests.conftest import Desk
from tests.orgrequests.test_service import LAN, bank_user

from tipline.db_types import utc_now
from tipline.jobs.tasks import job_named
from tipline.orgrequests import service
from tipline.orgrequests.models import WebhookDelivery
from tipline.orgrequests.schemas import RequestCreate
from tipline.orgrequests.webhook_service import set_webhook
from tipline.sealing import derived_key
from tipline.settings import Settings


def test_the_hourly_job_reminds_the_bank_and_the_analysts(
    settings: Settings,
    session_factory: sessionmaker[Session],
    db_session: Session,
    desk: Desk,
    client_as: Any,
) -> None:
    set_webhook(db_session, "cli:t", "Vietcombank", "https://bank.example/hook",
                "whsec_0123456789abcdef", derived_key("test key"))  # fmt: skip
    data = RequestCreate(campaign_uid=desk.campaign, organisation_id=desk.vcb.id)
    reference = service.draft_request(db_session, LAN, data).reference
    request = service.send_request(db_session, LAN, reference)
    request.due_at = utc_now() - timedelta(minutes=5)
    db_session.commit()
    queue = client_as("analyst").get("/queue").text
    assert f'href="/requests/{reference}"' in queue.split('id="queue-due"')[1]  # it is overdue
    job = job_named("request-reminders")
    assert job.run(session_factory, settings) == 1
    assert job.run(session_factory, settings) == 0  # once since it fell due
    events = db_session.execute(
        select(WebhookDelivery.event, WebhookDelivery.organisation_id).order_by(WebhookDelivery.id)
    ).all()
    assert [tuple(e) for e in events] == [
        ("request.sent", desk.vcb.id),
        ("request.reminder", desk.vcb.id),
    ]
    seen_by_bank = service.view_request(db_session, bank_user(desk.vcb.id), reference)
    assert [e.action for e in seen_by_bank.events][-2:] == ["reminded", "seen"]
