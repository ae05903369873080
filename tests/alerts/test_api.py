"""The public JSON API: published alerts only, both languages, no victim's data."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.alerts.factories import ANALYST, PRIVATE, SCAMMER_CANONICAL, police_ring, published
from tests.conftest import ReportMaker

from tipline.alerts.service import draft_alert


def test_the_api_lists_published_alerts_and_finds_no_draft(
    client: TestClient, db_session: Session, make_report: ReportMaker
) -> None:
    ring = police_ring(make_report, db_session)
    draft = draft_alert(db_session, ANALYST, ring.campaign_uid)
    assert client.get("/api/v1/alerts").json()["items"] == []
    assert client.get(f"/api/v1/alerts/{draft.uid}").status_code == 404
    assert client.get("/api/v1/alerts/not-a-uid").status_code == 404
    alert = published(db_session, ring)
    page = client.get("/api/v1/alerts").json()
    assert (page["total"], [item["uid"] for item in page["items"]]) == (1, [str(alert.uid)])
    one = client.get(f"/api/v1/alerts/{alert.uid}").json()
    assert set(one["texts"]) == {"vi", "en"}
    assert {"kind": "phone", "value": SCAMMER_CANONICAL} in one["indicators"]
    assert one["url"].endswith(f"/alerts/{alert.uid}")
    assert (one["version"], one["report_count"]) == (1, 3)
    for body in (client.get("/api/v1/alerts").text, client.get(f"/api/v1/alerts/{alert.uid}").text):
        assert [p for p in PRIVATE if p.casefold() in body.casefold()] == []
