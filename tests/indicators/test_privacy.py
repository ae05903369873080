"""The public check never tells on a victim: a reporter's own contact is answered as if nobody
had reported it, one report gives no category nor dates, and child exploitation and sextortion
are never shown for an unconfirmed value; on the check page, the API, the bulk check and the
API's documentation alike."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from tests.conftest import ClientAs, ReportMaker
from tests.principals import staff

from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.reports.models import Report
from tipline.workspace.service import review_indicator

CHILD = (
    "Em 13 tuổi. Có người trên mạng dọa tung ảnh của em. Email của em là be.lan2012@gmail.com,"
    " số của em 0987 123 456. Nó nhắn từ zalo 0911 222 333."
)
CHILD_UNMARKED = "em bi doa. sdt cua em: 0977888999, nick cua no la 0966555444"
ENGLISH = "He threatened me. My number is 0905 111 222, he used +84 935 777 888."
VICTIMS = ["be.lan2012@gmail.com", "0987123456", "0977888999", "0905111222"]
SEXTORTION = "Nó nhắn từ số 0933 444 555, dọa tung video nếu không chuyển tiền"
MARKED = "Người này gọi cho tôi từ 0944 555 666"


def categorise(session: Session, code: str, category: str) -> int:
    report_id = session.scalar(select(Report.id).where(Report.code == code))
    assert report_id is not None
    session.execute(update(Report).where(Report.id == report_id).values(category=category))
    session.commit()
    return report_id


@pytest.fixture
def seeded(db_session: Session, make_report: ReportMaker) -> None:
    categorise(db_session, make_report(CHILD, anonymous=True).code, "child_exploitation")
    categorise(db_session, make_report(CHILD_UNMARKED).code, "child_exploitation")
    categorise(db_session, make_report(ENGLISH).code, "sextortion")
    for _ in range(2):
        categorise(db_session, make_report(SEXTORTION).code, "sextortion")
    marked = categorise(db_session, make_report(MARKED).code, "fraud.impersonation")
    indicator = db_session.scalar(
        select(IndicatorRecord.id).where(IndicatorRecord.value == "+84944555666")
    )
    assert indicator is not None
    review_indicator(db_session, staff("analyst:lan"), marked, indicator, "victim")


def unreported(body: dict[str, Any]) -> bool:
    shown = (body["verdict"], body["report_count"], body["categories"], body["first_seen"])
    return shown == ("not_reported", 0, {}, None)


@pytest.mark.usefixtures("seeded")
def test_the_reporters_own_contacts_are_answered_as_never_reported(client: TestClient) -> None:
    for value in [*VICTIMS, "0944555666"]:
        assert unreported(client.get("/api/v1/check", params={"value": value}).json()), value
    bulk = client.post("/api/v1/check/bulk", json={"values": [*VICTIMS, "0944555666"]}).json()
    assert [unreported(result) for result in bulk["results"]] == [True] * 5


@pytest.mark.usefixtures("seeded")
def test_the_check_page_says_no_reports_for_a_victims_contact(client: TestClient) -> None:
    for value in VICTIMS:
        page = client.get("/check", params={"value": value, "lang": "en"}).text
        assert "No reports" in page
        assert "Reported (not yet confirmed)" not in page
        assert "child_exploitation" not in page


@pytest.mark.usefixtures("seeded")
def test_a_scammer_one_report_names_is_reported_without_category_or_dates(
    client: TestClient,
) -> None:
    for value in ("0911222333", "0966555444", "0935777888"):
        body = client.get("/api/v1/check", params={"value": value}).json()
        assert (body["verdict"], body["report_count"], body["categories"]) == ("reported", 1, {})
        assert (body["first_seen"], body["last_seen"]) == (None, None)
        page = client.get("/check", params={"value": value, "lang": "en"}).text
        assert "Reported (not yet confirmed)" in page
        assert "child_exploitation" not in page
        assert "sextortion" not in page


@pytest.mark.usefixtures("seeded")
def test_sextortion_is_never_shown_for_an_unconfirmed_value(
    client: TestClient, db_session: Session
) -> None:
    body = client.get("/api/v1/check", params={"value": "0933444555"}).json()
    assert (body["verdict"], body["report_count"], body["categories"]) == ("reported", 2, {})
    assert body["first_seen"] is not None
    bulk = client.post("/api/v1/check/bulk", json={"values": ["0933444555"]}).json()
    assert bulk["results"][0]["categories"] == {}
    db_session.execute(
        update(ReportIndicator)
        .where(
            ReportIndicator.indicator_id
            == select(IndicatorRecord.id)
            .where(IndicatorRecord.value == "+84933444555")
            .scalar_subquery()
        )
        .values(confirmed=True)
    )
    db_session.commit()
    confirmed = client.get("/api/v1/check", params={"value": "0933444555"}).json()
    assert (confirmed["confirmed"], confirmed["categories"]) == (True, {"sextortion": 2})


@pytest.mark.usefixtures("seeded")
def test_the_api_documentation_shows_none_of_it(client: TestClient) -> None:
    docs = client.get("/api/v1/openapi.json").text
    for value in [*VICTIMS, "+84987123456", "0911222333", "+84911222333", "0933444555"]:
        assert value not in docs


def test_an_analyst_marks_a_value_as_the_victims_own(
    client_as: ClientAs, client: TestClient, db_session: Session, make_report: ReportMaker
) -> None:
    report = categorise(db_session, make_report(MARKED).code, "fraud.impersonation")
    make_report(MARKED)  # a second report: the value is reported with its category
    before = client.get("/api/v1/check", params={"value": "0944555666"}).json()
    assert (before["report_count"], before["first_seen"] is None) == (2, False)
    analyst = client_as("analyst")
    page = analyst.get(f"/reports/{report}").text
    assert 'name="decision" value="victim"' in page
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    indicator = db_session.scalar(
        select(IndicatorRecord.id).where(IndicatorRecord.value == "+84944555666")
    )
    marked = analyst.post(
        f"/reports/{report}/indicators/{indicator}",
        data={"decision": "victim", "csrf_token": token},
        follow_redirects=False,
    )
    assert marked.status_code == 303
    after = client.get("/api/v1/check", params={"value": "0944555666"}).json()
    assert (after["verdict"], after["report_count"], after["categories"]) == ("reported", 1, {})
    assert 'class="review-victim">+84944555666' in analyst.get(f"/reports/{report}").text


def test_the_api_marks_a_value_as_the_victims_own(
    client_as: ClientAs, client: TestClient, db_session: Session, make_report: ReportMaker
) -> None:
    report = categorise(db_session, make_report(MARKED).code, "fraud.impersonation")
    indicator = db_session.scalar(
        select(IndicatorRecord.id).where(IndicatorRecord.value == "+84944555666")
    )
    path = f"/api/v1/reports/{report}/indicators/{indicator}/review"
    marked = client_as("analyst").put(path, json={"decision": "victim"})
    assert marked.status_code == 200
    view = client_as("analyst").get(f"/api/v1/reports/{report}/view").json()
    assert [i["review"] for i in view["indicators"] if i["indicator_id"] == indicator] == ["victim"]
    assert unreported(client.get("/api/v1/check", params={"value": "0944555666"}).json())
