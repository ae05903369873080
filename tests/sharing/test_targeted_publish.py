"""Publishing one indicator at once, cheaply: an analyst's confirmation on the report view and
her TLP change publish that indicator and its campaigns' objects, and read and write no other
group (an indicator confirmed elsewhere waits for `tipline sharing publish`)."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.conftest import ReportMaker
from tests.principals import staff
from tests.sharing.stix_fixtures import confirm, indicator, instance_settings

from tipline.indicators.models import ReportIndicator
from tipline.reports.models import Report
from tipline.sharing.markings import set_indicator_tlp
from tipline.sharing.models import SharedObject
from tipline.workspace.service import review_indicator

SETTINGS = instance_settings()
RING = "Lừa đầu tư, chuyển vào STK 0123456789 Vietcombank, lần {}"


def origins(session: Session) -> dict[str, set[str]]:
    """The kinds of published group (`indicator`, `campaign-revoked`…), with their types."""
    found: dict[str, set[str]] = {}
    statement = select(SharedObject.origin, SharedObject.type, SharedObject.revoked)
    for origin, stix_type, revoked in session.execute(statement):
        kind = origin.partition(":")[0] + ("-revoked" if revoked else "")
        found.setdefault(kind, set()).add(stix_type)
    return found


def report_id(session: Session, code: str) -> int:
    found = session.scalar(select(Report.id).where(Report.code == code))
    assert found is not None
    return found


def test_a_confirmation_on_the_report_view_publishes_its_indicator_and_campaign_at_once(
    db_session: Session, make_report: ReportMaker
) -> None:
    first, second = (make_report(RING.format(n)) for n in (1, 2))
    waiting = make_report("Gọi từ số 0912 345 678")
    confirm(db_session, waiting.code)  # confirmed, not yet published: not this one's to publish
    account = indicator(db_session, "VCB:0123456789")
    confirm(db_session, first.code)
    db_session.execute(
        ReportIndicator.__table__.update()
        .where(ReportIndicator.report_id == report_id(db_session, first.code))
        .values(confirmed=False)
    )  # only the analyst's review below confirms the account
    analyst = staff("analyst:lan")
    review_indicator(
        db_session, analyst, report_id(db_session, second.code), account.id, "confirmed", SETTINGS
    )
    published = origins(db_session)
    assert published.keys() == {"definitions", "indicator", "campaign"}
    assert published["campaign"] == {"campaign", "relationship"}
    indicator_rows = db_session.scalars(
        select(SharedObject.origin).where(SharedObject.type == "indicator")
    ).all()
    assert indicator_rows == [f"indicator:{account.id}"]
    # Rejected on the report view: its revocation is published at once, its campaign's too.
    review_indicator(
        db_session, analyst, report_id(db_session, second.code), account.id, "rejected", SETTINGS
    )
    assert origins(db_session).keys() == {"definitions", "indicator-revoked", "campaign-revoked"}


def test_a_tlp_change_publishes_that_indicator_only(
    db_session: Session, make_report: ReportMaker
) -> None:
    report = make_report("Gọi từ số 0912 345 678, chuyển vào STK 0123456789 Vietcombank")
    confirm(db_session, report.code)
    phone = indicator(db_session, "+84912345678")
    set_indicator_tlp(db_session, staff("analyst:lan"), phone.id, "green", SETTINGS)
    bodies = db_session.scalars(
        select(SharedObject.body).where(SharedObject.origin.startswith("indicator:"))
    ).all()
    patterns = {json.loads(body).get("pattern") for body in bodies} - {None}
    assert patterns == {"[phone-number:value = '+84912345678']"}
