"""The analyst's TLP on an indicator: set through the service, the API and the report view's
control; back to the default; audited; refused when unknown; staff only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.principals import staff

from tipline.audit.repository import EntryFilter
from tipline.audit.service import audit_page
from tipline.errors import InvalidInput, NotFound
from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.principals import Principal, Role
from tipline.reports.models import Report
from tipline.settings import Settings
from tipline.sharing.markings import chosen_tlp, set_indicator_tlp
from tipline.sharing.models import SharedObject
from tipline.sharing.tlp import Tlp
from tipline.workspace.service import review_indicator

LAN = staff("analyst:lan")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def first_indicator(session: Session, report_id: int) -> IndicatorRecord:
    stmt = (
        select(IndicatorRecord)
        .join(ReportIndicator, ReportIndicator.indicator_id == IndicatorRecord.id)
        .where(ReportIndicator.report_id == report_id, IndicatorRecord.kind == "phone")
    )
    return session.scalars(stmt).first()  # type: ignore[return-value]


@pytest.fixture
def phone(db_session: Session, make_report: Any) -> tuple[int, IndicatorRecord]:
    code = make_report().code
    report_id = db_session.scalars(select(Report.id).where(Report.code == code)).one()
    return report_id, first_indicator(db_session, report_id)


def test_a_tlp_is_read_from_what_people_type() -> None:
    assert chosen_tlp("TLP:GREEN") is Tlp.GREEN
    assert chosen_tlp("amber+strict") is Tlp.AMBER_STRICT
    assert chosen_tlp("default") is None
    assert chosen_tlp(None) is None
    with pytest.raises(InvalidInput, match="a TLP is one of"):
        chosen_tlp("orange")


def test_an_analyst_marks_an_indicator_and_returns_it_to_the_default(
    db_session: Session, settings: Settings, phone: tuple[int, IndicatorRecord]
) -> None:
    _, indicator = phone
    marked = set_indicator_tlp(db_session, LAN, indicator.id, "clear", settings)
    assert (indicator.tlp, marked.tlp, marked.effective) == ("clear", Tlp.CLEAR, Tlp.CLEAR)
    same = set_indicator_tlp(db_session, LAN, indicator.id, "clear", settings)
    assert same.effective is Tlp.CLEAR  # no change: no second entry
    back = set_indicator_tlp(db_session, LAN, indicator.id, "default", settings)
    assert (indicator.tlp, back.tlp, back.effective) == (None, None, Tlp.AMBER)
    entries = audit_page(db_session, EntryFilter(action="indicator.tlp"), None, 10).items
    assert [(e.actor, e.target_id, e.details) for e in reversed(entries)] == [
        ("analyst:lan", str(indicator.id), {"old": "default", "new": "clear", "default": "amber"}),
        ("analyst:lan", str(indicator.id), {"old": "clear", "new": "default", "default": "amber"}),
    ]


def test_only_staff_mark_and_only_indicators_that_exist(
    db_session: Session, settings: Settings, phone: tuple[int, IndicatorRecord]
) -> None:
    _, indicator = phone
    partner = Principal(2, "ccib", Role.PARTNER, "token", partner_id=1)
    with pytest.raises(NotFound):
        set_indicator_tlp(db_session, partner, indicator.id, "clear", settings)
    with pytest.raises(NotFound):
        set_indicator_tlp(db_session, LAN, 10**9, "clear", settings)
    assert indicator.tlp is None


def test_the_api_sets_a_tlp(client_as: Any, phone: tuple[int, IndicatorRecord]) -> None:
    _, indicator = phone
    api = client_as("analyst")
    path = f"/api/v1/indicators/{indicator.id}"
    answer = api.patch(path, json={"tlp": "green"})
    assert (answer.status_code, answer.json()) == (
        200,
        {"id": indicator.id, "tlp": "green", "effective_tlp": "green"},
    )
    reset = api.patch(path, json={"tlp": None})
    assert reset.json() == {"id": indicator.id, "tlp": None, "effective_tlp": "amber"}
    wrong = api.patch(path, json={"tlp": "white"})
    assert (wrong.status_code, wrong.json()["error"]["field"]) == (422, "tlp")
    assert api.patch("/api/v1/indicators/999999999", json={"tlp": "red"}).status_code == 404


def test_the_report_view_shows_and_sets_the_tlp(
    client_as: Any, db_session: Session, phone: tuple[int, IndicatorRecord]
) -> None:
    report_id, indicator = phone
    web = client_as("analyst")
    page = web.get(f"/reports/{report_id}?lang=en")
    assert '<option value="default" selected>default (AMBER)</option>' in page.text
    token = CSRF.search(page.text)
    assert token is not None
    form = {"csrf_token": token.group(1), "tlp": "amber+strict"}
    action = f"/reports/{report_id}/indicators/{indicator.id}/tlp"
    moved = web.post(action, data=form, follow_redirects=False)
    assert (moved.status_code, moved.headers["location"]) == (
        303,
        f"/reports/{report_id}#indicators",
    )
    db_session.refresh(indicator)
    assert indicator.tlp == "amber+strict"
    again = web.get(f"/reports/{report_id}?lang=en")
    assert '<option value="amber+strict" selected>TLP:AMBER+STRICT</option>' in again.text


def test_a_confirmed_indicator_is_published_again_at_its_new_tlp(
    db_session: Session, settings: Settings, phone: tuple[int, IndicatorRecord]
) -> None:
    report_id, indicator = phone
    review_indicator(db_session, LAN, report_id, indicator.id, "confirmed")
    set_indicator_tlp(db_session, LAN, indicator.id, "clear", settings)
    origin = SharedObject.origin == f"indicator:{indicator.id}"
    published = select(SharedObject.tlp).where(origin, SharedObject.type == "indicator")
    assert db_session.scalars(published).all() == ["clear"]
    set_indicator_tlp(db_session, LAN, indicator.id, "green", settings)
    assert db_session.scalars(published).all() == ["green"]
