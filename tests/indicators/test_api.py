"""The indicators API (/api/v1/indicators): a list by kind and source, and one indicator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tipline.indicators.models import IndicatorRecord
from tipline.indicators.service import import_feed

ClientAs = Callable[..., TestClient]
ReportMaker = Callable[..., Any]
API = "/api/v1/indicators"
FEED = b"lua-dao-a.com\nlua-dao-b.com\nlua-dao-c.com\n"


def all_pages(client: TestClient, **params: Any) -> tuple[list[dict[str, Any]], int]:
    items: list[dict[str, Any]] = []
    cursor, pages = None, 0
    while True:
        response = client.get(API, params={**params, "cursor": cursor})
        assert response.status_code == 200, response.text
        items += response.json()["items"]
        pages += 1
        if (cursor := response.json()["next_cursor"]) is None:
            return items, pages


def stored_ids(session: Session) -> list[int]:
    return list(session.scalars(select(IndicatorRecord.id).order_by(IndicatorRecord.id)))


def test_indicators_come_in_keyset_pages_without_loss_or_repeat(
    client_as: ClientAs, db_session: Session, make_report: ReportMaker
) -> None:
    for phone in range(11):
        make_report(f"Kẻ lừa đảo gọi từ số 09123456{phone:02d} đòi chuyển tiền")
    import_feed(db_session, FEED, "TestFeed", "fraud.shopping")
    items, pages = all_pages(client_as("analyst"), limit=4)
    assert [item["id"] for item in items] == stored_ids(db_session)
    assert pages == -(-len(items) // 4)
    assert len(items) >= 14


def test_indicators_by_kind_and_source(
    client_as: ClientAs, db_session: Session, make_report: ReportMaker
) -> None:
    make_report("Gọi từ số 0912345678, web lua-dao-a.com")
    import_feed(db_session, FEED, "TestFeed", "fraud.shopping")
    analyst = client_as("analyst")
    feed_listed, _ = all_pages(analyst, source="TestFeed")
    assert sorted(i["value"] for i in feed_listed) == ["lua-dao-a.com", "lua-dao-b.com",
                                                       "lua-dao-c.com"]  # fmt: skip
    reported, _ = all_pages(analyst, source="reports", kind="domain")
    assert [(i["value"], i["report_count"]) for i in reported] == [("lua-dao-a.com", 1)]
    phones, _ = all_pages(analyst, kind="phone")
    assert [i["value"] for i in phones] == ["+84912345678"]
    assert all_pages(analyst, source="NoSuchFeed")[0] == []


def test_one_indicator_with_its_reports_and_sightings(
    client_as: ClientAs, db_session: Session, make_report: ReportMaker
) -> None:
    first = make_report("Trang lua-dao-a.com lấy mật khẩu của tôi")
    second = make_report("Tôi cũng bị lừa ở lua-dao-a.com")
    import_feed(db_session, FEED, "TestFeed", "fraud.shopping")
    indicator_id = db_session.scalar(
        select(IndicatorRecord.id).where(IndicatorRecord.value == "lua-dao-a.com")
    )
    response = client_as("supervisor").get(f"{API}/{indicator_id}")
    assert response.status_code == 200
    body = response.json()
    assert (body["kind"], body["value"], body["reports_total"]) == ("domain", "lua-dao-a.com", 2)
    assert [r["code"] for r in body["reports"]] == [second.code, first.code]  # newest first
    assert [(s["source"], s["category"]) for s in body["sightings"]] == [
        ("TestFeed", "fraud.shopping")
    ]


def test_an_indicators_reports_come_by_keyset_pages(
    client_as: ClientAs, make_report: ReportMaker
) -> None:
    codes = [make_report(f"Lần {n}: trang lua-dao-b.com lấy tiền của tôi").code for n in range(5)]
    analyst = client_as("analyst")
    listed = analyst.get(API, params={"kind": "domain"}).json()["items"]
    indicator_id = next(i["id"] for i in listed if i["value"] == "lua-dao-b.com")
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        body = analyst.get(f"{API}/{indicator_id}", params=params).json()
        assert body["reports_total"] == 5
        seen.append([r["code"] for r in body["reports"]])
        cursor = body["next_cursor"]
        if cursor is None:
            break
    newest_first = codes[::-1]
    assert seen == [newest_first[0:2], newest_first[2:4], newest_first[4:]]
    bad = analyst.get(f"{API}/{indicator_id}", params={"cursor": "xyz"})
    assert (bad.status_code, bad.json()["error"]["field"]) == (422, "cursor")
    spec = analyst.get("/api/v1/openapi.json").json()
    detail = spec["paths"]["/api/v1/indicators/{indicator_id}"]["get"]
    assert {"cursor", "limit"} <= {p["name"] for p in detail["parameters"]}
    assert "next_cursor" in spec["components"]["schemas"]["IndicatorDetail"]["properties"]


@pytest.mark.parametrize(
    ("path", "status", "field"),
    [
        (f"{API}/{2**63 - 1}", 404, "indicator_id"),
        (f"{API}/{2**63}", 422, "indicator_id"),
        (f"{API}/0", 422, "indicator_id"),
        (f"{API}?kind=fax", 422, "kind"),
        (f"{API}?limit=0", 422, "limit"),
        (f"{API}?cursor=xyz", 422, "cursor"),
    ],
)
def test_bad_requests_name_the_field(
    client_as: ClientAs, path: str, status: int, field: str
) -> None:
    response = client_as("analyst").get(path)
    assert (response.status_code, response.json()["error"]["field"]) == (status, field)


def test_only_staff_browse_indicators(
    client: TestClient, client_as: ClientAs, make_report: ReportMaker
) -> None:
    make_report("Gọi từ số 0912345678")
    for who, status in ((client, 401), (client_as("partner"), 403), (client_as("platform"), 403)):
        for path in (API, f"{API}/1"):
            response = who.get(path)
            assert response.status_code == status
            assert "0912345678" not in response.text
    # The check stays open to anyone.
    assert client.get("/api/v1/check", params={"value": "0912345678"}).status_code == 200


def test_openapi_documents_the_indicators_api(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path, schema in ((API, "IndicatorPageRead"), (API + "/{indicator_id}", "IndicatorDetail")):
        responses = paths[path]["get"]["responses"]
        assert responses["200"]["content"]["application/json"]["schema"]["$ref"].endswith(schema)
        assert {"401", "403", "422"} <= set(responses)
    assert "/api/v1/check" in paths
    assert "/api/v1/check/bulk" in paths
