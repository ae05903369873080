"""The hourly reminders of cooperation requests: past their deadline, or a preservation lapsing
within a week, given once per deadline or end, and delivered to the analysts' queue."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from tests.cooperation.test_service import LAN, NOW, preservation

from tipline.cooperation import service
from tipline.cooperation.reminders import remind_due, standing
from tipline.db_types import utc_now
from tipline.jobs.tasks import job_named
from tipline.principals import Principal, Role
from tipline.settings import Settings

TODAY = date(2026, 12, 1)  # NOW in Vietnam


def sent(session: Session, **changes: Any) -> str:
    made = service.create_request(session, LAN, preservation(requested_authority="FBI", **changes))
    service.change_status(session, LAN, made.reference, "sent", now=NOW)
    return made.reference


def test_each_deadline_and_each_preservation_end_is_reminded_once(db_session: Session) -> None:
    late = sent(db_session, deadline=TODAY - timedelta(days=1))
    disclosure = sent(db_session, type="disclosure", deadline=TODAY + timedelta(days=30))
    assert remind_due(db_session, "system:jobs", NOW) == [late]  # its lapse is 60 days away
    assert remind_due(db_session, "system:jobs", NOW + timedelta(hours=1)) == []
    assert [(r.reference, why) for r, why in standing(db_session, LAN, NOW)] == [(late, "overdue")]
    week_before = NOW + timedelta(days=54)  # the preservation lapses on day 60
    assert remind_due(db_session, "system:jobs", week_before) == [disclosure, late]
    assert remind_due(db_session, "system:jobs", week_before) == []
    view = service.view_request(db_session, LAN, late)
    reminders = [e.details for e in view.events if e.action == "reminded"]
    assert reminders == [
        {"why": "overdue", "deadline": "2026-11-30"},
        {"why": "lapsing", "until": "2027-01-30"},
    ]
    assert [e.actor for e in view.events if e.action == "reminded"] == ["system:jobs"] * 2
    shown = {(r.reference, why) for r, why in standing(db_session, LAN, week_before)}
    assert shown == {(late, "lapsing"), (disclosure, "overdue")}
    service.extend_preservation(db_session, LAN, late, now=week_before)
    service.change_status(db_session, LAN, disclosure, "answered", now=week_before)
    assert [(r.reference, why) for r, why in standing(db_session, LAN, week_before)] == [
        (late, "overdue")
    ]
    assert remind_due(db_session, "system:jobs", week_before) == []  # extended by 60 days
    assert remind_due(db_session, "system:jobs", week_before + timedelta(days=60)) == [late]
    partner = Principal(2, "p", Role.PARTNER, "token", partner_id=1)
    assert standing(db_session, partner, week_before) == []


def test_the_hourly_job_delivers_them_to_the_queue(
    settings: Settings, session_factory: sessionmaker[Session], client_as: Any
) -> None:
    today = service.today(utc_now())
    with session_factory() as session:
        ref = sent(session, deadline=today - timedelta(days=2))
    client = client_as("analyst")
    assert 'id="queue-due"' not in client.get("/queue").text  # not reminded yet
    assert job_named("cooperation-reminders").run(session_factory, settings) == 1
    page = client.get("/queue").text
    due = page.split('id="queue-due"')[1].split("</section>")[0]
    assert f'href="/cooperation/{ref}"' in due
    assert "đã quá hạn trả lời ngày" in due
    assert job_named("cooperation-reminders").run(session_factory, settings) == 0
    client.cookies.set("tipline_lang", "en")
    assert "past its deadline of" in client.get("/queue").text
