"""The queue and report pages through HTTP, as a signed-in analyst (and as others)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tipline.indicators.models import ReportIndicator
from tipline.reports.models import Report
from tipline.workspace.models import ReportNote

StoredReportMaker = Callable[..., Report]
ClientAs = Callable[..., TestClient]
AuditReader = Callable[[], list[tuple[str, str, str, str]]]
ATTACK = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_queue_lists_reports_most_urgent_first(
    client_as: ClientAs, stored_report: StoredReportMaker
) -> None:
    low = stored_report(urgency="low", age=timedelta(days=3))
    critical = stored_report(urgency="critical", loss=12_500_000)
    response = client_as("analyst").get("/queue?lang=en")
    assert response.status_code == 200
    page = response.text
    assert page.index(critical.code) < page.index(low.code)
    assert 'class="urgency-critical"' in page
    assert "₫12,500,000" in page
    assert f'href="/reports/{critical.id}"' in page
    assert "script-src 'self'" in response.headers["content-security-policy"]


def test_queue_filters_search_and_pages(
    client_as: ClientAs, stored_report: StoredReportMaker
) -> None:
    for i in range(60):
        stored_report(age=timedelta(minutes=i + 1))
    wanted = stored_report("Sàn Binance giả trên Telegram", category="fraud.loan", status="triaged")
    analyst = client_as("analyst")
    filtered = analyst.get("/queue", params={"category": "fraud.loan", "status": "triaged"}).text
    assert wanted.code in filtered
    assert filtered.count('href="/reports/') == 1
    assert wanted.code in analyst.get("/queue", params={"q": "telegram"}).text
    first = analyst.get("/queue").text
    assert first.count('href="/reports/') == 50
    assert 'rel="prev"' not in first
    next_href = re.search(r'rel="next" href="([^"]+)"', first)
    assert next_href is not None
    second = analyst.get(next_href.group(1).replace("&amp;", "&")).text
    assert second.count('href="/reports/') == 11
    assert 'rel="prev"' in second
    assert 'rel="next"' not in second


def test_narrative_is_shown_escaped(client_as: ClientAs, stored_report: StoredReportMaker) -> None:
    report = stored_report(ATTACK)
    analyst = client_as("analyst")
    for page in (analyst.get("/queue").text, analyst.get(f"/reports/{report.id}").text):
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_a_payment_with_some_fields_only_is_shown(
    client_as: ClientAs, make_report: Callable[..., object], db_session: Session
) -> None:
    """Every field of a payment is optional and only those given are kept: the page showed a
    server error for a payment without a date (found by tests/html/test_stored_scripts.py)."""
    code = make_report(payments=[{"amount": "5000000"}, {"to_bank": "VCB"}]).code  # type: ignore[attr-defined]
    report = db_session.scalars(select(Report).where(Report.code == code)).one()
    page = client_as("analyst").get(f"/reports/{report.id}")
    assert page.status_code == 200
    assert 'id="report-payments"' in page.text
    assert "5.000.000" in page.text or "5,000,000" in page.text


def test_report_view_shows_links_and_records_the_view(
    client_as: ClientAs,
    db_session: Session,
    make_report: Callable[..., object],
    audit_actions: AuditReader,
) -> None:
    make_report()
    receipt = make_report()
    report = db_session.scalars(select(Report).where(Report.code == receipt.code)).one()  # type: ignore[attr-defined]
    assert report is not None
    page = client_as("analyst").get(f"/reports/{report.id}").text
    assert f'href="/cases/add?report={report.id}"' in page
    assert 'class="narrative"' in page
    assert "0987 654 321" in page
    assert page.count("/indicators/") >= 3
    assert audit_actions()[-1] == ("analyst:lan", "report.view", "report", str(report.id))
    assert client_as("analyst").get("/reports/999999999").status_code == 404


def test_forms_change_the_report_and_come_back(
    client_as: ClientAs,
    db_session: Session,
    make_report: Callable[..., object],
    audit_actions: AuditReader,
) -> None:
    receipt = make_report()
    report = db_session.scalars(select(Report).where(Report.code == receipt.code)).one()  # type: ignore[attr-defined]
    assert report is not None
    analyst = client_as("analyst")
    token = csrf_token(analyst.get(f"/reports/{report.id}").text)
    link = db_session.scalars(
        select(ReportIndicator).where(ReportIndicator.report_id == report.id)
    ).first()
    assert link is not None
    posts = [
        (f"/reports/{report.id}/indicators/{link.indicator_id}", {"decision": "confirmed"}),
        (f"/reports/{report.id}/triage", {"category": "fraud.loan", "urgency": "critical"}),
        (f"/reports/{report.id}/notes", {"text": ATTACK}),
        (f"/reports/{report.id}/status", {"status": "in_review"}),
    ]
    for path, form in posts:
        response = analyst.post(path, data={**form, "csrf_token": token}, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (
            303,
            f"/reports/{report.id}",
        )
    db_session.refresh(report)
    db_session.refresh(link)
    assert (report.category, report.urgency, report.urgency_rank, report.status) == (
        "fraud.loan",
        "critical",
        0,
        "in_review",
    )
    assert link.confirmed is True
    assert db_session.scalars(select(ReportNote.text)).all() == [ATTACK]
    page = analyst.get(f"/reports/{report.id}").text
    assert "&lt;script&gt;" in page
    assert "<script>alert" not in page
    actions = [a[1] for a in audit_actions()]
    assert actions[-5:] == [
        "indicator.confirm",
        "report.correct",
        "report.note",
        "report.status",
        "report.view",
    ]


def test_post_without_csrf_token_is_refused(
    client_as: ClientAs, db_session: Session, stored_report: StoredReportMaker
) -> None:
    report = stored_report()
    analyst = client_as("analyst")
    analyst.get(f"/reports/{report.id}")
    for token in ({}, {"csrf_token": "forged"}):
        response = analyst.post(f"/reports/{report.id}/status", data={"status": "closed", **token})
        assert response.status_code == 403
    db_session.refresh(report)
    assert report.status == "new"


def test_anonymous_is_sent_to_sign_in(client: TestClient, stored_report: StoredReportMaker) -> None:
    report = stored_report()
    assert client.get("/queue").status_code == 401
    page = client.get("/queue", headers={"accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"].startswith("/login?next=%2Fqueue")
    assert client.get(f"/reports/{report.id}").status_code == 401
    assert client.post(f"/reports/{report.id}/notes", data={"text": "x"}).status_code == 401


@pytest.mark.parametrize("role", ["partner", "platform"])
def test_partner_and_platform_may_not_see_reports(
    client_as: ClientAs, stored_report: StoredReportMaker, role: str
) -> None:
    report = stored_report()
    outsider = client_as(role)
    assert outsider.get("/queue").status_code == 403
    assert outsider.get(f"/reports/{report.id}").status_code == 403
    assert (
        outsider.post(f"/reports/{report.id}/status", data={"status": "closed"}).status_code == 403
    )


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_leads_use_the_queue_too(
    client_as: ClientAs, stored_report: StoredReportMaker, role: str
) -> None:
    report = stored_report()
    answer = client_as(role).get("/queue?lang=en")
    assert answer.status_code == 200
    assert report.code in answer.text
    assert f'href="/reports/{report.id}"' in answer.text


@pytest.mark.parametrize(
    ("language", "said"),
    [("vi", "Có thể nguy hiểm đến tính mạng"), ("en", "Possible risk to life")],
)
def test_a_risk_to_life_reason_is_said_in_the_page_s_language(
    client_as: ClientAs,
    db_session: Session,
    stored_report: StoredReportMaker,
    language: str,
    said: str,
) -> None:
    report = stored_report(urgency="critical")
    report.triage_reasons = ["possible risk to life: 'khong muon song nua'", "a reason"]
    db_session.commit()
    page = client_as("analyst").get(f"/reports/{report.id}?lang={language}").text
    assert f"<li>{said}: &#39;khong muon song nua&#39;</li>" in page


def test_the_transfers_a_victim_gave_are_shown_to_analysts(
    client_as: ClientAs, db_session: Session, make_report: Callable[..., object]
) -> None:
    receipt = make_report(
        payments=[{"paid_on": "2026-12-01", "amount": "2500000", "currency": "VND",
                   "from_bank": "VCB", "to_account": "0451000123999", "to_bank": "MB"}]
    )  # fmt: skip
    report = db_session.scalars(select(Report).where(Report.code == receipt.code)).one()  # type: ignore[attr-defined]
    page = client_as("analyst").get(f"/reports/{report.id}").text
    table = page[page.index('id="report-payments"') :]
    assert "0451000123999" in table
    assert "2026-12-01" in table
    assert "VCB" in table
    assert "MB" in table
    indicators = page.split("<tbody>")[1].split("</tbody>")[0]
    assert "0451000123999 (MBBank)</code>" in indicators  # an account as its digits and bank
    assert "MB:0451000123999" not in page


def test_an_allowlisted_value_ties_the_report_to_no_other(
    client_as: ClientAs, db_session: Session, make_report: Callable[..., object]
) -> None:
    for k in range(3):
        make_report(f"Kẻ gian nhắn tin qua facebook.com lần {k}, số 0987 654 321 gọi.")
    receipt = make_report("Tôi thấy quảng cáo trên facebook.com, số 0987 654 321 gọi lừa.")
    report = db_session.scalars(select(Report).where(Report.code == receipt.code)).one()  # type: ignore[attr-defined]
    page = client_as("analyst").get(f"/reports/{report.id}?lang=en").text
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")
    facebook = next(row for row in rows if "<code" in row and "facebook.com</code>" in row)
    phone = next(row for row in rows if "84987654321" in row)
    assert "links no reports" in facebook
    assert '<a href="/reports/' not in facebook
    assert '<a href="/reports/' in phone  # the scammer's number still shows the reports it shares
