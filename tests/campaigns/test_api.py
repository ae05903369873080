"""The campaigns API (/api/v1/campaigns): the list, one campaign, losses summed by currency."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.campaigns.test_routes import audit_actions, campaign_of_code, ring
from tests.conftest import ClientAs, ReportMaker

API = "/api/v1/campaigns"


def test_campaign_list_with_figures_and_losses_by_currency(
    client_as: ClientAs, make_report: ReportMaker, db_session: Session
) -> None:
    big = ring(make_report, 3, loss_amount=Decimal("1000.50"), loss_currency="VND")
    make_report("Kẻ gian gọi từ số 0987 654 321, mất 20 USD", loss_amount=20, loss_currency="USD")
    small = ring(make_report, 2, phone="0912 345 678")
    make_report("Một báo cáo không liên quan, không có số nào.")
    response = client_as("analyst").get(API)
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["sort"], body["next_cursor"], body["previous_cursor"]) == (
        2,
        "largest",
        None,
        None,
    )
    first, second = body["items"]
    assert (first["uid"], first["reports"], first["victims"]) == (
        str(campaign_of_code(db_session, big[0])),
        4,
        4,
    )
    assert first["losses"] == [
        {"currency": "USD", "amount": "20.00"},
        {"currency": "VND", "amount": "3001.50"},
    ]
    assert (second["uid"], second["losses"]) == (str(campaign_of_code(db_session, small[0])), [])
    newest = client_as("analyst").get(API, params={"sort": "newest"}).json()["items"]
    assert [c["uid"] for c in newest] == [second["uid"], first["uid"]]
    assert audit_actions(db_session)[-1][1] == "campaign.list"


@pytest.mark.parametrize("sort", ["largest", "newest"])
def test_the_list_walks_by_keyset_pages_both_ways(
    client_as: ClientAs, make_report: ReportMaker, db_session: Session, sort: str
) -> None:
    phones = ["0912 000 001", "0912 000 002", "0912 000 003", "0912 000 004", "0912 000 005"]
    for size, phone in zip((2, 4, 3, 2, 5), phones, strict=True):  # two of two reports
        ring(make_report, size, phone=phone)
    analyst = client_as("analyst")
    everything = analyst.get(API, params={"sort": sort}).json()
    order = [c["uid"] for c in everything["items"]]
    assert len(order) == everything["total"] == 5
    if sort == "largest":
        assert [c["reports"] for c in everything["items"]] == [5, 4, 3, 2, 2]
    pages, cursor = [], None
    while True:
        page = analyst.get(API, params={"sort": sort, "limit": 2, "cursor": cursor}).json()
        pages.append([c["uid"] for c in page["items"]])
        assert page["total"] == 5
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == [order[0:2], order[2:4], order[4:5]]
    back = analyst.get(API, params={"sort": sort, "limit": 2, "cursor": page["previous_cursor"]})
    assert [c["uid"] for c in back.json()["items"]] == order[2:4]
    assert back.json()["previous_cursor"] is not None
    first = analyst.get(
        API, params={"sort": sort, "limit": 2, "cursor": back.json()["previous_cursor"]}
    ).json()
    assert ([c["uid"] for c in first["items"]], first["previous_cursor"]) == (order[0:2], None)


def test_the_campaigns_page_links_its_keyset_pages(
    client_as: ClientAs, make_report: ReportMaker, db_session: Session
) -> None:
    ring(make_report, 2)
    page = client_as("analyst").get("/campaigns?sort=newest").text
    assert 'rel="next"' not in page  # one campaign: one page
    assert client_as("analyst").get("/campaigns?cursor=xyz").status_code == 422


def test_openapi_documents_the_keyset_pages(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    listing = spec["paths"][API]["get"]
    assert {"sort", "cursor", "limit"} <= {p["name"] for p in listing["parameters"]}
    page = spec["components"]["schemas"]["CampaignPageRead"]["properties"]
    assert {"next_cursor", "previous_cursor", "total"} <= set(page)
    assert "page" not in page


def test_one_campaign_with_its_reports_and_indicators(
    client_as: ClientAs, make_report: ReportMaker, db_session: Session
) -> None:
    codes = ring(make_report, 3, loss_amount=Decimal(500), loss_currency="VND")
    campaign_id = campaign_of_code(db_session, codes[0])
    response = client_as("supervisor").get(f"{API}/{campaign_id}")
    assert response.status_code == 200
    body = response.json()
    assert (body["uid"], body["reports"], body["page"], body["pages"]) == (
        str(campaign_id),
        3,
        1,
        1,
    )
    assert [r["code"] for r in body["report_list"]] == codes[::-1]  # newest first
    assert body["report_list"][0]["excerpt"].startswith("Kẻ gian gọi từ số 0987 654 321")
    phone = next(i for i in body["indicators"] if i["kind"] == "phone")
    assert (phone["value"], phone["reports"], phone["hub"]) == ("+84987654321", 3, False)
    assert body["losses"] == [{"currency": "VND", "amount": "1500.00"}]
    assert audit_actions(db_session)[-1][1:3] == ("campaign.view", str(campaign_id))


# A fixed uid that no campaign has: parametrised ids must be the same in every xdist worker.
UNKNOWN_UID = "00000000-0000-4000-8000-000000000000"


@pytest.mark.parametrize(
    ("path", "status", "field"),
    [
        (f"{API}/{UNKNOWN_UID}", 404, "uid"),
        (f"{API}/{UNKNOWN_UID}/graph", 404, "uid"),
        (f"{API}/{2**63}", 404, "uid"),  # no campaign's address: not found, not invalid
        (f"{API}/not-a-uuid/graph", 404, "uid"),
        (f"{API}?sort=oldest", 422, "sort"),
        (f"{API}?limit=0", 422, "limit"),
        (f"{API}?cursor=xyz", 422, "cursor"),
        (f"{API}?cursor=YWZ0ZXI6MQ", 422, "cursor"),  # a one-number key: not a campaign's
    ],
)
def test_bad_requests_name_the_field(
    client_as: ClientAs, path: str, status: int, field: str
) -> None:
    response = client_as("analyst").get(path)
    assert (response.status_code, response.json()["error"]["field"]) == (status, field)


def test_only_staff_read_campaigns(
    client: TestClient, client_as: ClientAs, make_report: ReportMaker, db_session: Session
) -> None:
    codes = ring(make_report, 2)
    campaign_id = campaign_of_code(db_session, codes[0])
    for who, status in ((client, 401), (client_as("partner"), 403), (client_as("platform"), 403)):
        for path in (API, f"{API}/{campaign_id}", f"{API}/{campaign_id}/graph"):
            response = who.get(path)
            assert response.status_code == status
            assert "Kẻ gian" not in response.text


def test_openapi_documents_the_campaigns_api(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path, schema in (
        (API, "CampaignPageRead"),
        (API + "/{uid}", "CampaignDetail"),
        (API + "/{uid}/graph", "CampaignGraphRead"),
    ):
        responses = paths[path]["get"]["responses"]
        assert responses["200"]["content"]["application/json"]["schema"]["$ref"].endswith(schema)
        assert {"401", "403", "422"} <= set(responses)
