"""The demo's public alerts: for a few kinds of scam, the demo analyst drafts an alert from the
campaign with the most reports of that kind and submits it, and the demo supervisor (not its
author) publishes it, through the service functions the staff pages use.

So right after `make run` the home page shows its latest alerts, the Atom feed and the JSON API
have entries, a check of an alerted value names its alert, and each lesson shows the alerts of
its topic as real examples. Loading again adds nothing (nothing is drafted once any alert
exists: an operator's own alerts are never joined by the demo's).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from tipline.accounts.service import find_user
from tipline.alerts.service import draft_alert, publish_alert, submit_alert
from tipline.demo import repository
from tipline.principals import Principal, Role

SOURCE = "demo"
# One alert each: the scams of the lessons' topics (fake police, stolen accounts, investment
# and task scams, loan apps, sextortion).
ALERTED = (
    "fraud.impersonation",
    "fraud.phishing",
    "fraud.investment",
    "fraud.job_task",
    "fraud.loan",
    "sextortion",
)


def _staff(session: Session, username: str, role: Role) -> Principal:
    user = find_user(session, username)
    return Principal(user.id, user.username, role, "cli")


def load_alerts_demo(session: Session) -> int:
    """Publish the demo's alerts unless any alert exists; how many were published."""
    if repository.alerts_exist(session):
        return 0
    analyst = _staff(session, "analyst", Role.ANALYST)
    supervisor = _staff(session, "supervisor", Role.SUPERVISOR)
    found = [repository.largest_campaign(session, SOURCE, category) for category in ALERTED]
    published = 0
    for uid in dict.fromkeys(uid for uid in found if uid is not None):
        alert = draft_alert(session, analyst, uid)
        submit_alert(session, analyst, alert.uid)
        publish_alert(session, supervisor, alert.uid)
        published += 1
    return published
