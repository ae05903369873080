"""Every share in the audit log: what, to whom, when, under which policy."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from tipline.audit.service import verify_log
from tipline.partners import service as partners
from tipline.sharing.audit import MAX_IDS, policy_record, record_share
from tipline.sharing.policy import SharingPolicy
from tipline.sharing.tlp import Tlp

WHEN = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
NARROW = SharingPolicy(Tlp.AMBER, frozenset({"sextortion", "fraud.investment"}), frozenset({"url"}))


def test_a_policy_is_kept_with_all_for_every_category_or_kind() -> None:
    assert policy_record(SharingPolicy()) == {
        "max_tlp": "clear",
        "categories": "all",
        "kinds": "all",
        "campaigns": False,
    }
    assert policy_record(NARROW) == {
        "max_tlp": "amber",
        "categories": ["fraud.investment", "sextortion"],
        "kinds": ["url"],
        "campaigns": False,
    }


def test_a_share_to_a_partner_names_it_the_policy_and_the_objects(db_session: Session) -> None:
    partner = partners.add_partner(db_session, "cli:t", "Thai Police CCIB", "TH")
    ids = ["indicator--a", "indicator--b"]
    entry = record_share(
        db_session, "partner:ccib", partner, NARROW, "taxii.objects", 2, ids=ids, now=WHEN
    )
    assert (entry.actor, entry.action, entry.target_type) == ("partner:ccib", "share", "partner")
    assert entry.target_id == str(partner.id)
    assert entry.recorded_at == WHEN
    assert entry.details == {
        "what": "taxii.objects",
        "count": 2,
        "to": "Thai Police CCIB",
        "policy": policy_record(NARROW),
        "ids": ids,
    }
    assert verify_log(db_session).intact


def test_an_export_without_a_receiver_keeps_the_count_and_at_most_the_first_ids(
    db_session: Session,
) -> None:
    ids = [f"indicator--{i}" for i in range(MAX_IDS + 5)]
    entry = record_share(
        db_session, "cli:admin", None, SharingPolicy(), "stix.bundle", len(ids), ids=ids
    )
    assert (entry.target_type, entry.target_id) == ("recipient", "export")
    assert entry.details["count"] == MAX_IDS + 5
    assert entry.details["ids"] == ids[:MAX_IDS]
    assert entry.details["ids_truncated"] is True
    assert entry.details["to"] == "export"
