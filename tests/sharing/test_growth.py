"""Campaigns that grow reach the published set without `tipline sharing publish`: `tipline
serve`'s round finds the campaigns whose published object no longer says what they are and
publishes just those; a new report's own indicators wait for an analyst's confirmation."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.conftest import ReportMaker
from tests.sharing.stix_fixtures import confirm, instance_settings

from tipline.sharing.growth import grown_campaigns, publish_grown
from tipline.sharing.models import SharedObject
from tipline.sharing.service import publish
from tipline.sharing.stix import CAMPAIGN_EXTENSION_ID

SETTINGS = instance_settings()
RING = "Lừa đầu tư, chuyển vào STK 0123456789 Vietcombank, lần {}"


def campaigns(session: Session) -> dict[str, tuple[bool, int]]:
    """Each published campaign object: revoked or not, and its report count."""
    statement = select(SharedObject.origin, SharedObject.revoked, SharedObject.body).where(
        SharedObject.type == "campaign"
    )
    found = {}
    for origin, revoked, body in session.execute(statement):
        figures = json.loads(body).get("extensions", {}).get(CAMPAIGN_EXTENSION_ID, {})
        found[origin] = (revoked, figures.get("report_count", 0))
    return found


def patterns(session: Session) -> set[str]:
    bodies = session.scalars(select(SharedObject.body).where(SharedObject.type == "indicator"))
    return {json.loads(body)["pattern"] for body in bodies}


def test_a_report_joining_a_published_campaign_reaches_it_at_the_next_round(
    db_session: Session, make_report: ReportMaker
) -> None:
    first = make_report(RING.format(1))
    make_report(RING.format(2))
    confirm(db_session, first.code)
    publish(db_session, SETTINGS)
    ((origin, before),) = campaigns(db_session).items()
    assert before == (False, 2)
    assert grown_campaigns(db_session) == set()
    assert publish_grown(db_session, SETTINGS) is None

    make_report(RING.format(3) + ", gọi 0912 345 678")  # joins by the account
    assert {f"campaign:{uid}" for uid in grown_campaigns(db_session)} == {origin}
    summary = publish_grown(db_session, SETTINGS)
    assert summary is not None
    assert campaigns(db_session) == {origin: (False, 3)}
    assert publish_grown(db_session, SETTINGS) is None  # up to date: nothing more
    # The new report's phone is no analyst's confirmation: not shared by growth.
    assert patterns(db_session) == {"[x-tipline-bank-account:value = 'VCB:0123456789']"}


def test_a_report_joining_a_lone_confirmed_report_publishes_the_new_campaign(
    db_session: Session, make_report: ReportMaker
) -> None:
    lone = make_report(RING.format(1))
    confirm(db_session, lone.code)
    publish(db_session, SETTINGS)
    assert campaigns(db_session) == {}
    make_report(RING.format(2))
    assert len(grown_campaigns(db_session)) == 1
    publish_grown(db_session, SETTINGS)
    assert list(campaigns(db_session).values()) == [(False, 2)]
