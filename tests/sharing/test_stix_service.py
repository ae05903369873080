"""Publishing and exporting STIX on a real database: what is shareable is published once, kept
while unchanged, versioned when it changes and revoked when it stops being shareable; every
export at every TLP passes the strict validator and holds what that TLP admits."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.conftest import ReportMaker
from tests.sharing.stix_checks import problems
from tests.sharing.stix_fixtures import confirm, indicator, instance_settings

from tipline.audit.models import AuditEntry
from tipline.sharing import service, stix
from tipline.sharing.models import SharedObject
from tipline.sharing.policy import SharingPolicy
from tipline.sharing.tlp import TLP_ORDER, Tlp

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
SETTINGS = instance_settings()
SCAM = "Họ gọi từ số 0912 345 678 và bảo chuyển vào STK 0123456789 Vietcombank, link https://vcb-xacthuc.com/dang-nhap"
DEFINITIONS = 12  # 2 identities, 5 extension definitions, 5 TLP markings


def rows(session: Session) -> dict[str, SharedObject]:
    return {row.stix_id: row for row in session.scalars(select(SharedObject))}


def of_type(session: Session, stix_type: str) -> list[dict[str, Any]]:
    statement = select(SharedObject.body).where(SharedObject.type == stix_type)
    return [json.loads(body) for body in session.scalars(statement)]


def test_publish_shares_confirmed_indicators_only(
    db_session: Session, make_report: ReportMaker
) -> None:
    confirmed = make_report(SCAM + ". Số của tôi là 0987 654 321")
    make_report("Họ nhắn từ số 0933 111 222 đòi tiền")  # never confirmed
    confirm(db_session, confirmed.code, own=("+84987654321",))
    summary = service.publish(db_session, SETTINGS, now=T0)
    patterns = sorted(body["pattern"] for body in of_type(db_session, "indicator"))
    assert patterns == [
        "[domain-name:value = 'vcb-xacthuc.com']",
        "[phone-number:value = '+84912345678']",
        "[url:value = 'https://vcb-xacthuc.com/dang-nhap']",
        "[x-tipline-bank-account:value = 'VCB:0123456789']",
    ]
    assert len(rows(db_session)) == DEFINITIONS + 4 * 4
    assert (summary.written, summary.objects) == (5, DEFINITIONS + 16)
    sighting = of_type(db_session, "sighting")[0]
    assert sighting["count"] == 1
    assert {row.date_added for row in rows(db_session).values()} == {T0}


def test_unchanged_objects_keep_their_version_and_changed_ones_get_a_new_one(
    db_session: Session, make_report: ReportMaker
) -> None:
    first = make_report(SCAM)
    confirm(db_session, first.code)
    service.publish(db_session, SETTINGS, now=T0)
    before = {k: (r.modified, r.date_added) for k, r in rows(db_session).items()}
    again = service.publish(db_session, SETTINGS, now=T0 + timedelta(hours=1))
    assert (again.written, again.objects, again.unchanged) == (0, 0, 5)
    assert {k: (r.modified, r.date_added) for k, r in rows(db_session).items()} == before

    second = make_report("Lại số 0912345678 gọi, đòi 5 triệu")
    confirm(db_session, second.code)
    later = T0 + timedelta(hours=2)
    changed = service.publish(db_session, SETTINGS, now=later)
    # The phone's objects change (two reports now), and the two reports make a campaign.
    assert (changed.written, changed.unchanged) == (2, 4)
    phone = f"indicator:{indicator(db_session, '+84912345678').id}"
    for row in rows(db_session).values():
        moved = row.origin == phone or row.origin.startswith("campaign:")
        assert (row.date_added == later) is moved, row
        assert (row.modified == later) is moved, row
    sighting = next(s for s in of_type(db_session, "sighting") if s["count"] == 2)
    assert sighting["created"] == "2026-12-07T09:00:00.000Z"


def test_an_indicator_no_longer_shareable_is_revoked(
    db_session: Session, make_report: ReportMaker
) -> None:
    report = make_report("Gọi từ số 0912 345 678")
    confirm(db_session, report.code)
    service.publish(db_session, SETTINGS, now=T0)
    phone = indicator(db_session, "+84912345678")
    phone.allowlisted = True
    db_session.flush()
    summary = service.publish(db_session, SETTINGS, now=T0 + timedelta(days=1))
    assert (summary.revoked, summary.withdrawn) == (3, 1)
    left = [r for r in rows(db_session).values() if r.origin == f"indicator:{phone.id}"]
    assert sorted(r.type for r in left) == ["indicator", "observed-data", "sighting"]
    assert all(r.revoked and json.loads(r.body)["revoked"] is True for r in left)
    assert all(json.loads(r.body)["modified"] == "2026-12-08T09:00:00.000Z" for r in left)
    # Shareable again: a new, unrevoked version of the same objects.
    phone.allowlisted = False
    db_session.flush()
    service.publish(db_session, SETTINGS, now=T0 + timedelta(days=2))
    back = [r for r in rows(db_session).values() if r.origin == f"indicator:{phone.id}"]
    assert len(back) == 4
    assert not any(r.revoked for r in back)


@pytest.mark.parametrize("tlp", TLP_ORDER, ids=str)
def test_export_at_every_tlp_is_valid_and_holds_what_it_admits(
    tlp: Tlp, db_session: Session, make_report: ReportMaker
) -> None:
    report = make_report(SCAM)
    confirm(db_session, report.code)
    indicator(db_session, "+84912345678").tlp = "clear"
    indicator(db_session, "VCB:0123456789").tlp = "red"
    db_session.flush()
    service.publish(db_session, SETTINGS, now=T0)
    bundle = service.export_bundle(db_session, "cli:test", tlp)
    assert problems(bundle) == []
    markings = {
        o["object_marking_refs"][0] for o in bundle["objects"] if "object_marking_refs" in o
    }
    assert markings <= {level.marking_id for level in TLP_ORDER[: tlp.rank + 1]}
    patterns = {o["pattern"] for o in bundle["objects"] if o["type"] == "indicator"}
    assert ("[phone-number:value = '+84912345678']" in patterns) is True
    assert ("[x-tipline-bank-account:value = 'VCB:0123456789']" in patterns) is (tlp is Tlp.RED)
    assert ("[domain-name:value = 'vcb-xacthuc.com']" in patterns) is (tlp.rank >= Tlp.AMBER.rank)
    entry = db_session.scalars(select(AuditEntry).order_by(AuditEntry.sequence.desc())).first()
    assert entry is not None
    details = json.loads(entry.details_json)
    assert (entry.action, details["what"], details["to"]) == ("share", "stix.bundle", "export")
    assert details["count"] == len(bundle["objects"])
    assert details["policy"]["max_tlp"] == tlp.value


def test_campaigns_go_to_policies_that_take_them(
    db_session: Session, make_report: ReportMaker
) -> None:
    one = make_report("Đầu tư tiền ảo, họ bảo chuyển vào STK 0123456789 Vietcombank, mất 20 triệu")
    two = make_report(
        "Sàn đầu tư lừa, chuyển tiền vào tài khoản 0123456789 Vietcombank",
        loss_amount=5_000_000,
        loss_currency="VND",
    )
    confirm(db_session, one.code)
    confirm(db_session, two.code)
    service.publish(db_session, SETTINGS, now=T0)
    campaigns = of_type(db_session, "campaign")
    assert len(campaigns) == 1
    extension = next(iter(campaigns[0]["extensions"].values()))
    assert extension["report_count"] == 2
    assert extension["losses"] == [{"currency": "VND", "amount": "5000000.00"}]
    with_campaigns = service.export_bundle(
        db_session, "cli:test", SharingPolicy(Tlp.AMBER, campaigns=True)
    )
    without = service.export_bundle(db_session, "cli:test", SharingPolicy(Tlp.AMBER))
    assert problems(with_campaigns) == []
    types = [o["type"] for o in with_campaigns["objects"]]
    assert (types.count("campaign"), types.count("relationship")) == (1, 1)
    assert not {"campaign", "relationship"} & {o["type"] for o in without["objects"]}
    link = next(o for o in with_campaigns["objects"] if o["type"] == "relationship")
    assert link["relationship_type"] == "indicates"
    assert link["target_ref"] == campaigns[0]["id"]


def test_ids_are_the_same_in_every_export(db_session: Session, make_report: ReportMaker) -> None:
    report = make_report(SCAM)
    confirm(db_session, report.code)
    service.publish(db_session, SETTINGS, now=T0)
    first = service.export_bundle(db_session, "cli:test", Tlp.AMBER)
    db_session.execute(SharedObject.__table__.delete())
    service.publish(db_session, SETTINGS, now=T0 + timedelta(days=3))
    second = service.export_bundle(db_session, "cli:test", Tlp.AMBER)
    assert first["id"] != second["id"]
    assert sorted(o["id"] for o in first["objects"]) == sorted(o["id"] for o in second["objects"])
    assert db_session.scalar(select(func.count()).select_from(AuditEntry)) >= 2


def test_a_new_identity_name_versions_everything_and_revokes_old_sightings(
    db_session: Session, make_report: ReportMaker
) -> None:
    report = make_report("Gọi từ số 0912 345 678")
    confirm(db_session, report.code)
    service.publish(db_session, SETTINGS, now=T0)
    old_sighting = of_type(db_session, "sighting")[0]["id"]
    renamed = instance_settings(name="Vietnam A05")
    summary = service.publish(db_session, renamed, now=T0 + timedelta(days=1))
    assert (summary.written, summary.unchanged, summary.revoked, summary.withdrawn) == (2, 0, 1, 1)
    stored = rows(db_session)
    assert stored[old_sighting].revoked
    identities = {json.loads(r.body)["name"] for r in stored.values() if r.type == "identity"}
    assert identities == {"Vietnam A05", "tipline project"}
    fresh = [s for s in of_type(db_session, "sighting") if not s.get("revoked")]
    assert [s["where_sighted_refs"] for s in fresh] == [[stix.identity_id("Vietnam A05")]]


def test_an_indicator_leaving_a_campaign_revokes_its_relationship(
    db_session: Session, make_report: ReportMaker
) -> None:
    reports = [
        make_report(f"Lừa đầu tư, chuyển vào STK 0123456789 Vietcombank, lần {n}") for n in (1, 2)
    ]
    for receipt in reports:
        confirm(db_session, receipt.code)
    service.publish(db_session, SETTINGS, now=T0)
    (link,) = of_type(db_session, "relationship")
    indicator(db_session, "VCB:0123456789").allowlisted = True
    db_session.flush()
    service.publish(db_session, SETTINGS, now=T0 + timedelta(days=1))
    stored = rows(db_session)
    assert stored[link["id"]].revoked
    assert all(r.revoked for r in stored.values() if r.type == "campaign")
