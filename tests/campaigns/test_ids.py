"""Stable campaign identifiers as stored: kept through incremental links, merges, splits and
rebuilds, and an identifier retired by a merge still leading to its campaign."""

from __future__ import annotations

from uuid import UUID

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from tests.campaigns.test_incremental import reject, store_report
from tests.campaigns.test_routes import campaign_of_code, ring
from tests.conftest import ClientAs, ReportMaker

from tipline.campaigns import repository
from tipline.campaigns.models import Campaign
from tipline.campaigns.service import (
    campaign_uid_of,
    link_new_reports,
    rebuild_campaigns,
    relink_campaigns_of,
)

P0, P1, P2, P3 = "+84900000000", "+84900000001", "+84900000002", "+84900000003"


@pytest.fixture
def session(db_session: Session) -> Session:
    return db_session


def identifiers(session: Session) -> dict[UUID, tuple[int | None, UUID | None]]:
    """{uid: (label, merged into)} of every identifier stored."""
    rows = session.execute(select(Campaign.uid, Campaign.label, Campaign.merged_into))
    return {uid: (label, merged) for uid, label, merged in rows}


def uid(session: Session, report_id: int) -> UUID:
    found = campaign_uid_of(session, report_id)
    assert found is not None
    return found


def linked(session: Session, *phones: str, threshold: int = 10) -> int:
    report = store_report(session, *phones)
    link_new_reports(session, [report], hub_threshold=threshold)
    return report


def test_a_campaign_gets_one_identifier_when_a_second_report_joins(session: Session) -> None:
    lone = linked(session, P3)
    first = linked(session, P1)
    assert campaign_uid_of(session, first) is None  # a lone report is no campaign yet
    second = linked(session, P1)
    founded = uid(session, first)
    third = linked(session, P1)
    assert uid(session, third) == uid(session, second) == founded
    assert campaign_uid_of(session, lone) is None
    assert identifiers(session) == {founded: (first, None)}


def test_a_batch_of_new_reports_gets_one_identifier_per_campaign(session: Session) -> None:
    reports = [store_report(session, P1), store_report(session, P1), store_report(session, P2)]
    link_new_reports(session, reports, hub_threshold=10)
    assert {label for label, _ in identifiers(session).values()} == {reports[0]}


def test_in_a_merge_the_larger_campaign_keeps_its_identifier(session: Session) -> None:
    older = [linked(session, P2) for _ in range(2)]  # smaller report ids: the merged label
    larger = [linked(session, P1) for _ in range(3)]
    retired, kept = uid(session, older[0]), uid(session, larger[0])
    bridge = linked(session, P1, P2)
    assert uid(session, bridge) == uid(session, older[0]) == kept
    assert identifiers(session) == {kept: (older[0], None), retired: (None, kept)}
    # A later merge retires the survivor too: every retired identifier points at the last one.
    bigger = [linked(session, P3) for _ in range(7)]
    linked(session, P2, P3)
    last = uid(session, bigger[0])
    assert identifiers(session) == {
        last: (older[0], None),
        kept: (None, last),
        retired: (None, last),
    }


def test_a_new_hub_splits_and_the_largest_part_keeps_the_identifier(session: Session) -> None:
    ones = [linked(session, P0, P1, threshold=5) for _ in range(2)]
    threes = [linked(session, P0, P3, threshold=5) for _ in range(3)]
    joined = uid(session, ones[0])
    assert {uid(session, r) for r in ones + threes} == {joined}
    sixth = linked(session, P0, threshold=5)  # P0 now names 6 > 5 reports: a hub
    assert uid(session, threes[0]) == joined
    assert uid(session, ones[0]) != joined
    assert campaign_uid_of(session, sixth) is None  # left alone by the hub
    assert uid(session, threes[0]) == uid(session, threes[2])
    assert identifiers(session)[joined] == (threes[0], None)
    assert len(identifiers(session)) == 2


def test_a_rejected_bridge_splits_and_the_largest_part_keeps_the_identifier(
    session: Session,
) -> None:
    ones = [linked(session, P1) for _ in range(2)]
    bridge = linked(session, P1, P2)
    twos = [linked(session, P2) for _ in range(2)]
    joined = uid(session, ones[0])
    reject(session, bridge, P1)
    relink_campaigns_of(session, [bridge])
    assert uid(session, bridge) == uid(session, twos[0]) == joined  # 3 reports against 2
    assert uid(session, ones[0]) == uid(session, ones[1]) != joined
    assert identifiers(session)[joined] == (bridge, None)


def test_a_rebuild_keeps_the_identifiers_linking_gave(session: Session) -> None:
    arrivals = [(P1,), (P1,), (P2,), (P2,), (P1, P2), (P3,), (P0, P3), (P0,), (P0,), (P0,)]
    reports = [linked(session, *phones, threshold=3) for phones in arrivals]
    before = identifiers(session)
    # P1 and P2 merged (the first campaign's identifier, as old as large, survived); P0 made
    # a hub at its fourth report split the P3 campaign: its first two reports kept its
    # identifier, and the three lone reports left got none.
    assert before[uid(session, reports[0])] == (reports[0], None)
    assert sorted(merged for _, merged in before.values() if merged) == [uid(session, reports[0])]
    assert before[uid(session, reports[5])] == (reports[5], None)
    assert [campaign_uid_of(session, r) for r in reports[7:]] == [None] * 3
    assert len(before) == 2 + 1
    rebuild_campaigns(session, hub_threshold=3)
    assert identifiers(session) == before


def test_a_first_rebuild_identifies_every_campaign(session: Session) -> None:
    reports = [store_report(session, P1), store_report(session, P1), store_report(session, P2)]
    outcome = rebuild_campaigns(session, hub_threshold=10)
    labels = sorted(label for label, _ in identifiers(session).values())
    assert labels == [reports[0]]  # the lone report gets none
    assert outcome.campaigns == 2
    session.execute(delete(Campaign).where(Campaign.label == reports[0]))
    rebuild_campaigns(session, hub_threshold=10)  # a campaign without an identifier gets one
    assert [label for label, _ in identifiers(session).values()] == [reports[0]]


def test_a_retired_identifier_redirects_to_its_survivor(
    client_as: ClientAs, make_report: ReportMaker, db_session: Session
) -> None:
    small = ring(make_report, 2, phone="0912 345 678")
    large = ring(make_report, 3)
    retired, kept = campaign_of_code(db_session, small[0]), campaign_of_code(db_session, large[0])
    make_report("Kẻ gian gọi từ số 0987 654 321 và số 0912 345 678 bắt chuyển tiền.")
    db_session.commit()
    analyst = client_as("analyst")
    api = analyst.get(f"/api/v1/campaigns/{retired}?page=1", follow_redirects=False)
    assert (api.status_code, api.headers["location"]) == (308, f"/api/v1/campaigns/{kept}?page=1")
    graph = analyst.get(f"/api/v1/campaigns/{str(retired).upper()}/graph", follow_redirects=False)
    assert (graph.status_code, graph.headers["location"]) == (
        308,
        f"/api/v1/campaigns/{kept}/graph",
    )
    page = analyst.get(f"/campaigns/{retired}", follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (301, f"/campaigns/{kept}")
    followed = analyst.get(f"/api/v1/campaigns/{retired}")
    assert (followed.json()["uid"], followed.json()["reports"]) == (str(kept), 6)


def test_sizes_are_counted_in_full_only_to_tell_large_campaigns_apart(session: Session) -> None:
    small = [linked(session, P1)]
    large = [linked(session, P2) for _ in range(3)]
    larger = [linked(session, P3) for _ in range(4)]
    labels = [small[0], large[0], larger[0]]
    sizes = repository.capped_sizes(session, labels, cap=2)
    assert sizes == {small[0]: 1, large[0]: 3, larger[0]: 4}
    one_large = repository.capped_sizes(session, labels[:2], cap=2)
    assert one_large == {small[0]: 1, large[0]: 2}  # the only one past the cap: the largest
