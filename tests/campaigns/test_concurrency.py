"""Citizens filing at once on PostgreSQL: the stored campaigns stay the ones a rebuild gives."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine

from tipline.campaigns import repository
from tipline.campaigns.core import rebuild
from tipline.campaigns.models import Campaign, CampaignHub, CampaignReport
from tipline.db import make_session_factory
from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.intake.service import submit_report
from tipline.reports.models import Report
from tipline.reports.schemas import ReportCreate

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("TIPLINE_TEST_DATABASE_URL"), reason="needs PostgreSQL (see conftest)"
    ),
]


@pytest.fixture
def committed(engine: Engine) -> Iterator[Engine]:
    """Reports committed by several writers, deleted afterwards with their indicators."""
    try:
        yield engine
    finally:
        with engine.begin() as connection:
            linked = select(ReportIndicator.indicator_id)
            connection.execute(delete(CampaignHub))
            connection.execute(delete(Campaign))
            connection.execute(delete(IndicatorRecord).where(IndicatorRecord.id.in_(linked)))
            connection.execute(delete(Report))


def test_concurrent_submissions_end_in_one_campaign(committed: Engine) -> None:
    factory = make_session_factory(committed)
    failures: list[BaseException] = []

    def file(writer: int) -> None:
        try:
            for k in range(5):
                # Each writer has its own phone too, so the shared one bridges four campaigns.
                text = f"Kẻ gian gọi số 0987 654 321 và 0912 000 00{writer}, lần {k}: chuyển tiền."
                with factory() as session:
                    submit_report(session, ReportCreate(narrative=text), "api")
        except BaseException as exc:  # reported to the main thread
            failures.append(exc)

    writers = [threading.Thread(target=file, args=(n,)) for n in range(4)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert failures == []
    with factory() as session:
        stored = {
            r: c
            for r, c in session.execute(
                select(CampaignReport.report_id, CampaignReport.campaign_id)
            )
        }
        reports, indicators = repository.merging_links(session)
        expected = rebuild(reports, indicators, lone_report_ids=repository.report_ids(session))
        identifiers = session.execute(select(Campaign.label, Campaign.merged_into)).all()
    assert len(stored) == 20
    assert set(stored.values()) == {min(stored)}
    assert stored == expected.as_dict()
    # One current identifier; any other was retired into it as the campaigns merged.
    assert [label for label, _ in identifiers if label is not None] == [min(stored)]
    assert all(merged is not None for label, merged in identifiers if label is None)
