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
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from tests.conftest import ReportMaker
from tests.sharing.pii_seed import SHARED, Seeded, seed_personal_data
from tests.sharing.stix_checks import problems
from tests.sharing.stix_fixtures import confirm, instance_settings
from tests.sharing.taxii.world import CHEAP

from tipline.accounts import service as accounts
from tipline.partners import service as partners
from tipline.settings import Settings
from tipline.sharing import misp_service, service
from tipline.sharing.misp_feed import feed_files
from tipline.sharing.policy import SharingPolicy, joined
from tipline.sharing.taxii.collections import INBOX, INDICATORS
from tipline.sharing.taxii.core import MEDIA_TYPE
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


def taxii_token(db_session: Session, policy: SharingPolicy | None) -> str:
    """A token of a partner agency's user under `policy` (None: an analyst's)."""
    if policy is None:
        accounts.create_user(db_session, "cli:test", "lan", "analyst", "analyst-password-2026")
        return accounts.create_token(db_session, "cli:test", "lan", "taxii").plaintext
    partner = partners.add_partner(db_session, "cli:test", "Partner agency", "TH")
    partner.max_tlp, partner.campaigns = policy.max_tlp.value, policy.campaigns
    partner.categories, partner.kinds = joined(policy.categories), joined(policy.kinds)
    accounts.create_user(db_session, "cli:test", "agency", "partner", "agency-password-2026",
                         partner="Partner agency")  # fmt: skip
    return accounts.create_token(db_session, "cli:test", "agency", "taxii").plaintext


def taxii_answers(client: TestClient, token: str) -> str:
    """Everything the TAXII server answers this caller (discovery, collections, every page of
    objects, the manifest, each object and its versions), as one text."""
    headers = {"authorization": f"Token {token}", "accept": MEDIA_TYPE}
    root = "/taxii2/tipline"
    objects = f"{root}/collections/{INDICATORS.id}/objects/"
    texts = [client.get(path, headers=headers).text for path in (
        "/taxii2/", f"{root}/", f"{root}/collections/", f"{root}/collections/{INBOX.id}/",
        f"{root}/collections/{INDICATORS.id}/manifest/",
    )]  # fmt: skip
    page = {"more": True, "next": None}
    while page["more"]:
        params = {"limit": 50} | ({"next": page["next"]} if page["next"] else {})
        answer = client.get(objects, headers=headers, params=params)
        texts.append(answer.text)
        page = answer.json()
        for stix_object in page.get("objects", [])[:5]:
            texts.append(client.get(f"{objects}{stix_object['id']}/", headers=headers).text)
            texts.append(
                client.get(f"{objects}{stix_object['id']}/versions/", headers=headers).text
            )
    return "\n".join(texts)


@pytest.mark.parametrize(
    "policy",
    [*POLICIES, None],
    ids=lambda p: f"{p.max_tlp}-{p.campaigns}-{len(p.kinds)}" if p else "staff",
)
def test_no_taxii_answer_carries_personal_data(
    db_session: Session, personal_data: Seeded, policy: SharingPolicy | None,
    settings: Settings, session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from tipline.app import create_app

    monkeypatch.setattr(accounts, "hash_password", CHEAP.hash)
    token = taxii_token(db_session, policy)
    with TestClient(create_app(settings=settings, session_factory=session_factory)) as client:
        text = taxii_answers(client, token)
    assert personal_data.leaks(text) == []
    if policy in (None, SharingPolicy(Tlp.RED, campaigns=True)):
        # Not vacuous: the scam indicators are served.
        assert [value for value in SHARED if value not in text.replace("\\", "")] == []


# MISP: the events and every file of a feed, under each policy.
MISP_SHARED = ("+84912345678", "0123456789", "hotro_vcb", "vcb-xacthuc.com")


@pytest.mark.parametrize(
    "policy", POLICIES, ids=lambda p: f"{p.max_tlp}-{p.campaigns}-{len(p.kinds)}"
)
def test_no_misp_event_or_feed_carries_personal_data(
    db_session: Session, personal_data: Seeded, policy: SharingPolicy
) -> None:
    share = misp_service.events_at(db_session, policy, "tipline", "misp:test")
    for name, text in feed_files(share.events).items():
        assert (name, personal_data.leaks(text)) == (name, [])


def test_the_seeded_indicators_are_in_the_misp_events(
    db_session: Session, personal_data: Seeded
) -> None:
    """Not vacuous either: at RED with campaigns, MISP holds the scam indicators and a campaign."""
    share = misp_service.events_at(
        db_session, SharingPolicy(Tlp.RED, campaigns=True), "tipline", "misp:test"
    )
    text = json.dumps(share.events, ensure_ascii=False)
    assert [value for value in MISP_SHARED if value not in text] == []
    assert any(e["Event"]["info"].startswith("tipline campaign: ") for e in share.events)


def test_a_value_marked_the_reporters_own_after_it_was_shared_leaves_no_surface(
    db_session: Session, make_report: ReportMaker, settings: Settings,
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """A victim's phone confirmed as a scammer's by mistake, published, then marked the
    reporter's own: its revoked version (which every partner receives) carries no value, and
    no bundle, TAXII answer or MISP feed holds it any more."""
    from tipline.app import create_app

    report = make_report("Số 0977 123 456 gọi cho tôi")
    confirm(db_session, report.code)
    service.publish(db_session, instance_settings(), now=datetime(2026, 12, 7, tzinfo=UTC))
    red = SharingPolicy(Tlp.RED, campaigns=True)
    first = json.dumps(service.export_bundle(db_session, "cli:test", red))
    assert "+84977123456" in first  # shared, as the mistake had it
    confirm(db_session, report.code, own=("+84977123456",))
    summary = service.publish(
        db_session, instance_settings(), now=datetime(2026, 12, 8, tzinfo=UTC)
    )
    assert (summary.revoked, summary.withdrawn) == (3, 1)
    bundle = service.export_bundle(db_session, "cli:test", red)
    assert problems(bundle) == []
    assert {o["type"] for o in bundle["objects"] if o.get("revoked")} == {
        "indicator", "observed-data", "sighting",
    }  # fmt: skip
    texts = [json.dumps(bundle)]
    texts += feed_files(
        misp_service.events_at(db_session, red, "tipline", "misp:test").events
    ).values()
    monkeypatch.setattr(accounts, "hash_password", CHEAP.hash)
    token = taxii_token(db_session, None)
    with TestClient(create_app(settings=settings, session_factory=session_factory)) as client:
        texts.append(taxii_answers(client, token))
    assert [t for t in texts if "977123456" in t.replace("\\", "")] == []
    assert "withdrawn.invalid" in texts[0]
