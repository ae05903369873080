"""A lesson shows the latest published alerts of its topic's categories beside its written
example: published ones only, through the alerts' own access rule."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.alerts.factories import ANALYST, police_ring, published
from tests.conftest import ReportMaker

from tipline.alerts.service import draft_alert, title_of
from tipline.lessons.content import library
from tipline.lessons.service import real_examples


def test_a_published_alert_is_a_real_example_of_its_topics_lessons_only(
    make_report: ReportMaker, db_session: Session, client: TestClient
) -> None:
    lesson = library().lesson("fake-police-call")
    assert lesson is not None
    assert real_examples(db_session, lesson, "vi") == []
    ring = police_ring(make_report, db_session)
    draft = draft_alert(db_session, ANALYST, ring.campaign_uid)
    assert draft.category == "fraud.impersonation"
    assert real_examples(db_session, lesson, "vi") == []  # a draft is no example
    alert = published(db_session, ring)
    found = real_examples(db_session, lesson, "en")
    assert [(e.title, e.href) for e in found] == [(title_of(alert, "en"), f"/alerts/{alert.uid}")]
    page = client.get("/lessons/fake-police-call?lang=en").text
    assert f'href="/alerts/{alert.uid}"' in page
    assert "Mrs Lan and the 9 a.m. call" in page  # the written example stays beside it
    assert f"/alerts/{alert.uid}" not in client.get("/lessons/loan-apps").text
