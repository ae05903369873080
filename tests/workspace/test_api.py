"""The workspace API (/api/v1/queue, /api/v1/reports/{id}/…): what the queue and report pages do."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tipline.campaigns.service import campaign_uid_of
from tipline.indicators.models import ReportIndicator
from tipline.reports.models import Report
from tipline.reports.repository import find_by_code
from tipline.triage.models import TriageCorrection
from tipline.workspace.core import page_cursor

StoredReportMaker = Callable[..., Report]
ClientAs = Callable[..., TestClient]
AuditReader = Callable[[], list[tuple[str, str, str, str]]]
ReportMaker = Callable[..., Any]
API = "/api/v1"


def submitted(db_session: Session, make_report: ReportMaker) -> Report:
    report = find_by_code(db_session, make_report().code)
    assert report is not None
    return report


def walk(
    client: TestClient, params: dict[str, Any], key: str, cursor: str | None
) -> list[list[int]]:
    """The ids of every page from `cursor` following `key` (next_cursor or previous_cursor)."""
    pages: list[list[int]] = []
    while True:
        body = client.get(f"{API}/queue", params={**params, "cursor": cursor}).json()
        pages.append([item["id"] for item in body["items"]])
        cursor = body[key]
        if cursor is None:
            return pages


def test_queue_keyset_pages_lose_and_repeat_nothing_both_ways(
    client_as: ClientAs, stored_report: StoredReportMaker
) -> None:
    # Many reports share an urgency and a creation time: the id breaks the tie.
    made = [
        stored_report(urgency=("critical", "low", "normal")[i % 3], age=timedelta(hours=i % 7))
        for i in range(47)
    ]
    analyst = client_as("analyst")
    forward = walk(analyst, {"limit": 10}, "next_cursor", None)
    assert [len(page) for page in forward] == [10, 10, 10, 10, 7]
    ids = [i for page in forward for i in page]
    rank = {"critical": 0, "high": 1, "normal": 2, "low": 3}
    expected = sorted(made, key=lambda r: (rank[r.urgency], r.created_at, r.id))
    assert ids == [r.id for r in expected]
    cursor = page_cursor("after", ids[39])
    last = analyst.get(f"{API}/queue", params={"limit": 10, "cursor": cursor})
    assert last.json()["next_cursor"] is None
    backward = walk(analyst, {"limit": 10}, "previous_cursor", last.json()["previous_cursor"])
    assert backward == forward[-2::-1]


def test_queue_filters_and_search(client_as: ClientAs, stored_report: StoredReportMaker) -> None:
    stored_report(category="fraud.loan", status="triaged", urgency="high", province="Huế")
    wanted = stored_report(
        "Sàn Binance giả trên Telegram",
        category="fraud.loan",
        status="triaged",
        urgency="critical",
        province="Huế",
        age=timedelta(days=2),
    )
    stored_report(age=timedelta(days=9))
    analyst = client_as("analyst")

    def ids(**params: str) -> list[int]:
        response = analyst.get(f"{API}/queue", params=params)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert ids(category="fraud.loan", urgency="critical", status="triaged", province="Huế") == [
        wanted.id
    ]
    assert ids(q="telegram binance") == [wanted.id]
    day = (wanted.created_at + timedelta(hours=7)).date().isoformat()  # a day in Vietnam
    assert ids(**{"from": day, "to": day}) == [wanted.id]
    item = analyst.get(f"{API}/queue", params={"q": "telegram"}).json()["items"][0]
    assert (item["code"], item["snippet"], item["urgency"]) == (
        wanted.code,
        "Sàn Binance giả trên Telegram",
        "critical",
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": page_cursor("sideways", 3)}, "cursor"),
        ({"category": "fraud.nothing"}, "category"),
        ({"urgency": "extreme"}, "urgency"),
        ({"limit": "0"}, "limit"),
        ({"limit": "201"}, "limit"),
        ({"from": "2026-13-01"}, "from"),
    ],
)
def test_queue_refuses_bad_parameters(
    client_as: ClientAs, params: dict[str, str], field: str
) -> None:
    response = client_as("analyst").get(f"{API}/queue", params=params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("invalid_input", field)


def test_report_detail_shows_what_the_page_shows_and_is_audited(
    client_as: ClientAs,
    db_session: Session,
    make_report: ReportMaker,
    audit_actions: AuditReader,
) -> None:
    make_report()
    report = submitted(db_session, make_report)
    response = client_as("supervisor").get(f"{API}/reports/{report.id}/view")
    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["narrative"], body["status"]) == (
        report.code,
        report.narrative,
        "new",
    )
    kinds = {item["kind"]: item for item in body["indicators"]}
    assert {"phone", "bank_account"} <= set(kinds)
    phone = kinds["phone"]
    assert (phone["review"], phone["other_reports"]) == ("extracted", 1)
    assert phone["recent_reports"][0]["id"] != report.id
    assert body["campaign_uid"] == str(campaign_uid_of(db_session, report.id))
    assert body["campaign_uid"] is not None
    assert audit_actions()[-1] == ("supervisor:lan", "report.view", "report", str(report.id))


def test_analyst_changes_a_report_through_the_api(
    client_as: ClientAs,
    db_session: Session,
    make_report: ReportMaker,
    audit_actions: AuditReader,
) -> None:
    report = submitted(db_session, make_report)
    link = db_session.scalars(
        select(ReportIndicator).where(ReportIndicator.report_id == report.id)
    ).first()
    assert link is not None
    analyst = client_as("analyst")
    base = f"{API}/reports/{report.id}"
    review = analyst.put(
        f"{base}/indicators/{link.indicator_id}/review", json={"decision": "rejected"}
    )
    assert review.json() == {
        "report_id": report.id,
        "indicator_id": link.indicator_id,
        "decision": "rejected",
    }
    correction = analyst.post(
        f"{base}/corrections", json={"category": "fraud.loan", "urgency": "critical"}
    )
    assert correction.status_code == 201
    assert correction.json()["previous_category"] == report.category
    note = analyst.post(f"{base}/notes", json={"text": "  gọi lại nạn nhân  "})
    assert (note.status_code, note.json()["text"], note.json()["author"]) == (
        201,
        "gọi lại nạn nhân",
        "analyst:lan",
    )
    status = analyst.post(f"{base}/status", json={"status": "in_review"})
    assert (status.status_code, status.json()["previous_status"]) == (201, "new")
    detail = analyst.get(f"{base}/view").json()
    assert (detail["category"], detail["urgency"], detail["status"]) == (
        "fraud.loan",
        "critical",
        "in_review",
    )
    reviewed = next(i for i in detail["indicators"] if i["indicator_id"] == link.indicator_id)
    assert reviewed["review"] == "rejected"
    assert [n["text"] for n in detail["notes"]] == ["gọi lại nạn nhân"]
    assert [c["status"] for c in detail["history"]] == ["in_review"]
    assert [c["corrected_urgency"] for c in detail["corrections"]] == ["critical"]
    kept = db_session.scalars(select(TriageCorrection.corrected_category)).all()
    assert kept == ["fraud.loan"]
    assert [a[1] for a in audit_actions()][-5:] == [
        "indicator.reject",
        "report.correct",
        "report.note",
        "report.status",
        "report.view",
    ]


def test_bad_changes_are_refused_with_the_field(
    client_as: ClientAs, stored_report: StoredReportMaker
) -> None:
    report = stored_report(status="closed")
    analyst = client_as("analyst")
    base = f"{API}/reports/{report.id}"
    cases = [
        (analyst.post(f"{base}/status", json={"status": "closed"}), 422, "status"),
        (analyst.post(f"{base}/status", json={"status": "lost"}), 422, "status"),
        (analyst.post(f"{base}/notes", json={"text": "   "}), 422, "text"),
        (analyst.post(f"{base}/notes", json={"text": "x", "extra": 1}), 422, "extra"),
        (
            analyst.post(f"{base}/corrections", json={"category": "x", "urgency": "low"}),
            422,
            "category",
        ),  # fmt: skip
        (
            analyst.put(f"{base}/indicators/5/review", json={"decision": "confirmed"}),
            404,
            "indicator_id",
        ),  # fmt: skip
        (analyst.get(f"{API}/reports/{2**63 - 1}/view"), 404, "report_id"),
        (analyst.get(f"{API}/reports/{2**63}/view"), 422, "report_id"),
        (analyst.get(f"{API}/reports/0/view"), 422, "report_id"),
        (analyst.post(f"{API}/reports/{10**30}/notes", json={"text": "x"}), 422, "report_id"),
    ]
    for response, status, field in cases:
        assert (response.status_code, response.json()["error"]["field"]) == (status, field)


def test_callers_without_a_staff_role_get_nothing(
    client: TestClient, client_as: ClientAs, stored_report: StoredReportMaker
) -> None:
    report = stored_report("Số điện thoại của tôi là 0912345678")
    base = f"{API}/reports/{report.id}"
    requests: list[tuple[str, str, dict[str, Any] | None]] = [
        ("GET", f"{API}/queue", None),
        ("GET", f"{base}/view", None),
        ("PUT", f"{base}/indicators/1/review", {"decision": "confirmed"}),
        ("POST", f"{base}/corrections", {"category": "other", "urgency": "low"}),
        ("POST", f"{base}/notes", {"text": "x"}),
        ("POST", f"{base}/status", {"status": "closed"}),
    ]
    callers = [(client, 401), (client_as("partner"), 403), (client_as("platform"), 403)]
    for who, expected in callers:
        for method, path, body in requests:
            response = who.request(method, path, json=body)
            assert response.status_code == expected, (method, path)
            assert "0912345678" not in response.text
    assert client.get(f"{API}/queue").headers["www-authenticate"] == "Bearer"


def test_openapi_documents_each_endpoint_with_its_schema(client: TestClient) -> None:
    spec = client.get(f"{API}/openapi.json").json()
    expected = {
        ("/api/v1/queue", "get", "200"): "QueuePageRead",
        ("/api/v1/reports/{report_id}/view", "get", "200"): "ReportDetail",
        ("/api/v1/reports/{report_id}/indicators/{indicator_id}/review", "put", "200"): (
            "ReviewRead"
        ),
        ("/api/v1/reports/{report_id}/corrections", "post", "201"): "CorrectionRead",
        ("/api/v1/reports/{report_id}/notes", "post", "201"): "NoteRead",
        ("/api/v1/reports/{report_id}/status", "post", "201"): "StatusChangeRead",
    }
    for (path, method, status), schema in expected.items():
        responses = spec["paths"][path][method]["responses"]
        assert responses[status]["content"]["application/json"]["schema"]["$ref"].endswith(
            "/" + schema
        )
        assert {"401", "403", "422"} <= set(responses)
    view = spec["paths"]["/api/v1/reports/{report_id}/view"]["get"]
    bound = next(p for p in view["parameters"] if p["name"] == "report_id")["schema"]
    assert (bound["minimum"], bound["maximum"]) == (1, 2**63 - 1)
    assert "404" in view["responses"]


def test_a_reports_cases_and_evidence(
    client_as: ClientAs, db_session: Session, make_report: ReportMaker
) -> None:
    report = submitted(db_session, make_report)
    analyst = client_as("analyst")
    base = f"{API}/reports/{report.id}"
    assert analyst.get(f"{base}/cases").json() == []
    case = analyst.post(f"{API}/cases", json={"title": "Vòng lừa Vietcombank"}).json()
    added = analyst.post(f"{API}/cases/{case['id']}/reports", json={"report_id": report.id})
    assert added.status_code == 200
    cases = analyst.get(f"{base}/cases").json()
    assert [(c["id"], c["reference"], c["status"]) for c in cases] == [
        (case["id"], case["reference"], "open")
    ]
    upload = analyst.post(f"{base}/evidence", files={"file": ("chat.txt", b"STK 0123456789\n")})
    assert upload.status_code == 201
    evidence = analyst.get(f"{base}/evidence").json()
    assert [(e["evidence_id"], e["file_name"], e["size"]) for e in evidence] == [
        (upload.json()["id"], "chat.txt", 15)
    ]
    for path in (f"{API}/reports/{2**63 - 1}/cases", f"{API}/reports/{2**63 - 1}/evidence"):
        assert analyst.get(path).status_code == 404
    for role in ("partner", "platform"):
        assert client_as(role).get(f"{base}/evidence").status_code == 403


def test_openapi_documents_cases_and_evidence(client: TestClient) -> None:
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    upload = paths["/api/v1/reports/{report_id}/evidence"]["post"]
    schema = upload["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert schema["properties"]["file"] == {"type": "string", "format": "binary"}
    assert {"401", "403", "404", "413", "422"} <= set(upload["responses"])
    content = paths["/api/v1/evidence/{evidence_id}/content"]["get"]["responses"]["200"]
    assert "application/octet-stream" in content["content"]
    for path, method in (("/api/v1/cases", "get"), ("/api/v1/cases/{case_id}", "patch")):
        assert {"401", "403", "404", "422"} <= set(paths[path][method]["responses"])
    listed = paths["/api/v1/reports/{report_id}/cases"]["get"]["responses"]["200"]
    assert listed["content"]["application/json"]["schema"]["items"]["$ref"].endswith("CaseRead")


def test_search_with_sql_and_full_text_metacharacters_finds_by_words(
    client_as: ClientAs, stored_report: StoredReportMaker
) -> None:
    """Quotes, comments, `%`, `_`, backslashes and FTS5/tsquery operators are text: a search
    finds the reports holding its words, and one without words is no search at all."""
    odd = stored_report("Lãi 100% mỗi tháng; gọi O'Brien -- mã KM_50 \\ xem Near(a b)")
    plain = stored_report("Tôi bị lừa chuyển tiền qua Zalo", age=timedelta(hours=2))
    analyst = client_as("analyst")

    def ids(q: str) -> set[int]:
        response = analyst.get(f"{API}/queue", params={"q": q})
        assert response.status_code == 200, (q, response.text)
        return {item["id"] for item in response.json()["items"]}

    for q in ("O'Brien", "100%", "km_50", "near(A", '"Brien" "lãi"', "gọi -- O'", "xem\\"):
        assert ids(q) == {odd.id}, q
    for q in ("' OR '1'='1' --", "'; DROP TABLE reports; --", "a & b | !c <-> d:*", "NEAR(x y)"):
        assert ids(q) == set(), q
    for q in ("%", "_", "\\", "--", ";", "'", '"', "*", "%_"):
        assert ids(q) == {odd.id, plain.id}, q
    assert ids("Zalo") == {plain.id}
