"""Every principal against every published object: who receives what is decided in the query."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from tipline.partners import service as partners
from tipline.principals import Caller, Principal, ReportHolder, Role
from tipline.sharing import repository
from tipline.sharing.models import SharedObject
from tipline.sharing.policy import SharingPolicy, category_mask
from tipline.sharing.tlp import Tlp

WHEN = datetime(2026, 12, 1, tzinfo=UTC)
FRAUD = category_mask(["fraud.investment"])
CHILD = category_mask(["child_exploitation"])

# stix id → (tlp, kind, categories, campaign data)
OBJECTS = {
    "indicator--clear-phone": ("clear", "phone", FRAUD, False),
    "indicator--green-url": ("green", "url", FRAUD, False),
    "indicator--amber-bank": ("amber", "bank_account", FRAUD, False),
    "indicator--red-phone": ("red", "phone", FRAUD, False),
    "indicator--clear-child-url": ("clear", "url", CHILD, False),
    "campaign--green": ("green", None, FRAUD, True),
    "relationship--clear-campaign": ("clear", "phone", FRAUD, True),
}


def publish(session: Session) -> None:
    for i, (stix_id, (tlp, kind, mask, campaign)) in enumerate(OBJECTS.items()):
        session.add(
            SharedObject(
                stix_id=stix_id,
                type=stix_id.split("--")[0],
                origin=f"test:{i}",
                tlp=tlp,
                kind=kind,
                category_mask=mask,
                needs_campaigns=campaign,
                revoked=False,
                modified=WHEN,
                date_added=WHEN,
                body="{}",
            )
        )
    session.flush()


def user(role: Role, partner_id: int | None = None) -> Principal:
    return Principal(1, "u", role, "token", partner_id=partner_id)


def readable(session: Session, caller: Caller) -> set[str]:
    return {o.stix_id for o in session.scalars(repository.readable_objects(session, caller))}


def test_each_principal_reads_what_its_policy_admits(db_session: Session) -> None:
    publish(db_session)
    narrow = partners.add_partner(db_session, "cli:t", "Thai CCIB", "TH")
    narrow.max_tlp, narrow.kinds, narrow.categories = "amber", "phone,url", "fraud.investment"
    wide = partners.add_partner(db_session, "cli:t", "Khmer police", "KH")
    wide.max_tlp, wide.campaigns = "green", True
    db_session.flush()

    everything = set(OBJECTS)
    assert readable(db_session, user(Role.ANALYST)) == everything
    assert readable(db_session, user(Role.ADMIN)) == everything
    assert readable(db_session, user(Role.PARTNER, narrow.id)) == {
        "indicator--clear-phone",
        "indicator--green-url",
    }
    assert readable(db_session, user(Role.PARTNER, wide.id)) == {
        "indicator--clear-phone",
        "indicator--green-url",
        "indicator--clear-child-url",
        "campaign--green",
        "relationship--clear-campaign",
    }
    # A partner role tied to no agency, or to one that does not exist, reads nothing.
    assert readable(db_session, user(Role.PARTNER)) == set()
    assert readable(db_session, user(Role.PARTNER, 10_000)) == set()
    assert readable(db_session, user(Role.PLATFORM)) == set()
    assert readable(db_session, ReportHolder(report_id=1)) == set()
    assert readable(db_session, None) == set()


def test_the_query_and_the_in_memory_test_agree() -> None:
    policy = SharingPolicy(
        max_tlp=Tlp.AMBER, categories=frozenset({"fraud.investment"}), kinds=frozenset({"phone"})
    )
    admitted = {
        stix_id
        for stix_id, (tlp, kind, mask, campaign) in OBJECTS.items()
        if policy.admits(Tlp(tlp), kind, mask, campaign)
    }
    assert admitted == {"indicator--clear-phone"}
