from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tipline.audit.models import AuditEntry
from tipline.campaigns.repository import campaign_of
from tipline.campaigns.service import campaign_uid_of


def csrf_of(client: TestClient) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/cases/new").text)
    assert match is not None
    return match.group(1)


def test_open_a_case_from_a_report_and_work_it(
    client_as: Any, db_session: Session, new_report: Any
) -> None:
    report = new_report()
    client = client_as("analyst")
    page = client.get(f"/cases/add?report={report}")
    assert page.status_code == 200
    assert "csrf_token" in page.text
    token = csrf_of(client)
    title = '<script>alert("x")</script> Sàn & co'
    made = client.post(
        "/cases",
        data={
            "csrf_token": token,
            "title": title,
            "report_id": str(report),
            "deadline": "2020-01-01",
        },
        follow_redirects=False,
    )
    assert made.status_code == 303
    path = made.headers["location"]
    case_id = int(path.rsplit("/", 1)[1])
    client.post(f"{path}/notes", data={"csrf_token": token, "text": "<img src=x onerror=1>"})
    client.post(f"{path}/assign", data={"csrf_token": token, "assignee": "an", "deadline": ""})
    client.post(f"{path}/status", data={"csrf_token": token, "status": "in_progress"})
    campaign = campaign_of(db_session, report)
    client.post(f"{path}/campaigns", data={"csrf_token": token, "campaign_id": str(campaign)})
    shown = client.get(path)
    assert shown.status_code == 200
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Sàn &amp; co" in shown.text
    assert "&lt;img src=x onerror=1&gt;" in shown.text
    assert "<img src=x" not in shown.text
    assert "<script>" not in shown.text
    assert re.search(r"CASE-\d{4}-0001", shown.text)
    assert f'href="/reports/{report}"' in shown.text
    assert f'href="/campaigns/{campaign_uid_of(db_session, report)}"' in shown.text
    listing = client.get("/cases?status=in_progress&assignee=an")
    assert f'href="/cases/{case_id}"' in listing.text
    actions = [
        a
        for a in db_session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.target_type == "case")
            .order_by(AuditEntry.sequence)
        )
        if a != "case.view"
    ]
    assert actions == [
        "case.create",
        "case.note",
        "case.assign",
        "case.status",
        "case.campaign_add",
    ]
    assert all(a.startswith("analyst:lan") for a in db_session.scalars(select(AuditEntry.actor)))


def test_a_form_without_its_token_is_refused(client_as: Any) -> None:
    answer = client_as("analyst").post("/cases", data={"title": "x"}, follow_redirects=False)
    assert answer.status_code == 403


def test_the_api_covers_the_same_use_cases(client_as: Any, new_report: Any) -> None:
    report = new_report()
    client = client_as("supervisor")
    made = client.post(
        "/api/v1/cases", json={"title": "API", "report_ids": [report], "deadline": "2020-01-01"}
    )
    assert made.status_code == 201
    body = made.json()
    assert body["report_ids"] == [report]
    assert body["overdue"] is True
    case_id = body["id"]
    note = client.post(f"/api/v1/cases/{case_id}/notes", json={"text": "ghi chú"})
    assert note.status_code == 201
    assert note.json()["author"] == "supervisor:lan"
    changed = client.patch(f"/api/v1/cases/{case_id}", json={"status": "closed", "assignee": "an"})
    assert changed.json()["status"] == "closed"
    assert changed.json()["overdue"] is False
    assert client.delete(f"/api/v1/cases/{case_id}/reports/{report}").status_code == 204
    assert client.get(f"/api/v1/cases/{case_id}").json()["report_ids"] == []
    listing = client.get("/api/v1/cases?status=closed").json()
    assert [item["id"] for item in listing["items"]] == [case_id]
    assert client.get("/api/v1/cases/999999").status_code == 404


@pytest.mark.parametrize("role", ["partner", "platform"])
def test_partners_and_platforms_are_refused(client_as: Any, role: str) -> None:
    client = client_as(role)
    assert client.get("/cases").status_code == 403
    assert client.get("/cases/add?report=1").status_code == 403
    assert client.get("/api/v1/cases").status_code == 403
    assert client.post("/api/v1/cases", json={"title": "x"}).status_code == 403
