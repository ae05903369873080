from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tipline.audit.models import AuditEntry
from tipline.campaigns.service import campaign_uid_of
from tipline.reports.models import Report


def csrf_of(client: TestClient) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/cases/new").text)
    assert match is not None
    return match.group(1)


def test_open_a_case_from_a_report_and_work_it(
    client_as: Any, db_session: Session, new_report: Any
) -> None:
    report, other = new_report(), new_report()  # one phone: a campaign of two reports
    code = code_of(db_session, report)
    client = client_as("analyst")
    page = client.get(f"/cases/add?report={report}")
    assert page.status_code == 200
    assert f'name="report_code" value="{code}"' in page.text  # the form names it by its code
    assert f'value="{report}"' not in page.text
    token = csrf_of(client)
    title = '<script>alert("x")</script> Sàn & co'
    made = client.post(
        "/cases",
        data={
            "csrf_token": token,
            "title": title,
            "report_code": code,
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
    campaign = campaign_uid_of(db_session, report)
    assert campaign is not None
    address = f"http://testserver/campaigns/{campaign}"  # the campaign page's address, pasted
    client.post(f"{path}/campaigns", data={"csrf_token": token, "campaign_uid": address})
    shown = client.get(path)
    assert shown.status_code == 200
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Sàn &amp; co" in shown.text
    assert "&lt;img src=x onerror=1&gt;" in shown.text
    assert "<img src=x" not in shown.text
    assert "<script>" not in shown.text
    assert re.search(r"CASE-\d{4}-0001", shown.text)
    assert f'href="/reports/{report}"' in shown.text
    assert f'href="/campaigns/{campaign}"' in shown.text
    assert f'href="/reports/{other}"' in shown.text  # the campaign's other report
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


def code_of(session: Session, report_id: int) -> str:
    return session.scalars(select(Report.code).where(Report.id == report_id)).one()


@pytest.mark.parametrize(
    ("language", "notice", "unknown"),
    [
        ("vi", "Đã thêm tin báo vào hồ sơ.", "Không có tin báo nào mang mã theo dõi này."),
        ("en", "The report was added to the case.", "No report has this tracking code."),
    ],
)
def test_a_report_is_added_by_its_tracking_code_from_the_case_page(
    client_as: Any, db_session: Session, new_report: Any, language: str, notice: str, unknown: str
) -> None:
    report = new_report()
    code = code_of(db_session, report)
    client = client_as("analyst")
    client.cookies.set("tipline_lang", language)
    token = csrf_of(client)
    made = client.post("/cases", data={"csrf_token": token, "title": "Theo mã"})
    path = str(made.url.path)
    case_page = client.get(path).text
    assert 'name="code"' in case_page
    assert 'name="report_id"' not in case_page
    added = client.post(
        f"{path}/reports",
        data={"csrf_token": token, "code": code.lower()},  # as typed, any case
        follow_redirects=False,
    )
    assert (added.status_code, added.headers["location"]) == (303, f"{path}?done=report_added")
    shown = client.get(added.headers["location"])
    assert notice in shown.text
    assert f'href="/reports/{report}">{code}</a>' in shown.text
    # A wrong code: back to the case page too (post, redirect, get: a reload sends nothing).
    missing = client.post(
        f"{path}/reports",
        data={"csrf_token": token, "code": "TL-2222-2222"},
        follow_redirects=False,
    )
    assert missing.status_code == 303
    assert missing.headers["location"] == f"{path}?error=no_such_report&typed=TL-2222-2222"
    shown = client.get(missing.headers["location"])
    assert shown.status_code == 200
    assert unknown in shown.text
    assert 'value="TL-2222-2222"' in shown.text  # kept in the form, to correct it
    assert 'id="add-report-error"' in shown.text
    again = client.post(f"{path}/reports", data={"csrf_token": token, "code": code})
    assert again.history[0].status_code == 303
    assert (again.status_code, again.url.params["error"]) == (200, "report_in_case")
    garbled = client.post(f"{path}/reports", data={"csrf_token": token, "code": str(report)})
    assert garbled.history[0].status_code == 303
    assert "TL-7K3Q-9XPD" in garbled.text  # says what a tracking code looks like
    # An address with a word that is no error of these forms shows no error.
    assert 'class="form-error"' not in client.get(f"{path}?error=nonsense&typed=x").text
    assert client.get(f"/api/v1{path}").json()["report_codes"] == [code]


def test_the_api_adds_a_report_by_its_tracking_code(
    client_as: Any, db_session: Session, new_report: Any
) -> None:
    report = new_report()
    code = code_of(db_session, report)
    client = client_as("analyst")
    case_id = client.post("/api/v1/cases", json={"title": "API"}).json()["id"]
    added = client.post(f"/api/v1/cases/{case_id}/reports", json={"code": code})
    assert added.status_code == 200
    detail = client.get(f"/api/v1/cases/{case_id}").json()
    assert (detail["report_ids"], detail["report_codes"]) == ([report], [code])
    unknown = client.post(f"/api/v1/cases/{case_id}/reports", json={"code": "TL-2222-2222"})
    assert (unknown.status_code, unknown.json()["error"]["field"]) == (404, "code")
    both = client.post(f"/api/v1/cases/{case_id}/reports", json={"code": code, "report_id": report})
    assert both.status_code == 422
    made = client.post("/api/v1/cases", json={"title": "Codes", "report_codes": [code]})
    assert made.json()["report_ids"] == [report]


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


def test_the_case_list_walks_by_keyset_pages_both_ways(client_as: Any) -> None:
    client = client_as("supervisor")
    deadlines = ["2020-01-02", None, "2099-05-01", "2020-01-01", None, "2099-01-01", "2099-01-01"]
    made = [
        client.post("/api/v1/cases", json={"title": f"Vụ {n}", "deadline": d}).json()["id"]
        for n, d in enumerate(deadlines)
    ]
    everything = client.get("/api/v1/cases", params={"limit": 200}).json()
    order = [item["id"] for item in everything["items"]]
    # Overdue first (by deadline), then by deadline, the newest of equal ones first, none last.
    expected = [made[3], made[0], made[6], made[5], made[2], made[4], made[1]]
    assert order == expected
    assert (everything["total"], everything["next_cursor"]) == (7, None)
    pages, cursor = [], None
    while True:
        params: dict[str, Any] = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/v1/cases", params=params).json()
        pages.append([item["id"] for item in page["items"]])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == [expected[0:3], expected[3:6], expected[6:]]
    back = client.get("/api/v1/cases", params={"limit": 3, "cursor": page["previous_cursor"]})
    assert [item["id"] for item in back.json()["items"]] == expected[3:6]
    listing = client.get("/cases", params={"cursor": back.json()["next_cursor"]}).text
    assert f'href="/cases/{expected[6]}"' in listing
    assert 'rel="prev"' in listing
    bad = client.get("/api/v1/cases", params={"cursor": "xyz"})
    assert (bad.status_code, bad.json()["error"]["field"]) == (422, "cursor")
    spec = client.get("/api/v1/openapi.json").json()
    assert {"cursor", "limit"} <= {
        p["name"] for p in spec["paths"]["/api/v1/cases"]["get"]["parameters"]
    }
    assert {"next_cursor", "previous_cursor"} <= set(
        spec["components"]["schemas"]["CasePage"]["properties"]
    )
