"""A week with a rise: fraud.investment at 1 report a week for 8 weeks, then 7 in the week of
2026-11-02 (Poisson(1) reaches 7 with probability 0.00008), in one campaign and one script,
naming a phone."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from tipline.campaigns.models import Campaign, CampaignReport
from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.reports.models import Report
from tipline.trends.models import ReportScript, Script

WEEK = date(2026, 11, 2)
ATTACK = "</script><script>alert(1)</script>"
FORMULA = "=cmd|' /C calc'!A0"  # fits a category's 40 characters
CAMPAIGN_UID = uuid.UUID("00000000-0000-4000-8000-000000000019")
SCRIPT_ID = 19
SCRIPT_WORDS = ["công an", "căn cước", "<b>x</b>"]  # a label is escaped like any text


def _report(session: Session, number: int, at: datetime, category: str) -> Report:
    report = Report(
        code=f"TL-TREND-{number:04d}", channel="web", narrative="Tôi bị lừa", language="vi",
        category=category, urgency="normal", triage_reasons=[], listed_values=[],
        anonymous=False, status="new", created_at=at, updated_at=at,
    )  # fmt: skip
    session.add(report)
    return report


@pytest.fixture
def rise(db_session: Session) -> list[Report]:
    # Wednesday noon in Vietnam of each week (05:00 UTC).
    noon = datetime(WEEK.year, WEEK.month, WEEK.day, 5, tzinfo=UTC) + timedelta(days=2)
    before = [
        _report(db_session, k, noon - timedelta(weeks=8 - k), "fraud.investment") for k in range(8)
    ]
    week = [_report(db_session, 100 + k, noon + timedelta(hours=k), "fraud.investment")
            for k in range(7)]  # fmt: skip
    week.append(_report(db_session, 200, noon, "sextortion"))
    # Sunday 23:30 in Vietnam is in the week; Monday 00:30 in Vietnam (Sunday UTC) is not.
    week.append(_report(db_session, 201, noon + timedelta(days=4, hours=11, minutes=30), "other"))
    _report(db_session, 202, noon + timedelta(days=4, hours=12, minutes=30), "other")
    db_session.flush()
    rising = week[:7]
    label = min(r.id for r in rising)
    db_session.add_all(CampaignReport(report_id=r.id, campaign_id=label) for r in rising)
    db_session.add(Campaign(uid=CAMPAIGN_UID, label=label, created_at=noon, name=ATTACK))
    phone = IndicatorRecord(kind="phone", value="0901234567", allowlisted=False,
                            first_seen=noon, last_seen=noon, report_count=7)  # fmt: skip
    own = IndicatorRecord(kind="email", value="me@example.com", allowlisted=False,
                          first_seen=noon, last_seen=noon, report_count=1)  # fmt: skip
    db_session.add_all([phone, own])
    db_session.flush()
    db_session.add_all(ReportIndicator(report_id=r.id, indicator_id=phone.id) for r in rising)
    db_session.add(ReportIndicator(report_id=rising[0].id, indicator_id=own.id, reporter_own=True))
    db_session.add(Script(id=SCRIPT_ID, words=SCRIPT_WORDS, reports=7, updated_at=noon))
    db_session.flush()
    db_session.add_all(ReportScript(report_id=r.id, script_id=SCRIPT_ID) for r in rising)
    db_session.commit()
    return before + week
