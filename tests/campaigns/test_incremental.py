"""Campaigns kept up to date as reports arrive: the same partition as a full rebuild."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tipline.campaigns import repository
from tipline.campaigns.core import rebuild
from tipline.campaigns.linking import Tally, plan_links
from tipline.campaigns.models import CampaignHub, CampaignReport
from tipline.campaigns.service import link_new_reports, rebuild_campaigns, relink_campaigns_of
from tipline.imports.core import ImportRow
from tipline.imports.service import import_reports
from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.reports.models import Report
from tipline.reports.schemas import ReportCreate

T0 = datetime(2024, 3, 1, tzinfo=UTC)


def store_report(session: Session, *values: str, allowlisted: Sequence[str] = ()) -> int:
    """A stored report naming these phone numbers (indicators created as needed), unlinked."""
    count = session.scalar(select(func.count()).select_from(Report))
    report = Report(
        code=f"I{count}X{len(values)}", channel="api", narrative="…", language="vi",
        category="fraud.impersonation", urgency="normal", loss_amount=Decimal(1),
        loss_currency="VND", occurred_at=T0,
    )  # fmt: skip
    session.add(report)
    session.flush()
    for value in dict.fromkeys(values):
        indicator = session.scalar(select(IndicatorRecord).where(IndicatorRecord.value == value))
        if indicator is None:
            indicator = IndicatorRecord(
                kind="phone", value=value, allowlisted=value in allowlisted,
                first_seen=T0, last_seen=T0,
            )  # fmt: skip
            session.add(indicator)
            session.flush()
        session.add(ReportIndicator(report_id=report.id, indicator_id=indicator.id))
    session.flush()
    return report.id


def stored_campaigns(session: Session) -> dict[int, int]:
    rows = session.execute(select(CampaignReport.report_id, CampaignReport.campaign_id))
    return {report: campaign for report, campaign in rows}


def stored_hubs(session: Session) -> dict[int, int]:
    rows = session.execute(select(CampaignHub.indicator_id, CampaignHub.report_count))
    return {indicator: count for indicator, count in rows}


def hub_of(session: Session, value: str) -> int:
    indicator = session.scalar(select(IndicatorRecord.id).where(IndicatorRecord.value == value))
    assert indicator is not None
    return indicator


def rebuilt(session: Session, threshold: int) -> tuple[dict[int, int], frozenset[int]]:
    """What a full rebuild over the stored links gives (computed, not stored)."""
    reports, indicators = repository.merging_links(session)
    partition = rebuild(
        reports, indicators, hub_threshold=threshold, lone_report_ids=repository.report_ids(session)
    )
    return partition.as_dict(), partition.hubs


@pytest.fixture
def session(db_session: Session) -> Session:
    return db_session


def test_a_new_report_joins_the_campaign_of_its_neighbours(session: Session) -> None:
    first = store_report(session, "+84900000001")
    link_new_reports(session, [first], hub_threshold=10)
    lone = store_report(session, "+84900000009")
    link_new_reports(session, [lone], hub_threshold=10)
    second = store_report(session, "+84900000001", "+84900000002")
    outcome = link_new_reports(session, [second], hub_threshold=10)
    assert outcome.placements == {second: first}
    assert stored_campaigns(session) == {first: first, lone: lone, second: first}


def test_a_report_bridging_campaigns_merges_them_into_the_smallest(session: Session) -> None:
    a = store_report(session, "+84900000001")
    b = store_report(session, "+84900000002")
    c = store_report(session, "+84900000002")
    for report in (a, b, c):
        link_new_reports(session, [report], hub_threshold=10)
    assert stored_campaigns(session) == {a: a, b: b, c: b}
    bridge = store_report(session, "+84900000002", "+84900000001")
    outcome = link_new_reports(session, [bridge], hub_threshold=10)
    assert outcome.merged == 1
    assert stored_campaigns(session) == {a: a, b: a, c: a, bridge: a}


def test_an_indicator_passing_the_threshold_becomes_a_hub_and_splits(session: Session) -> None:
    # Two rings, each with its own phone, both typed the bank's real hotline.
    reports = [
        store_report(session, "+84900000001", "+842838000000"),
        store_report(session, "+84900000001"),
        store_report(session, "+84900000002", "+842838000000"),
    ]
    link_new_reports(session, reports, hub_threshold=2)
    assert set(stored_campaigns(session).values()) == {reports[0]}
    fourth = store_report(session, "+84900000003", "+842838000000")
    outcome = link_new_reports(session, [fourth], hub_threshold=2)
    hotline = hub_of(session, "+842838000000")
    assert outcome.new_hubs == (hotline,)
    assert stored_hubs(session) == {hotline: 3}
    assert stored_campaigns(session) == {
        reports[0]: reports[0], reports[1]: reports[0], reports[2]: reports[2], fourth: fourth
    }  # fmt: skip
    # A later report naming the hub is linked by its other indicators only; the count follows.
    fifth = store_report(session, "+842838000000", "+84900000002")
    link_new_reports(session, [fifth], hub_threshold=2)
    assert stored_campaigns(session)[fifth] == reports[2]
    assert stored_hubs(session) == {hotline: 4}


def test_allowlisted_indicators_link_nothing(session: Session) -> None:
    hotline = "+842838000000"
    first = store_report(session, hotline, allowlisted=[hotline])
    second = store_report(session, hotline, allowlisted=[hotline])
    link_new_reports(session, [first, second], hub_threshold=10)
    assert stored_campaigns(session) == {first: first, second: second}


def test_a_batch_links_its_reports_to_each_other(session: Session) -> None:
    batch = [store_report(session, "+84900000001"), store_report(session, "+84900000001")]
    batch.append(store_report(session))
    outcome = link_new_reports(session, batch, hub_threshold=10)
    assert outcome.placements == {batch[0]: batch[0], batch[1]: batch[0], batch[2]: batch[2]}


def test_incremental_after_a_rebuild_matches_a_rebuild(session: Session) -> None:
    for k in range(6):
        store_report(session, f"+8490000000{k % 3}", "+842838000000")
    rebuild_campaigns(session, hub_threshold=4)
    late = store_report(session, "+84900000001", "+84900000002")
    link_new_reports(session, [late], hub_threshold=4)
    expected, hubs = rebuilt(session, 4)
    assert stored_campaigns(session) == expected
    assert set(stored_hubs(session)) == hubs


def test_submitted_and_imported_reports_are_linked(session: Session) -> None:
    from tipline.intake.service import submit_report

    text = (
        "Kẻ lừa đảo gọi từ số 0987 654 321 và bắt tôi chuyển tiền vào STK 0123456789 Vietcombank."
    )
    submit_report(session, ReportCreate(narrative=text), "api")
    rows = [ImportRow(k, f"x{k}", ReportCreate(narrative=f"{text} Lần {k}.")) for k in range(3)]
    import_reports(session, rows, "test-import", batch_size=2)
    campaigns = stored_campaigns(session)
    assert len(campaigns) == 4
    assert len(set(campaigns.values())) == 1
    assert min(campaigns) in campaigns.values()


def test_plan_keeps_the_smallest_label() -> None:
    tallies = {1: Tally(reports=3, campaign=4), 2: Tally(reports=2, campaign=2)}
    plan = plan_links([9], {}, [(9, 1), (9, 2)], tallies, hub_threshold=5)
    assert plan.placements == {9: 2}
    assert plan.merges == {4: 2}
    assert not plan.new_hubs
    hub = plan_links([9], {}, [(9, 1), (9, 2)], tallies, hub_threshold=2)
    assert hub.new_hubs == {1: 3}
    assert hub.relink == {2, 4, 9}


# Property: any sequence of arrivals, in any batches, ends where a full rebuild does.
PHONES = [f"+8490000{k:04d}" for k in range(8)]
ALLOWLISTED = PHONES[-1:]
arrivals = st.lists(
    st.tuples(st.sets(st.sampled_from(PHONES), max_size=3), st.integers(1, 3)),
    min_size=1,
    max_size=14,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(arrivals=arrivals, threshold=st.integers(1, 4), rebuild_first=st.integers(0, 4))
def test_random_arrivals_give_the_rebuild_partition(
    session: Session, arrivals: list[tuple[set[str], int]], threshold: int, rebuild_first: int
) -> None:
    savepoint = session.begin_nested()
    try:
        pending: list[int] = []
        for k, (phones, batch) in enumerate(arrivals):
            pending.append(store_report(session, *sorted(phones), allowlisted=ALLOWLISTED))
            if k + 1 == rebuild_first:
                rebuild_campaigns(session, hub_threshold=threshold)
                pending = []
            elif len(pending) >= batch:
                link_new_reports(session, pending, hub_threshold=threshold)
                pending = []
        link_new_reports(session, pending, hub_threshold=threshold)
        expected, hubs = rebuilt(session, threshold)
        assert stored_campaigns(session) == expected
        assert set(stored_hubs(session)) == hubs
        counts = session.execute(
            select(ReportIndicator.indicator_id, func.count())
            .where(ReportIndicator.indicator_id.in_(hubs))
            .group_by(ReportIndicator.indicator_id)
        )
        assert stored_hubs(session) == {indicator: n for indicator, n in counts}
    finally:
        savepoint.rollback()


def reject(session: Session, report_id: int, value: str) -> None:
    from tipline.indicators.models import IndicatorReview

    review = IndicatorReview(
        report_id=report_id, indicator_id=hub_of(session, value), state="rejected", actor="t"
    )
    session.add(review)
    session.flush()


def test_rejected_links_merge_nothing(session: Session) -> None:
    first = store_report(session, "+84900000001")
    bridge = store_report(session, "+84900000001", "+84900000002")
    second = store_report(session, "+84900000002")
    link_new_reports(session, [first, bridge, second], hub_threshold=10)
    assert set(stored_campaigns(session).values()) == {first}
    # An analyst says the bridge never named the second phone: the campaign splits.
    reject(session, bridge, "+84900000002")
    assert relink_campaigns_of(session, [bridge]) == {first: first, bridge: first, second: second}
    assert stored_campaigns(session) == rebuilt(session, 10)[0]
    # A later report naming the second phone joins the second report only.
    later = store_report(session, "+84900000002")
    link_new_reports(session, [later], hub_threshold=10)
    assert stored_campaigns(session)[later] == second
    assert stored_campaigns(session) == rebuilt(session, 10)[0]


def test_rejected_links_do_not_count_towards_a_hub(session: Session) -> None:
    reports = [store_report(session, "+842838000000") for _ in range(2)]
    link_new_reports(session, reports, hub_threshold=2)
    reject(session, reports[0], "+842838000000")
    relink_campaigns_of(session, reports[:1])
    third = store_report(session, "+842838000000")
    outcome = link_new_reports(session, [third], hub_threshold=2)
    assert outcome.new_hubs == ()
    assert stored_campaigns(session) == rebuilt(session, 2)[0]
    assert stored_campaigns(session)[third] == reports[1]


def store_own(session: Session, value: str) -> int:
    """A report naming `value` as the reporter's own (a cue such as "số của em")."""
    report_id = store_report(session, value)
    link = session.get(ReportIndicator, (report_id, hub_of(session, value)))
    assert link is not None
    link.reporter_own = True
    session.flush()
    return report_id


def mark_victim(session: Session, report_id: int, value: str) -> None:
    from tipline.indicators.models import IndicatorReview

    review = IndicatorReview(
        report_id=report_id, indicator_id=hub_of(session, value), state="victim", actor="t"
    )
    session.add(review)
    session.flush()


def test_reporters_own_values_link_no_campaign(session: Session) -> None:
    # Two children each give their own number, and a scam report names the first as the
    # scammer's: the victims' numbers tie no report to another.
    first = store_own(session, "+84987000001")
    second = store_own(session, "+84987000001")
    scam = store_report(session, "+84987000001", "+84900000009")
    link_new_reports(session, [first, second, scam], hub_threshold=10)
    assert stored_campaigns(session) == {first: first, second: second, scam: scam}
    assert stored_campaigns(session) == rebuilt(session, 10)[0]
    assert rebuild_campaigns(session, hub_threshold=10).linked_campaigns == 0


def test_victim_decision_splits_a_campaign_like_a_rejection(session: Session) -> None:
    first = store_report(session, "+84900000011")
    bridge = store_report(session, "+84900000011", "+84900000012")
    second = store_report(session, "+84900000012")
    link_new_reports(session, [first, bridge, second], hub_threshold=10)
    assert set(stored_campaigns(session).values()) == {first}
    # An analyst says the second phone in the bridge report is the victim's own.
    mark_victim(session, bridge, "+84900000012")
    assert relink_campaigns_of(session, [bridge]) == {first: first, bridge: first, second: second}
    assert stored_campaigns(session) == rebuilt(session, 10)[0]
    later = store_report(session, "+84900000012")
    link_new_reports(session, [later], hub_threshold=10)
    assert stored_campaigns(session)[later] == second


def test_own_values_do_not_count_towards_a_hub(session: Session) -> None:
    owners = [store_own(session, "+84987000002") for _ in range(2)]
    link_new_reports(session, owners, hub_threshold=2)
    third = store_report(session, "+84987000002")
    outcome = link_new_reports(session, [third], hub_threshold=2)
    assert outcome.new_hubs == ()
    assert stored_campaigns(session) == rebuilt(session, 2)[0]
    assert stored_campaigns(session)[third] == third
