"""A campaign's name (set by an analyst, or suggested), its bridges, and marking one a hub: by
the page and by the API."""

from __future__ import annotations

import re
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.campaigns.test_routes import audit_actions, campaign_of_code
from tests.conftest import ClientAs, ReportMaker

from tipline.campaigns.models import CampaignHub
from tipline.indicators.models import IndicatorRecord

SHARED_LINK = "https://nhan-qua-tri-an.com/dang-ky"


def two_rings_and_a_link(make_report: ReportMaker) -> list[str]:
    """Ring A (a phone and an account), ring B (another phone and account), and a link that one
    report of each names: the link is the campaign's only bridge."""
    texts = [
        f"Số 0987 654 321 gọi, bắt chuyển vào Vietcombank 0123456789. Link: {SHARED_LINK}",
        "Tôi cũng bị số 0987 654 321 lừa, chuyển vào Vietcombank 0123456789 mất 5 triệu.",
        f"Người tự xưng nhân viên sàn, tài khoản ACB 55667788, số 0912 345 678. {SHARED_LINK}",
        "Số 0912 345 678 bảo nạp tiền vào ACB 55667788 để rút lãi, tôi mất 10 triệu.",
    ]
    return [make_report(text).code for text in texts]


def csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def link_id(session: Session) -> int:
    found = session.scalar(select(IndicatorRecord.id).where(IndicatorRecord.kind == "url"))
    assert found is not None
    return found


def domain_id(session: Session) -> int:
    found = session.scalar(select(IndicatorRecord.id).where(IndicatorRecord.kind == "domain"))
    assert found is not None
    return found


def test_the_page_shows_the_bridge_and_marking_it_a_hub_splits_the_campaign(
    client_as: ClientAs, make_report: ReportMaker, db_session: Session
) -> None:
    codes = two_rings_and_a_link(make_report)
    campaign = campaign_of_code(db_session, codes[0])
    assert campaign_of_code(db_session, codes[3]) == campaign
    analyst = client_as("analyst")
    page = analyst.get(f"/campaigns/{campaign}?lang=en").text
    bridges = page.split('id="campaign-bridges"')[1].split("</section>")[0]
    assert f"<code>{SHARED_LINK}</code>" in bridges
    assert "2 + 2" in bridges
    assert "0987" not in bridges  # each phone is held by its ring's account: no bridge
    # A screen reader's name for the button begins with the words it shows (WCAG 2.5.3), and
    # the graph's container has a role its label may name.
    names = re.findall(r'aria-label="([^"]*)">Mark as hub</button>', bridges)
    assert names
    assert all(name.startswith("Mark as hub: ") for name in names)
    assert "Mark as hub: 55667788 (ACB)" in names
    assert 'role="region" aria-label="Graph of reports and indicators"' in page
    answer = analyst.post(
        f"/campaigns/{campaign}/hubs",
        data={"csrf_token": csrf(page), "indicator_id": str(link_id(db_session))},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"].endswith("?split=2")
    first, second = campaign_of_code(db_session, codes[0]), campaign_of_code(db_session, codes[2])
    assert first != second
    assert campaign in (first, second)  # the identifier stays with one of the parts
    assert db_session.get(CampaignHub, link_id(db_session)) is not None
    assert db_session.get(CampaignHub, domain_id(db_session)) is not None  # named by the same
    shown = analyst.get(answer.headers["location"] + "&lang=en").text
    assert "now in 2 campaigns" in shown
    assert (
        "analyst:lan",
        "campaign.hub",
        str(campaign),
        {"indicator_id": link_id(db_session), "with": [domain_id(db_session)], "parts": [2, 2]},
    ) in audit_actions(db_session)


def test_the_api_names_a_campaign_and_suggests_one(
    client_as: ClientAs, make_report: ReportMaker, db_session: Session
) -> None:
    codes = two_rings_and_a_link(make_report)
    campaign = campaign_of_code(db_session, codes[0])
    api = client_as("analyst")
    detail = api.get(f"/api/v1/campaigns/{campaign}").json()
    assert detail["name"] is None
    assert " · " in detail["suggested_name"]
    assert detail["categories"].keys() & {detail["suggested_name"].split(" · ")[0]}
    bridges = detail["bridges"]
    # First the link (with its domain): it splits the campaign in halves. Then each ring's phone
    # and account, named by the same two reports: without them one report would stand alone.
    kinds = [sorted(i["kind"] for i in b["indicators"]) for b in bridges]
    assert kinds == [["domain", "url"], ["bank_account", "phone"], ["bank_account", "phone"]]
    assert [b["parts"] for b in bridges[1:]] == [[3, 1], [3, 1]]
    assert SHARED_LINK in [i["value"] for i in bridges[0]["indicators"]]
    assert bridges[0]["parts"] == [2, 2]
    assert bridges[0]["indicators"][0]["reports"] == 2
    named = api.patch(
        f"/api/v1/campaigns/{campaign}", json={"name": "  Sàn giả\u202e và\n số 0987 "}
    )
    assert named.status_code == 200
    assert named.json()["name"] == "Sàn giả và số 0987"
    listed = api.get("/api/v1/campaigns").json()["items"]
    assert [c["name"] for c in listed if c["uid"] == str(campaign)] == ["Sàn giả và số 0987"]
    page = api.get(f"/campaigns/{campaign}").text
    assert '<h1 id="campaign-name">Sàn giả và số 0987</h1>' in page
    assert api.patch(f"/api/v1/campaigns/{campaign}", json={"name": "x" * 121}).status_code == 422
    cleared = api.patch(f"/api/v1/campaigns/{campaign}", json={"name": "   "})
    assert cleared.json()["name"] is None
    assert ("analyst:lan", "campaign.rename", str(campaign), {"named": False}) in audit_actions(
        db_session
    )


def test_marking_a_hub_by_the_api_refuses_what_it_cannot_do(
    client_as: ClientAs, make_report: ReportMaker, db_session: Session
) -> None:
    codes = two_rings_and_a_link(make_report)
    other = make_report("Một báo cáo khác: số 0901 111 222 gọi lừa, số 0901 111 222 lại gọi.")
    campaign = campaign_of_code(db_session, codes[0])
    api = client_as("analyst")
    foreign = db_session.scalar(
        select(IndicatorRecord.id).where(IndicatorRecord.value.like("%901111222%"))
    )
    assert foreign is not None
    assert other.code
    path = f"/api/v1/campaigns/{campaign}/hubs"
    assert api.post(path, json={"indicator_id": foreign}).status_code == 404
    marked = api.post(path, json={"indicator_id": link_id(db_session)})
    assert marked.status_code == 200
    parts = [UUID(uid) for uid in marked.json()["campaigns"]]
    assert len(parts) == 2
    again = api.post(f"/api/v1/campaigns/{parts[0]}/hubs", json={"indicator_id": 10**12})
    assert again.status_code == 404
    assert client_as("partner").post(path, json={"indicator_id": 1}).status_code == 403
