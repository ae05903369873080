"""The dashboard page, its JSON and its CSV through HTTP: staff only, escaped, audited."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tipline.audit.models import AuditEntry
from tipline.db_types import utc_now
from tipline.indicators.models import IndicatorRecord
from tipline.reports.models import Report

ReportAt = Callable[..., Report]
IndicatorMaker = Callable[..., IndicatorRecord]
CampaignMaker = Callable[[list[Report]], int]
ClientAs = Callable[..., TestClient]
ATTACK = "</script><script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example","click")'
FIGURES = (
    "per_day", "per_category", "losses", "losses_by_category", "urgency", "provinces",
    "indicators", "new_campaigns",
)  # fmt: skip


@pytest.fixture
def recent(
    db_session: Session,
    report_at: ReportAt,
    indicator_in: IndicatorMaker,
    campaign_of: CampaignMaker,
) -> list[Report]:
    now = utc_now()
    reports = [
        report_at(now - timedelta(hours=1), province=ATTACK, loss="15000000"),
        report_at(now - timedelta(days=2), category="sextortion", urgency="critical",
                  province=FORMULA),
        report_at(now - timedelta(days=3), loss="250", currency="USD"),
    ]  # fmt: skip
    indicator_in(FORMULA, reports[:2], kind="url")
    indicator_in("-1+2", reports[:1], kind="account")
    campaign_of(reports[1:])
    db_session.commit()
    return reports


def test_figures_json_for_an_analyst(client_as: ClientAs, recent: list[Report]) -> None:
    answer = client_as("analyst").get("/api/v1/dashboard/figures", params={"days": "7"})
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"period", "category", "total_reports", *FIGURES}
    assert body["total_reports"] == 3
    assert len(body["per_day"]) == 7
    assert sum(count for _, count in body["per_day"]) == 3
    # As many reports in each currency: in the currencies' order.
    assert body["losses"] == [["USD", "250.00", 1], ["VND", "15000000.00", 1]]
    assert ["sextortion", 1] in body["per_category"]
    assert body["urgency"][0] == ["critical", 1]
    assert body["indicators"][0] == ["url", FORMULA, 2]
    assert sum(count for _, count in body["new_campaigns"]) == 1


def test_figures_json_of_one_category(client_as: ClientAs, recent: list[Report]) -> None:
    answer = client_as("analyst").get(
        "/api/v1/dashboard/figures", params={"days": "30", "category": "sextortion"}
    )
    assert answer.status_code == 200
    assert answer.json()["total_reports"] == 1
    assert answer.json()["category"] == "sextortion"


@pytest.mark.parametrize(
    "query",
    ["days=8", "from=2026-13-01", "from=2026-11-10&to=2026-11-01", "category=%3Cscript%3E"],
)
def test_unreadable_filters_are_refused(
    client_as: ClientAs, recent: list[Report], query: str
) -> None:
    analyst = client_as("analyst")
    assert analyst.get(f"/api/v1/dashboard/figures?{query}").status_code == 422
    assert analyst.get(f"/dashboard/per_day.csv?{query}").status_code == 422


def test_page_has_a_canvas_and_a_table_per_figure_and_escapes_values(
    client_as: ClientAs, recent: list[Report]
) -> None:
    response = client_as("supervisor").get("/dashboard", params={"days": "30", "lang": "en"})
    assert response.status_code == 200
    page = response.text
    assert page.count("<canvas ") == 7
    assert page.count("<details") == 8
    for name in FIGURES:
        assert f'href="/dashboard/{name}.csv?days=30"' in page
    assert ATTACK not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<script src="/static/vendor/chart.umd.min.js"></script>' in page
    assert '<script src="/static/workspace/dashboard.js"></script>' in page
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    # The data block is JSON that no value can break out of, and it reads back the same.
    block = re.search(
        r'<script type="application/json" id="dashboard-figures">(.*?)</script>', page, re.S
    )
    assert block is not None
    assert "<" not in block.group(1)
    figures = json.loads(block.group(1))
    assert [ATTACK, 1] in figures["provinces"]
    # Every script on the page is a file of tipline's or a data block: nothing inline runs.
    for tag in re.findall(r"<script[^>]*>", page):
        assert 'type="application/json"' in tag or 'src="/static/' in tag


def test_page_in_vietnamese_by_default(client_as: ClientAs, recent: list[Report]) -> None:
    page = client_as("analyst").get("/dashboard").text
    assert "Tin báo mỗi ngày" in page
    assert "Tải CSV" in page
    assert "<h1>Tổng quan</h1>" in page
    block = re.search(r'<script type="application/json" id="dashboard-labels">(.*?)</script>', page)
    assert block is not None
    kinds = json.loads(block.group(1))["kind"]  # the indicators chart's labels, not `phone`
    assert kinds["phone"] == "Số điện thoại"
    assert kinds["bank_account"] == "Tài khoản ngân hàng"


def test_phone_tables_name_each_column_and_values_read_as_people_write_them(
    client_as: ClientAs, recent: list[Report], indicator_in: IndicatorMaker, db_session: Session
) -> None:
    indicator_in("VCB:0451000123999", recent, kind="bank_account")
    indicator_in("tiktok:kiemtien.anh", recent[:2], kind="social")
    db_session.commit()
    page = client_as("analyst").get("/dashboard", params={"days": "7", "lang": "vi"}).text
    table = page.split('id="table-indicators"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td>([^<]*)</td>(.*?)</tr>", table)
    assert rows[0][0] == "Tài khoản ngân hàng"  # the first cell is the card's title
    assert '<td data-label="Giá trị">0451000123999 (Vietcombank)</td>' in rows[0][1]
    assert '<td data-label="Giá trị">TikTok: kiemtien.anh</td>' in table
    assert "VCB:" not in page
    assert "tiktok:" not in page
    per_day = page.split('id="table-per_day"')[1].split("</table>")[0]
    assert '<td data-label="Số lượng">' in per_day


def test_csv_has_a_bom_neutralised_formulas_and_an_audit_entry(
    client_as: ClientAs, recent: list[Report], db_session: Session
) -> None:
    answer = client_as("analyst").get("/dashboard/provinces.csv", params={"days": "7"})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"].startswith('attachment; filename="tipline-')
    assert answer.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0] == ["province", "count"]
    assert sorted(rows[1:]) == sorted([[ATTACK, "1"], ["'" + FORMULA, "1"], ["Hà Nội", "1"]])
    indicators = client_as("analyst").get("/dashboard/indicators.csv?days=7")
    rows = list(csv.reader(io.StringIO(indicators.content.decode("utf-8-sig"))))
    assert rows[1:] == [["url", "'" + FORMULA, "2"], ["account", "'-1+2", "1"]]
    entries = db_session.scalars(
        select(AuditEntry).where(AuditEntry.action == "dashboard.export")
    ).all()
    assert [(e.actor, e.target_id) for e in entries] == [
        ("analyst:lan", "provinces"), ("analyst:lan", "indicators"),
    ]  # fmt: skip


def test_losses_csv_keeps_exact_amounts(client_as: ClientAs, recent: list[Report]) -> None:
    answer = client_as("analyst").get("/dashboard/losses_by_category.csv?days=7")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0] == ["category", "currency", "total", "reports"]
    assert ["fraud.investment", "VND", str(Decimal("15000000.00")), "1"] in rows


def test_unknown_figure_is_not_found(client_as: ClientAs) -> None:
    assert client_as("analyst").get("/dashboard/narratives.csv").status_code == 404


@pytest.mark.parametrize("role", ["partner", "platform"])
@pytest.mark.parametrize(
    "path", ["/dashboard", "/dashboard/per_day.csv", "/api/v1/dashboard/figures"]
)
def test_partners_and_platforms_may_not_see_the_dashboard(
    client_as: ClientAs, role: str, path: str
) -> None:
    assert client_as(role).get(path).status_code == 403


def test_anonymous_callers_are_asked_to_sign_in(client: TestClient) -> None:
    assert client.get("/api/v1/dashboard/figures").status_code == 401
    answer = client.get("/dashboard/per_day.csv", follow_redirects=False)
    assert answer.status_code in (303, 401)


def test_page_with_an_unreadable_filter_says_so_and_shows_30_days(
    client_as: ClientAs, recent: list[Report]
) -> None:
    response = client_as("analyst").get("/dashboard?days=8&category=%3Cb%3E&lang=en")
    assert response.status_code == 422
    assert 'id="dashboard-error"' in response.text
    assert "<b>" not in response.text
    assert "3 reports." in response.text


def test_a_date_range_gives_its_days(client_as: ClientAs) -> None:
    analyst = client_as("analyst")
    body = analyst.get("/api/v1/dashboard/figures?from=2026-02-01&to=2026-03-02").json()
    assert body["period"] == {"first": "2026-02-01", "last": "2026-03-02"}
    assert len(body["per_day"]) == 30
    assert body["per_day"][0] == ["2026-02-01", 0]
    page = analyst.get("/dashboard?from=2026-02-01&to=2026-03-02").text
    assert 'href="/dashboard/per_day.csv?from=2026-02-01&amp;to=2026-03-02"' in page
    assert 'value="2026-02-01"' in page
