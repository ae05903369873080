"""Rebuilding campaigns from stored reports, and a campaign's figures."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tipline.campaigns import repository
from tipline.campaigns.models import CampaignHub
from tipline.campaigns.service import campaign_summary, rebuild_campaigns
from tipline.errors import NotFound
from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.reports.models import Report

T0 = datetime(2024, 3, 1, tzinfo=UTC)


def add_report(
    session: Session, *values: str, loss: str | None = None, allowlisted: bool = False
) -> int:
    """A stored report naming these phone numbers (indicators created as needed)."""
    report = Report(
        code=f"T{session.scalar(select(func.count()).select_from(Report))}X{len(values)}",
        channel="api", narrative="…", language="vi", category="fraud.impersonation",
        urgency="normal", loss_amount=Decimal(loss) if loss else None,
        loss_currency="VND" if loss else None, occurred_at=T0,
    )  # fmt: skip
    session.add(report)
    session.flush()
    for value in values:
        indicator = session.scalar(select(IndicatorRecord).where(IndicatorRecord.value == value))
        if indicator is None:
            indicator = IndicatorRecord(
                kind="phone", value=value, allowlisted=allowlisted, first_seen=T0, last_seen=T0
            )
            session.add(indicator)
            session.flush()
        session.add(ReportIndicator(report_id=report.id, indicator_id=indicator.id))
    session.flush()
    return report.id


@pytest.fixture
def session(db_session: Session) -> Session:
    return db_session


def test_reports_sharing_a_phone_form_one_campaign(session: Session) -> None:
    first = add_report(session, "+84987654321", "+84911111111", loss="15000000")
    second = add_report(session, "+84911111111", loss="500")
    other = add_report(session, "+84912000111")
    outcome = rebuild_campaigns(session)
    assert (outcome.reports, outcome.campaigns, outcome.linked_campaigns) == (3, 2, 1)
    assert repository.campaign_of(session, second) == min(first, second)
    assert repository.campaign_of(session, other) == other
    summary = campaign_summary(session, second)
    assert summary.victims == 2
    assert summary.losses == {"VND": Decimal("15000500")}


def test_hub_indicator_links_nothing_and_is_stored(session: Session) -> None:
    ids = [add_report(session, "+84987654321") for _ in range(3)]
    outcome = rebuild_campaigns(session, hub_threshold=2)
    assert outcome.hubs == 1
    assert outcome.linked_campaigns == 0
    assert [repository.campaign_of(session, i) for i in ids] == ids
    assert len(repository.hub_ids(session)) == 1
    hub = session.get(CampaignHub, repository.hub_ids(session)[0])
    assert hub is not None
    assert hub.report_count == 3


def test_rebuild_replaces_the_previous_one(session: Session) -> None:
    first = add_report(session, "+84987654321")
    rebuild_campaigns(session)
    second = add_report(session, "+84987654321")
    assert repository.campaign_of(session, second) is None
    rebuild_campaigns(session)
    assert repository.campaign_of(session, second) == first


def test_allowlisted_indicator_links_nothing(session: Session) -> None:
    first = add_report(session, "+842838000000", allowlisted=True)
    second = add_report(session, "+842838000000")
    rebuild_campaigns(session)
    assert (repository.campaign_of(session, first), repository.campaign_of(session, second)) == (
        first,
        second,
    )


def test_summary_of_an_unlinked_report_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        campaign_summary(session, 123456)
