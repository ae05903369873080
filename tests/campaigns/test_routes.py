"""The campaign pages and the graph API, as staff (and others) see them."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.conftest import ClientAs, ReportMaker
from tests.principals import staff

from tipline.audit.models import AuditEntry
from tipline.campaigns import repository
from tipline.campaigns.models import CampaignHub
from tipline.campaigns.service import graph_of_campaign
from tipline.db_types import utc_now
from tipline.indicators.models import IndicatorRecord

PHONE = "0987 654 321"
SCRIPT = "<script>alert('xss')</script>"


def ring(make_report: ReportMaker, size: int, phone: str = PHONE, **fields: object) -> list[str]:
    """`size` reports naming one phone; returns their tracking codes."""
    codes = []
    for k in range(size):
        text = f"Kẻ gian gọi từ số {phone} bắt chuyển tiền lần {k}. {SCRIPT}"
        codes.append(make_report(text, **fields).code)
    return codes


def label_of_code(session: Session, code: str) -> int:
    """The internal label of a report's campaign (the smallest report id)."""
    from tipline.reports.models import Report

    report_id = session.scalar(select(Report.id).where(Report.code == code))
    assert report_id is not None
    campaign = repository.campaign_of(session, report_id)
    assert campaign is not None
    return campaign


def campaign_of_code(session: Session, code: str) -> UUID:
    """The stable identifier of a report's campaign."""
    label = label_of_code(session, code)
    return repository.uids_of(session, [label])[label]


def audit_actions(session: Session) -> list[tuple[str, str, str, dict[str, object]]]:
    entries = session.scalars(select(AuditEntry).order_by(AuditEntry.sequence))
    return [(e.actor, e.action, e.target_id, json.loads(e.details_json)) for e in entries]


def test_campaign_list_shows_linked_campaigns_largest_first(
    client_as: ClientAs, make_report: ReportMaker, db_session: Session
) -> None:
    big = ring(make_report, 3, loss_amount=Decimal(1000), loss_currency="VND")
    small = ring(make_report, 2, phone="0912 345 678")
    make_report("Một báo cáo không liên quan, không có số nào.")
    page = client_as("analyst").get("/campaigns")
    assert page.status_code == 200
    rows = re.findall(r'<a href="/campaigns/([0-9a-f-]{36})">', page.text)
    assert rows == [
        str(campaign_of_code(db_session, big[0])),
        str(campaign_of_code(db_session, small[0])),
    ]
    assert "3.000\xa0₫" in page.text
    newest = client_as("analyst").get("/campaigns?sort=newest")
    assert re.findall(r'<a href="/campaigns/([0-9a-f-]{36})">', newest.text) == rows[::-1]
    assert client_as("analyst").get("/campaigns?sort=worst").status_code == 422
    assert (
        "analyst:lan",
        "campaign.list",
        "*",
        {"sort": "largest", "cursor": None},
    ) in audit_actions(db_session)


def test_campaign_page_sums_and_escapes(
    client_as: ClientAs, make_report: ReportMaker, db_session: Session
) -> None:
    codes = ring(make_report, 2, loss_amount=Decimal(500), loss_currency="VND", contact="a@x.vn")
    codes += ring(make_report, 1, loss_amount=Decimal(20), loss_currency="USD", contact="A@x.vn ")
    codes += ring(make_report, 1)
    campaign = campaign_of_code(db_session, codes[0])
    page = client_as("analyst").get(f"/campaigns/{campaign}?lang=en")
    assert page.status_code == 200
    text = page.text
    assert re.search(r'id="campaign-reports">4<', text)
    assert re.search(r'id="campaign-victims">2<', text)  # one contact (twice) + one without
    assert "₫1,000" in text
    assert "$20.00" in text
    assert f'href="/cases/add?campaign={campaign}"' in text  # by its stable identifier
    assert f'data-campaign-id="{campaign}"' in text
    assert SCRIPT not in text
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in text
    assert all(f"<code>{code}</code></a>" in text for code in codes)
    assert re.findall(r'href="/reports/(\d+)"', text)
    # Scripts come from tipline only, never inline.
    assert re.findall(r"<script[^>]*>", text) == [
        '<script src="/static/vendor/cytoscape.min.js">',
        '<script src="/static/workspace/campaign-graph.js">',
    ]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert ("analyst:lan", "campaign.view", str(campaign), {"reports": 4}) in audit_actions(
        db_session
    )


def test_hub_indicators_are_flagged(
    client_as: ClientAs, make_report: ReportMaker, db_session: Session
) -> None:
    codes = ring(make_report, 2)
    campaign = campaign_of_code(db_session, codes[0])
    phone = db_session.scalar(select(IndicatorRecord).where(IndicatorRecord.kind == "phone"))
    assert phone is not None
    db_session.add(CampaignHub(indicator_id=phone.id, report_count=2, flagged_at=utc_now()))
    db_session.flush()
    text = client_as("analyst").get(f"/campaigns/{campaign}?lang=en").text
    assert re.search(r"<tr class=\"campaigns-hub\">\s*<td>Phone number</td>", text)
    graph = client_as("analyst").get(f"/api/v1/campaigns/{campaign}/graph").json()
    hubs = [n for n in graph["nodes"] if n["hub"]]
    assert [n["id"] for n in hubs] == [f"i{phone.id}"]


def test_graph_json_shape(
    client_as: ClientAs, make_report: ReportMaker, db_session: Session
) -> None:
    codes = ring(make_report, 3)
    campaign = campaign_of_code(db_session, codes[0])
    answer = client_as("supervisor").get(f"/api/v1/campaigns/{campaign}/graph")
    assert answer.status_code == 200
    graph = answer.json()
    assert graph["uid"] == str(campaign)
    assert graph["truncated"] is False
    reports = [n for n in graph["nodes"] if n["kind"] == "report"]
    indicators = [n for n in graph["nodes"] if n["kind"] == "indicator"]
    assert sorted(n["label"] for n in reports) == sorted(codes)
    assert all(n["href"] == f"/reports/{n['id'][1:]}" for n in reports)
    # Narrative text travels as JSON data (the graph draws it as text), never as markup.
    assert all(n["excerpt"].endswith(SCRIPT) for n in reports)
    assert "+84987654321" in {n["label"] for n in indicators}
    ids = {n["id"] for n in graph["nodes"]}
    assert len(ids) == len(graph["nodes"]) == graph["total_nodes"]
    assert all(e["source"] in ids and e["target"] in ids for e in graph["edges"])
    assert all(e["source"].startswith("r") and e["target"].startswith("i") for e in graph["edges"])
    assert len(graph["edges"]) == graph["total_edges"] >= 3
    assert ("supervisor:lan", "campaign.graph", str(campaign)) in [
        a[:3] for a in audit_actions(db_session)
    ]


def test_graph_is_capped_with_a_note(make_report: ReportMaker, db_session: Session) -> None:
    codes = ring(make_report, 4)
    campaign = campaign_of_code(db_session, codes[0])
    graph = graph_of_campaign(db_session, staff("analyst:lan"), campaign, cap=3)
    assert graph.truncated is True
    assert [n.kind for n in graph.nodes] == ["report"] * 3
    assert graph.total_nodes > 3
    assert graph.edges == []


def test_unknown_campaign_is_not_found(client_as: ClientAs) -> None:
    analyst = client_as("analyst")
    assert analyst.get(f"/campaigns/{uuid4()}").status_code == 404
    assert analyst.get(f"/api/v1/campaigns/{uuid4()}/graph").status_code == 404
    # A number (a label typed as an address) is no campaign: not found, never "invalid".
    page = analyst.get("/campaigns/37", headers={"accept": "text/html"})
    assert page.status_code == 404
    assert '<body class="workspace">' in page.text  # the workspace's layout
    assert 'id="error-message"' in page.text
    api = analyst.get("/api/v1/campaigns/37")
    assert api.status_code == 404
    assert (api.json()["error"]["code"], api.json()["error"]["field"]) == ("not_found", "uid")
    assert analyst.get("/api/v1/campaigns/not-a-uuid/graph").status_code == 404


@pytest.mark.parametrize("role", ["platform", "partner"])
def test_other_roles_are_refused(
    role: str, client_as: ClientAs, make_report: ReportMaker, db_session: Session
) -> None:
    campaign = campaign_of_code(db_session, ring(make_report, 2)[0])
    outsider = client_as(role)
    for path in ("/campaigns", f"/campaigns/{campaign}", f"/api/v1/campaigns/{campaign}/graph"):
        assert outsider.get(path).status_code == 403, path


def test_anonymous_is_refused(client: object) -> None:
    from fastapi.testclient import TestClient

    assert isinstance(client, TestClient)
    assert client.get(f"/api/v1/campaigns/{uuid4()}/graph").status_code == 401


def test_an_account_linking_a_campaign_is_shown_as_its_digits_and_bank(
    client_as: ClientAs, make_report: ReportMaker, db_session: Session
) -> None:
    codes = [
        make_report(f"Tôi chuyển tiền vào tài khoản VIB 77098135723 lần {k}.").code
        for k in range(2)
    ]
    campaign = campaign_of_code(db_session, codes[0])
    text = client_as("analyst").get(f"/campaigns/{campaign}?lang=en").text
    assert "<code>77098135723 (VIB)</code>" in text
    assert "VIB:77098135723" not in text  # nor in the suggested name, nor the hub button
