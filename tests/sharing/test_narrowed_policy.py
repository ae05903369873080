"""Narrowing a partner's policy withdraws what it already received and may no longer see: its
next pull carries a revocation (a newer `modified`, `revoked: true`, marked as it had it);
a partner that may still see the objects keeps them as they were; one that never had them
never sees their ids."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.conftest import ReportMaker
from tests.principals import staff
from tests.sharing.stix_fixtures import confirm, indicator, instance_settings

from tipline.audit.models import AuditEntry
from tipline.partners import service as partners
from tipline.principals import Principal, Role
from tipline.sharing.markings import set_indicator_tlp
from tipline.sharing.models import SharedObject
from tipline.sharing.policies import PolicyChange, set_policy
from tipline.sharing.policy import KINDS
from tipline.sharing.service import publish
from tipline.sharing.taxii.core import ObjectQuery
from tipline.sharing.taxii.service import objects_page
from tipline.sharing.tlp import Tlp

SETTINGS = instance_settings()
PHONE = "+84912345678"
INDICATOR_TYPES = {"indicator", "observed-data", "sighting"}


def partner(session: Session, name: str, max_tlp: str) -> Principal:
    record = partners.add_partner(session, "cli:t", name, "TH")
    record.max_tlp = max_tlp
    session.flush()
    return Principal(record.id, name.lower(), Role.PARTNER, "token", partner_id=record.id)


def pull(session: Session, caller: Principal, after: datetime | None = None) -> list[dict]:
    page = objects_page(session, caller, "indicators", ObjectQuery(added_after=after))
    return [json.loads(item) for item in page.items]


def of_indicator(objects: list[dict]) -> dict[str, dict]:
    return {o["type"]: o for o in objects if o["type"] in INDICATOR_TYPES}


def last_added(session: Session) -> datetime:
    found = session.scalar(select(func.max(SharedObject.date_added)))
    assert found is not None
    return found


def shared_phone(session: Session, make_report: ReportMaker, tlp: str) -> None:
    report = make_report("Gọi từ số 0912 345 678 để nhận thưởng")
    confirm(session, report.code)
    set_indicator_tlp(session, staff("analyst:lan"), indicator(session, PHONE).id, tlp, SETTINGS)


@pytest.mark.parametrize(
    "change",
    [
        PolicyChange(max_tlp="green"),  # the TLP it may receive lowered below the indicator's
        PolicyChange(kinds=[k for k in KINDS if k != "phone"]),  # the kind removed
    ],
    ids=["tlp", "kind"],
)
def test_narrowing_a_policy_withdraws_what_the_partner_had(
    db_session: Session, make_report: ReportMaker, change: PolicyChange
) -> None:
    shared_phone(db_session, make_report, "amber")
    narrowed, kept = partner(db_session, "CCIB", "amber"), partner(db_session, "MY", "amber")
    never = partner(db_session, "KH", "green")  # its policy never admitted the indicator
    had = of_indicator(pull(db_session, narrowed))
    assert had["indicator"]["pattern"] == f"[phone-number:value = '{PHONE}']"
    kept_before = of_indicator(pull(db_session, kept))
    assert kept_before == had
    pulled = last_added(db_session)

    set_policy(db_session, "admin:an", "CCIB", change)

    withdrawn = pull(db_session, narrowed, after=pulled)
    assert {o["type"] for o in withdrawn} == INDICATOR_TYPES
    assert all(o["revoked"] is True for o in withdrawn)
    assert {o["id"] for o in withdrawn} == {o["id"] for o in had.values()}
    for item in withdrawn:
        assert item["modified"] > had[item["type"]]["modified"]  # a newer version
        assert item["object_marking_refs"] == [Tlp.AMBER.marking_id]  # as it had it
    assert PHONE not in json.dumps(withdrawn)
    assert pull(db_session, narrowed, after=pulled) == withdrawn  # the same when read again
    assert of_indicator(pull(db_session, narrowed)) == of_indicator(withdrawn)

    kept_after = of_indicator(pull(db_session, kept))
    for kind, item in kept_after.items():  # the same objects, at the new version
        assert item.get("revoked") is not True
        assert {k: v for k, v in item.items() if k != "modified"} == {
            k: v for k, v in kept_before[kind].items() if k != "modified"
        }
    assert of_indicator(pull(db_session, never)) == {}
    ids = {o["id"] for o in had.values()}
    assert not ids & {o["id"] for o in pull(db_session, never)}

    entry = db_session.scalars(
        select(AuditEntry).where(AuditEntry.action == "partner.policy")
    ).one()
    assert json.loads(entry.details_json)["withdrawn"] == 4  # its four objects
    assert publish(db_session, SETTINGS).written == 0  # the new version is what publishing builds


def test_widening_or_narrowing_what_it_never_had_publishes_nothing_again(
    db_session: Session, make_report: ReportMaker
) -> None:
    shared_phone(db_session, make_report, "amber")
    narrowed = partner(db_session, "CCIB", "amber")  # never pulls
    before = dict(db_session.execute(select(SharedObject.stix_id, SharedObject.modified)).all())

    set_policy(db_session, "admin:an", "CCIB", PolicyChange(max_tlp="green"))
    set_policy(db_session, "admin:an", "CCIB", PolicyChange(max_tlp="red"))

    after = dict(db_session.execute(select(SharedObject.stix_id, SharedObject.modified)).all())
    assert after == before
    assert of_indicator(pull(db_session, narrowed))["indicator"].get("revoked") is not True
