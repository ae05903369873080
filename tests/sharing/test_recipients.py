"""Who received which object decides who receives its revocation: a revoked version goes only
to a recipient that had the object (its id is a hash of the value), and a recipient whose
policy no longer admits an object it had (its TLP raised) receives its own withdrawal, never
the new version. On every path: the query, TAXII pages, bundles, MISP feeds."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from tests.conftest import ReportMaker
from tests.principals import staff
from tests.sharing.stix_fixtures import confirm, indicator, instance_settings

from tipline.indicators.models import ReportIndicator
from tipline.partners import service as partners
from tipline.principals import Caller, Principal, Role
from tipline.reports.models import Report
from tipline.sharing import misp_service, repository
from tipline.sharing.markings import set_indicator_tlp
from tipline.sharing.models import SharedObject
from tipline.sharing.policy import category_mask
from tipline.sharing.recipients import Delivery, partner_recipient, record_deliveries
from tipline.sharing.service import export_bundle, publish
from tipline.sharing.taxii.core import ObjectQuery
from tipline.sharing.taxii.service import objects_page
from tipline.sharing.tlp import Tlp

WHEN = datetime(2026, 12, 1, tzinfo=UTC)
LATER = WHEN + timedelta(hours=1)
FRAUD = category_mask(["fraud.investment"])
SETTINGS = instance_settings()
PHONE = "+84912345678"


def shared(session: Session, stix_id: str, tlp: str, revoked: bool, modified: datetime) -> None:
    session.add(
        SharedObject(
            stix_id=stix_id, type="indicator", origin=f"test:{stix_id}", tlp=tlp, kind="phone",
            category_mask=FRAUD, needs_campaigns=False, revoked=revoked, modified=modified,
            date_added=modified, body="{}",
        )
    )  # fmt: skip


def partner(session: Session, name: str, max_tlp: str) -> Principal:
    record = partners.add_partner(session, "cli:t", name, "TH")
    record.max_tlp = max_tlp
    session.flush()
    return Principal(record.id, name.lower(), Role.PARTNER, "token", partner_id=record.id)


def readable(session: Session, caller: Caller) -> dict[str, str | None]:
    """Each readable object's id, and the marking it is withdrawn as (None: as stored)."""
    rows = session.execute(repository.readable_rows(session, caller))
    return {row.stix_id: row.withdrawn_tlp for row in rows}


def test_a_revoked_object_reaches_only_partners_that_had_it(db_session: Session) -> None:
    shared(db_session, "indicator--had", "green", revoked=True, modified=LATER)
    shared(db_session, "indicator--never", "green", revoked=True, modified=LATER)
    shared(db_session, "indicator--live", "green", revoked=False, modified=WHEN)
    shared(db_session, "indicator--raised", "amber", revoked=False, modified=LATER)
    shared(db_session, "indicator--amber-then", "amber", revoked=False, modified=WHEN)
    had, other = partner(db_session, "CCIB", "green"), partner(db_session, "KH", "green")
    assert had.partner_id is not None
    record_deliveries(
        db_session, partner_recipient(had.partner_id),
        [Delivery("indicator--had", "green", WHEN), Delivery("indicator--raised", "green", WHEN),
         Delivery("indicator--amber-then", "green", WHEN)],  # its policy was wider then
        WHEN,
    )  # fmt: skip

    assert readable(db_session, had) == {
        "indicator--had": None,  # its revocation, as published
        "indicator--live": None,
        "indicator--raised": "green",  # withdrawn from it, marked as it had it
    }  # not "amber-then": no newer version yet (`withdraw_narrowed` makes one when narrowed)
    assert readable(db_session, other) == {"indicator--live": None}
    assert set(readable(db_session, staff("analyst:lan"))) == {
        "indicator--had", "indicator--never", "indicator--live", "indicator--raised",
        "indicator--amber-then",
    }  # fmt: skip
    nobody = Principal(9, "x", Role.PARTNER, "token", partner_id=None)
    assert readable(db_session, nobody) == {}


def _report_id(session: Session, code: str) -> int:
    found = session.scalar(select(Report.id).where(Report.code == code))
    assert found is not None
    return found


def _page(session: Session, caller: Principal, after: datetime | None = None) -> list[dict]:
    page = objects_page(session, caller, "indicators", ObjectQuery(added_after=after))
    return [json.loads(item) for item in page.items]


def _of_indicator(objects: list[dict]) -> dict[str, dict]:
    return {o["type"]: o for o in objects if o["type"] in ("indicator", "sighting")}


def test_raising_the_tlp_withdraws_it_from_partners_that_no_longer_qualify(
    db_session: Session, make_report: ReportMaker
) -> None:
    report = make_report("Gọi từ số 0912 345 678 để nhận thưởng")
    confirm(db_session, report.code)
    phone = indicator(db_session, PHONE)
    lan = staff("analyst:lan")
    set_indicator_tlp(db_session, lan, phone.id, "green", SETTINGS)
    green = partner(db_session, "CCIB", "green")
    late = partner(db_session, "KH", "green")  # never pulls before the change
    amber = partner(db_session, "MY", "amber")
    first = _of_indicator(_page(db_session, green))
    assert first["indicator"]["pattern"] == f"[phone-number:value = '{PHONE}']"
    pulled = db_session.scalar(select(SharedObject.date_added).order_by(
        SharedObject.date_added.desc()).limit(1))  # fmt: skip

    set_indicator_tlp(db_session, lan, phone.id, "amber", SETTINGS)

    withdrawn = _page(db_session, green, after=pulled)
    assert {o["type"] for o in withdrawn} == {"indicator", "observed-data", "sighting"}
    assert all(o["revoked"] for o in withdrawn)
    assert all(o["object_marking_refs"] == [Tlp.GREEN.marking_id] for o in withdrawn)
    assert PHONE not in json.dumps(withdrawn)
    assert "count" not in _of_indicator(withdrawn)["sighting"]  # nothing of the new version
    assert _page(db_session, green, after=pulled) == withdrawn  # the same when read again
    assert _page(db_session, late) == [
        o
        for o in _page(db_session, late)
        if o["type"] in ("identity", "extension-definition", "marking-definition")
    ]  # neither the new version nor a revocation: it never had the indicator
    fresh = _of_indicator(_page(db_session, amber))
    assert fresh["indicator"]["pattern"] == f"[phone-number:value = '{PHONE}']"
    assert fresh["indicator"].get("revoked") is not True
    assert fresh["indicator"]["object_marking_refs"] == [Tlp.AMBER.marking_id]


def _withdraw(session: Session, code: str) -> None:
    """An analyst takes back her confirmations of the report's indicators; publish follows."""
    session.execute(
        update(ReportIndicator)
        .where(ReportIndicator.report_id == _report_id(session, code))
        .values(confirmed=False)
    )
    publish(session, SETTINGS)


def _revoked(objects: list[dict]) -> set[str]:
    return {o["type"] for o in objects if o.get("revoked")}


def test_exports_carry_a_revocation_only_to_who_took_the_original(
    db_session: Session, make_report: ReportMaker, tmp_path: Path
) -> None:
    report = make_report("Gọi từ số 0912 345 678 để nhận thưởng")
    confirm(db_session, report.code)
    publish(db_session, SETTINGS)
    before = export_bundle(db_session, "cli:t", Tlp.AMBER)["objects"]
    assert _revoked(before) == set()
    misp_service.write_feed(db_session, "cli:t", Tlp.AMBER, "tipline", tmp_path / "feed")

    _withdraw(db_session, report.code)

    again = export_bundle(db_session, "cli:t", Tlp.AMBER)["objects"]
    assert _revoked(again) == {"indicator", "observed-data", "sighting"}
    assert _revoked(export_bundle(db_session, "cli:t", Tlp.AMBER, "a new reader")["objects"]) == (
        set()
    )
    assert _revoked(export_bundle(db_session, "cli:t", Tlp.RED)["objects"]) == set()
    feed = misp_service.write_feed(db_session, "cli:t", Tlp.AMBER, "tipline", tmp_path / "feed")
    assert [a["deleted"] for e in feed.events for a in e["Event"]["Attribute"]] == [True]
    fresh = misp_service.write_feed(db_session, "cli:t", Tlp.RED, "tipline", tmp_path / "red")
    assert fresh.events == []
