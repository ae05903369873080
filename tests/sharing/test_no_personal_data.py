"""Nothing that identifies a victim leaves, whatever the policy: a database seeded with names,
victims' phones and emails, contacts, ages, places and narratives, next to confirmed scam
indicators, is exported under every TLP and policy, and none of it is in any output.

Each sharing surface adds its test here with the `personal_data` fixture (STIX bundles below;
TAXII responses beside them, and MISP events and feed files below).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session
from tests.conftest import ReportMaker
from tests.sharing.pii_seed import SHARED, Seeded, seed_personal_data
from tests.sharing.stix_checks import problems
from tests.sharing.stix_fixtures import instance_settings

from tipline.sharing import misp_service, service
from tipline.sharing.misp_feed import feed_files
from tipline.sharing.policy import SharingPolicy
from tipline.sharing.tlp import TLP_ORDER, Tlp

POLICIES = [
    SharingPolicy(max_tlp=tlp, campaigns=campaigns)
    for tlp in TLP_ORDER
    for campaigns in (False, True)
] + [
    SharingPolicy(
        max_tlp=Tlp.RED, categories=frozenset({"fraud.impersonation"}),
        kinds=frozenset({"phone", "bank_account", "email"}), campaigns=True,
    ),
]  # fmt: skip


@pytest.fixture
def personal_data(db_session: Session, make_report: ReportMaker) -> Seeded:
    """The seeded database, published: every surface reads what `publish` wrote."""
    seeded = seed_personal_data(db_session, make_report)
    service.publish(db_session, instance_settings(), now=datetime(2026, 12, 7, tzinfo=UTC))
    return seeded


@pytest.mark.parametrize(
    "policy", POLICIES, ids=lambda p: f"{p.max_tlp}-{p.campaigns}-{len(p.kinds)}"
)
def test_no_stix_bundle_carries_personal_data(
    db_session: Session, personal_data: Seeded, policy: SharingPolicy
) -> None:
    bundle = service.export_bundle(db_session, "cli:test", policy)
    text = json.dumps(bundle, ensure_ascii=False)
    assert personal_data.leaks(text) == []
    assert problems(bundle) == []


def test_the_seeded_indicators_are_shared(db_session: Session, personal_data: Seeded) -> None:
    """The check above is not vacuous: at RED with campaigns, the scam indicators are there."""
    bundle = service.export_bundle(db_session, "cli:test", SharingPolicy(Tlp.RED, campaigns=True))
    text = json.dumps(bundle, ensure_ascii=False)
    assert [value for value in SHARED if value not in text] == []
    assert {"campaign", "relationship", "sighting"} <= {o["type"] for o in bundle["objects"]}


# MISP: the events and every file of a feed, under each policy.
MISP_SHARED = ("+84912345678", "0123456789", "hotro_vcb", "vcb-xacthuc.com")


@pytest.mark.parametrize(
    "policy", POLICIES, ids=lambda p: f"{p.max_tlp}-{p.campaigns}-{len(p.kinds)}"
)
def test_no_misp_event_or_feed_carries_personal_data(
    db_session: Session, personal_data: Seeded, policy: SharingPolicy
) -> None:
    share = misp_service.events_at(db_session, policy, "tipline")
    for name, text in feed_files(share.events).items():
        assert (name, personal_data.leaks(text)) == (name, [])


def test_the_seeded_indicators_are_in_the_misp_events(
    db_session: Session, personal_data: Seeded
) -> None:
    """Not vacuous either: at RED with campaigns, MISP holds the scam indicators and a campaign."""
    share = misp_service.events_at(db_session, SharingPolicy(Tlp.RED, campaigns=True), "tipline")
    text = json.dumps(share.events, ensure_ascii=False)
    assert [value for value in MISP_SHARED if value not in text] == []
    assert any(e["Event"]["info"].startswith("tipline campaign: ") for e in share.events)
