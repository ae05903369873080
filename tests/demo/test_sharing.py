"""The demo's sharing: the demo analyst's confirmations and TLPs (in the audit log), two partner
agencies with different policies and their credentials, published; loading again adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tipline.audit.models import AuditEntry
from tipline.demo.service import load_demo
from tipline.demo.sharing import DEMO_PARTNERS, load_sharing_demo
from tipline.partners.models import Partner
from tipline.principals import Principal, Role
from tipline.settings import Settings
from tipline.sharing.models import SharedObject
from tipline.sharing.policy import SharingPolicy
from tipline.sharing.repository import objects_for_policy, readable_objects


def entries(session: Session, action: str) -> int:
    stmt = select(func.count()).where(AuditEntry.action == action)
    return session.scalar(stmt) or 0


def indicators(session: Session, statement: object) -> list[SharedObject]:
    return [o for o in session.scalars(statement) if o.type == "indicator"]  # type: ignore[call-overload]


def test_the_demo_confirms_marks_adds_partners_and_publishes(
    db_session: Session, settings: Settings
) -> None:
    load_demo(db_session, shared=None, count=25, seed=5)
    loaded = load_sharing_demo(db_session, settings)
    assert loaded.confirmed > 5
    assert entries(db_session, "indicator.confirm") == loaded.confirmed
    assert entries(db_session, "indicator.tlp") == loaded.marked > 0
    assert entries(db_session, "partner.policy") == len(DEMO_PARTNERS)
    ccib = db_session.scalars(select(Partner).where(Partner.name == "Thai Police CCIB")).one()
    assert (ccib.max_tlp, ccib.kinds, ccib.campaigns) == (
        "amber",
        "bank_account,domain,phone,url",
        True,
    )
    assert [(name, user, token is not None) for name, user, _, token in loaded.partners] == [
        (p.name, p.username, True) for p in DEMO_PARTNERS
    ]
    clear = indicators(db_session, objects_for_policy(SharingPolicy(), "stix:clear"))
    assert clear, "an export at TLP:CLEAR has indicators"
    assert {o.tlp for o in clear} == {"clear"}
    as_ccib = Principal(9, "ccib", Role.PARTNER, "token", partner_id=ccib.id)
    received = indicators(db_session, readable_objects(db_session, as_ccib))
    assert {o.tlp for o in received} >= {"clear", "green"}
    assert {o.kind for o in received} <= {"phone", "url", "domain", "bank_account"}

    again = load_sharing_demo(db_session, settings)
    assert (again.confirmed, again.marked) == (0, 0)
    assert [token for *_, token in again.partners] == [None, None]
    assert entries(db_session, "indicator.confirm") == loaded.confirmed
