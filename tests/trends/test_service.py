"""The weekly view counted in SQL: weeks in Vietnam time, the rise found, its campaign behind."""

from __future__ import annotations

from sqlalchemy.orm import Session
from tests.trends.conftest import CAMPAIGN_UID, SCRIPT_ID, SCRIPT_WORDS, WEEK

from tipline.access import Principal, Role
from tipline.principals import ReportHolder
from tipline.reports.models import Report
from tipline.trends.service import weekly_trends

ANALYST = Principal(user_id=1, username="lan", role=Role.ANALYST, via="session")


def test_the_rise_is_found_with_its_campaign(db_session: Session, rise: list[Report]) -> None:
    view = weekly_trends(db_session, ANALYST, WEEK)
    categories = {t.key: t for t in view.figures["categories"]}
    assert set(categories) == {"fraud.investment", "sextortion", "other"}
    investment = categories["fraud.investment"]
    assert (investment.count, investment.history, investment.bound) == (7, (1,) * 8, 7)
    assert investment.rising
    assert not categories["sextortion"].rising
    assert categories["other"].count == 1  # Monday 00:30 in Vietnam belongs to the next week
    # The rising category and the rising script, each with the campaign its reports are in.
    assert [(s.category, s.script, [c[0] for c in s.campaigns]) for s in view.suggestions] == [
        ("fraud.investment", False, [str(CAMPAIGN_UID)]),
        (str(SCRIPT_ID), True, [str(CAMPAIGN_UID)]),
    ]
    assert [(t.key, t.count, t.rising) for t in view.figures["scripts"]] == [
        (str(SCRIPT_ID), 7, True)
    ]
    assert view.words == {str(SCRIPT_ID): SCRIPT_WORDS}
    # The reporter's own e-mail is no scammer's indicator: only the phone kind is counted.
    assert [(t.key, t.count) for t in view.figures["kinds"]] == [("phone", 7)]


def test_a_citizen_counts_only_her_report(db_session: Session, rise: list[Report]) -> None:
    holder = ReportHolder(report_id=rise[8].id)
    view = weekly_trends(db_session, holder, WEEK)
    assert [(t.key, t.count) for t in view.figures["categories"]] == [("fraud.investment", 1)]
    assert view.suggestions == []
