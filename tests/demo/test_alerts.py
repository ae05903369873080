"""The demo's alerts: drafted by the demo analyst from its largest campaigns, published by the
demo supervisor (not their author), public at once; loading again adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tipline.alerts.models import Alert
from tipline.alerts.service import published_alerts
from tipline.demo.alerts import ALERTED, load_alerts_demo
from tipline.demo.service import load_demo


def test_the_demo_publishes_alerts_reviewed_by_another_and_only_once(db_session: Session) -> None:
    load_demo(db_session, shared=None, count=150, seed=5)
    published = load_alerts_demo(db_session)
    alerts = list(db_session.scalars(select(Alert)))
    assert 1 <= published == len(alerts) <= len(ALERTED)
    assert {(a.status, a.version, a.author, a.reviewer) for a in alerts} == {
        ("published", 1, "analyst:analyst", "supervisor:supervisor")
    }
    assert len({a.campaign_uid for a in alerts}) == published
    assert len({a.category for a in alerts}) == published  # one a kind of scam, its own
    assert {a.category for a in alerts} <= set(ALERTED)
    assert len(published_alerts(db_session, None, 50)) == published
    assert all(a.indicators for a in alerts)

    assert load_alerts_demo(db_session) == 0
    assert db_session.scalar(select(func.count()).select_from(Alert)) == published
