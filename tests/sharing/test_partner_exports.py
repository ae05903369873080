"""A file export filtered to a TLP, for a partner or for a TLP level, names no object its
recipient may not see: not one above the partner's policy, not a revoked one it never
received, and no withdrawal of what the partner's policy still lets it see."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from tests.conftest import ReportMaker
from tests.principals import staff
from tests.sharing.stix_fixtures import confirm, indicator, instance_settings

from tipline.indicators.models import ReportIndicator
from tipline.partners import service as partners
from tipline.partners.models import Partner
from tipline.principals import Principal, Role
from tipline.reports.models import Report
from tipline.sharing import misp_service
from tipline.sharing.markings import set_indicator_tlp
from tipline.sharing.models import SharedObject
from tipline.sharing.service import export_bundle, publish
from tipline.sharing.taxii.core import ObjectQuery
from tipline.sharing.taxii.service import objects_page
from tipline.sharing.tlp import Tlp

SETTINGS = instance_settings()
PHONE = "+84912345678"
PHONE_TEXT = "Gọi từ số 0912 345 678 để nhận thưởng"
ACCOUNT = "VCB:0123456789"
ACCOUNT_TEXT = "Đầu tư tiền ảo, chuyển vào STK 0123456789 Vietcombank"
OTHER = "+84987654321"
OTHER_TEXT = "Họ gọi 0987 654 321 báo trúng thưởng"


def partner(session: Session, name: str, max_tlp: str) -> tuple[Partner, Principal]:
    record = partners.add_partner(session, "cli:t", name, "TH")
    record.max_tlp = max_tlp
    session.flush()
    return record, Principal(record.id, name.lower(), Role.PARTNER, "token", partner_id=record.id)


def shared(session: Session, make_report: ReportMaker, text: str, value: str, tlp: str) -> str:
    """A confirmed indicator published at `tlp`; the code of its report."""
    report = make_report(text)
    confirm(session, report.code)
    set_indicator_tlp(session, staff("analyst:lan"), indicator(session, value).id, tlp, SETTINGS)
    return report.code


def ids_of(session: Session, value: str) -> set[str]:
    """The ids of an indicator's published objects."""
    origin = f"indicator:{indicator(session, value).id}"
    return set(session.scalars(select(SharedObject.stix_id).where(SharedObject.origin == origin)))


def pulled(session: Session, caller: Principal) -> dict[str, dict]:
    page = objects_page(session, caller, "indicators", ObjectQuery())
    return {item["id"]: item for item in map(json.loads, page.items)}


def unconfirm(session: Session, code: str) -> None:
    report_id = session.scalar(select(Report.id).where(Report.code == code))
    statement = update(ReportIndicator).where(ReportIndicator.report_id == report_id)
    session.execute(statement.values(confirmed=False))
    publish(session, SETTINGS)


def test_a_bundle_for_a_partner_names_nothing_its_policy_hides(
    db_session: Session, make_report: ReportMaker, tmp_path: Path
) -> None:
    shared(db_session, make_report, PHONE_TEXT, PHONE, "amber")
    shared(db_session, make_report, ACCOUNT_TEXT, ACCOUNT, "green")
    gone = shared(db_session, make_report, OTHER_TEXT, OTHER, "green")
    other_ids = ids_of(db_session, OTHER)
    export_bundle(db_session, "cli:t", Tlp.GREEN)  # `stix:green` takes the other phone
    unconfirm(db_session, gone)  # revoked before the partner ever had it
    record, caller = partner(db_session, "CCIB", "green")

    bundle = export_bundle(db_session, "cli:t", Tlp.AMBER, record)

    text = json.dumps(bundle)
    assert not [i for i in ids_of(db_session, PHONE) if i in text]  # above its policy
    assert not [i for i in other_ids if i in text]  # revoked, never received
    assert ids_of(db_session, ACCOUNT) <= {o["id"] for o in bundle["objects"]}
    assert f"value = '{PHONE}'" not in text
    assert f"value = '{OTHER}'" not in text
    assert {o["id"] for o in bundle["objects"]} == set(pulled(db_session, caller))
    # At a TLP level: a reader that never had the other phone gets none of its ids either.
    fresh = json.dumps(export_bundle(db_session, "cli:t", Tlp.AMBER, "a new reader"))
    assert not [i for i in other_ids if i in fresh]
    feed = misp_service.write_feed(db_session, "cli:t", Tlp.AMBER, "tipline", tmp_path / "f")
    assert not [i for i in other_ids if i in json.dumps(feed.events) + json.dumps(feed.ids)]
    assert [i for i in other_ids if i in json.dumps(export_bundle(db_session, "cli:t", Tlp.GREEN))]


def test_a_partner_bundle_at_a_lower_tlp_withdraws_nothing_it_may_still_see(
    db_session: Session, make_report: ReportMaker
) -> None:
    shared(db_session, make_report, PHONE_TEXT, PHONE, "amber")
    shared(db_session, make_report, ACCOUNT_TEXT, ACCOUNT, "green")
    record, caller = partner(db_session, "CCIB", "amber")
    had = pulled(db_session, caller)  # it takes the phone over TAXII
    phone_ids = ids_of(db_session, PHONE)
    assert phone_ids <= set(had)
    again = make_report(PHONE_TEXT + ", lần 2")
    confirm(db_session, again.code)
    publish(db_session, SETTINGS)  # the phone's objects at a new version (two reports)

    bundle = export_bundle(db_session, "cli:t", Tlp.GREEN, record)

    assert not [i for i in phone_ids if i in json.dumps(bundle)]  # neither it nor a withdrawal
    assert ids_of(db_session, ACCOUNT) <= {o["id"] for o in bundle["objects"]}
    now = pulled(db_session, caller)
    live = [now[i] for i in phone_ids if i in now and now[i]["type"] == "indicator"]
    assert [(o["pattern"], o.get("revoked", False)) for o in live] == [
        (f"[phone-number:value = '{PHONE}']", False)
    ]  # its collection still serves the phone, at the new version
