"""A case names its campaigns by their stable identifier: after a merge and after a split it is
still linked to the right campaign, by the service, the API and the page."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.campaigns.test_ids import P0, P1, P2, P3, linked, uid
from tests.campaigns.test_incremental import store_report
from tests.conftest import ClientAs
from tests.principals import staff

from tipline.campaigns.service import link_new_reports, rebuild_campaigns
from tipline.cases import service
from tipline.errors import Conflict, NotFound
from tipline.reports.models import Report

LEAD = staff("analyst:lan")


def codes(session: Session, report_ids: list[int]) -> list[str]:
    stmt = select(Report.code).where(Report.id.in_(report_ids)).order_by(Report.id)
    return list(session.scalars(stmt))


def case_with(session: Session, *uids: UUID) -> int:
    return service.create_case(session, LEAD, "Chiến dịch", campaign_uids=uids).id


def test_a_case_follows_its_campaign_through_a_merge(
    db_session: Session, client_as: ClientAs
) -> None:
    older = [linked(db_session, P2) for _ in range(2)]
    larger = [linked(db_session, P1) for _ in range(3)]
    retired, kept = uid(db_session, older[0]), uid(db_session, larger[0])
    by_retired, by_kept = case_with(db_session, retired), case_with(db_session, kept)
    bridge = linked(db_session, P1, P2)  # merges the two: the larger one's identifier survives
    assert uid(db_session, bridge) == kept
    everyone = sorted([*older, *larger, bridge])

    view = service.view_case(db_session, by_retired, LEAD)
    [campaign] = view.campaigns
    assert (campaign.linked_uid, campaign.merged) == (retired, True)
    assert campaign.current is not None
    assert campaign.current.uid == kept
    assert sorted(m.id for m in campaign.reports) == everyone
    client = client_as("analyst")
    for case_id, linked_by in ((by_retired, retired), (by_kept, kept)):
        body = client.get(f"/api/v1/cases/{case_id}").json()
        assert body["campaigns"] == [
            {
                "campaign_uid": str(linked_by),
                "current_campaign_uid": str(kept),
                "report_count": len(everyone),
                "report_ids": everyone,
            }
        ]
        page = client.get(f"/cases/{case_id}").text
        assert f'href="/campaigns/{kept}"' in page
        assert all(code in page for code in codes(db_session, everyone))
        assert ("cases-merged" in page) == (linked_by == retired)
    # The campaign is in the case already, by whichever identifier it is named.
    with pytest.raises(Conflict):
        service.add_campaign(db_session, by_retired, kept, LEAD)
    # Taken out by the identifier that names it now, the link made by the retired one goes.
    assert client.delete(f"/api/v1/cases/{by_retired}/campaigns/{kept}").status_code == 204
    assert service.view_case(db_session, by_retired, LEAD).campaigns == []


def test_a_case_follows_its_campaign_through_a_split(
    db_session: Session, client_as: ClientAs
) -> None:
    ones = [linked(db_session, P0, P1, threshold=5) for _ in range(2)]
    threes = [linked(db_session, P0, P3, threshold=5) for _ in range(3)]
    joined = uid(db_session, ones[0])
    case_id = case_with(db_session, joined)
    linked(db_session, P0, threshold=5)  # P0 names 6 > 5 reports: a hub, the campaign splits
    assert uid(db_session, threes[0]) == joined != uid(db_session, ones[0])

    def shown() -> None:
        [campaign] = service.view_case(db_session, case_id, LEAD).campaigns
        assert (campaign.linked_uid, campaign.merged) == (joined, False)
        assert sorted(m.id for m in campaign.reports) == threes
        body = client_as("analyst").get(f"/api/v1/cases/{case_id}").json()
        [read] = body["campaigns"]
        assert (read["current_campaign_uid"], read["report_ids"]) == (str(joined), threes)
        page = client_as("analyst").get(f"/cases/{case_id}").text
        assert f'href="/campaigns/{joined}"' in page
        assert all(code in page for code in codes(db_session, threes))
        assert not any(code in page for code in codes(db_session, ones))

    shown()
    rebuild_campaigns(db_session, hub_threshold=5)  # a rebuild keeps every identifier
    shown()


def test_a_case_adds_a_campaign_by_a_retired_identifier_as_the_campaign_now(
    db_session: Session, client_as: ClientAs
) -> None:
    older = [linked(db_session, P2) for _ in range(2)]
    larger = [linked(db_session, P1) for _ in range(3)]
    retired, kept = uid(db_session, older[0]), uid(db_session, larger[0])
    linked(db_session, P1, P2)
    client = client_as("analyst")
    case_id = client.post("/api/v1/cases", json={"title": "x"}).json()["id"]
    added = client.post(f"/api/v1/cases/{case_id}/campaigns", json={"campaign_uid": str(retired)})
    assert added.status_code == 200
    [read] = client.get(f"/api/v1/cases/{case_id}").json()["campaigns"]
    assert read["campaign_uid"] == read["current_campaign_uid"] == str(kept)
    page = client.get(f"/cases/add?campaign={retired}").text
    assert f'name="campaign_uid" value="{kept}"' in page


def test_a_lone_report_or_an_unknown_identifier_is_no_campaign_to_add(
    db_session: Session,
) -> None:
    lone = store_report(db_session, P3)
    link_new_reports(db_session, [lone], hub_threshold=10)
    with pytest.raises(NotFound):
        case_with(db_session, UUID("00000000-0000-4000-8000-000000000001"))


def test_the_case_page_says_why_a_campaign_cannot_be_added(
    db_session: Session, client_as: ClientAs, new_report: Any
) -> None:
    client = client_as("analyst", "an")
    client.cookies.set("tipline_lang", "en")
    case_id = client.post("/api/v1/cases", json={"title": "x"}).json()["id"]
    page = client.get(f"/cases/{case_id}").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    unknown = client.post(
        f"/cases/{case_id}/campaigns",
        data={"csrf_token": token, "campaign_uid": "00000000-0000-4000-8000-000000000001"},
    )
    assert (unknown.history[0].status_code, unknown.status_code) == (303, 200)
    assert "No campaign has this address or identifier." in unknown.text
    garbled = client.post(
        f"/cases/{case_id}/campaigns", data={"csrf_token": token, "campaign_uid": "#37"}
    )
    assert (garbled.history[0].status_code, garbled.status_code) == (303, 200)
    assert "Paste the address of the campaign" in garbled.text
    assert 'value="#37"' in garbled.text
