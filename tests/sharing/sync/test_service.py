"""`sync_partner` against a TAXII 2.1 server in memory: pulls page by page from where it
stopped, survives an interruption, pushes what the policy admits once, fails in one line."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.live_server import free_port
from tests.sharing.sync.fake_taxii import READ_ID, URL, WRITE_ID, AsgiTransport, FakeTaxii

from tipline.audit.models import AuditEntry
from tipline.partners import service as partners
from tipline.partners.models import Partner
from tipline.sealing import derived_key
from tipline.sharing.models import SharedObject
from tipline.sharing.policy import category_mask
from tipline.sharing.sync import core, service
from tipline.sharing.sync.client import PartnerServer, PartnerServerError
from tipline.sharing.sync.models import PartnerEndpoint, PushedObject, SyncCursor

KEY = derived_key("test key")
ACTOR = "cli:test"
WHEN = datetime(2026, 12, 1, tzinfo=UTC)
FRAUD = category_mask(["fraud.investment"])


class Imports:
    """Records the bundles the sync imports (the importer of the STIX service, stood in for)."""

    def __init__(self) -> None:
        self.bundles: list[tuple[str, list[str]]] = []

    def __call__(self, session: Session, actor: str, source: str, bundle: dict[str, Any]) -> None:
        assert bundle["type"] == "bundle"
        self.bundles.append((source, [o["id"] for o in bundle["objects"]]))

    @property
    def ids(self) -> list[str]:
        return [i for _, ids in self.bundles for i in ids]


def served(count: int) -> FakeTaxii:
    fake = FakeTaxii()
    for i in range(count):
        fake.add(f"2026-12-01T00:00:0{i}.000000Z", {"type": "indicator", "id": f"indicator--{i}"})
    return fake


def partner_with_server(session: Session, token: bool = False) -> Partner:
    partner = partners.add_partner(session, ACTOR, "Thai CCIB", "TH")
    secret = "s3cret-at-partner"
    credentials = core.Credentials("token" if token else "basic", "tipline", secret)
    service.set_endpoint(session, ACTOR, "Thai CCIB", URL, credentials, KEY)
    return partner


def through(fake: FakeTaxii) -> Callable[[str, core.Credentials], PartnerServer]:
    return lambda url, credentials: PartnerServer(url, credentials, AsgiTransport(fake.app()))


def sync(
    session: Session, partner: Partner, fake: FakeTaxii, imports: Imports, limit: int = 2
) -> service.SyncResult:
    return service.sync_partner(
        session, ACTOR, partner, KEY, limit=limit, importer=imports, connect=through(fake)
    )


def test_the_endpoint_keeps_the_secret_sealed(db_session: Session) -> None:
    partner = partner_with_server(db_session)
    endpoint = db_session.get(PartnerEndpoint, partner.id)
    assert endpoint is not None
    assert (endpoint.url, endpoint.auth, endpoint.username) == (URL, "basic", "tipline")
    assert "s3cret" not in endpoint.sealed_secret
    assert "s3cret" not in repr(endpoint)
    entries = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "partner.endpoint"))
    assert [json.loads(e.details_json) for e in entries] == [{"url": URL, "auth": "basic"}]


def test_a_sync_pulls_page_by_page_then_only_what_is_new(db_session: Session) -> None:
    partner = partner_with_server(db_session)
    fake, imports = served(5), Imports()
    result = sync(db_session, partner, fake, imports)
    assert (result.pulled, result.collections) == (5, 2)
    assert imports.bundles == [
        ("Thai CCIB", ["indicator--0", "indicator--1"]),
        ("Thai CCIB", ["indicator--2", "indicator--3"]),
        ("Thai CCIB", ["indicator--4"]),
    ]
    cursor = db_session.get(SyncCursor, (partner.id, READ_ID))
    assert cursor is not None
    assert (cursor.added_last, cursor.pulled) == ("2026-12-01T00:00:04.000000Z", 5)

    fake.add("2026-12-01T00:00:09.000000Z", {"type": "indicator", "id": "indicator--9"})
    again = sync(db_session, partner, fake, imports)
    assert again.pulled == 1
    assert imports.ids[-1] == "indicator--9"
    last_request = [r for r in fake.requests_seen if "limit" in r][-1]
    assert last_request == {"limit": "2", "added_after": "2026-12-01T00:00:04.000000Z"}
    assert sync(db_session, partner, fake, imports).pulled == 0


def test_an_interrupted_sync_resumes_where_it_stopped(db_session: Session) -> None:
    partner = partner_with_server(db_session)
    fake, imports = served(5), Imports()
    fake.fail_on_page = 2
    with pytest.raises(PartnerServerError, match=r"answered HTTP 500"):
        sync(db_session, partner, fake, imports)
    assert imports.ids == ["indicator--0", "indicator--1"]  # the first page is kept
    cursor = db_session.get(SyncCursor, (partner.id, READ_ID))
    assert cursor is not None
    assert (cursor.added_last, cursor.next_page, cursor.pulled) == (None, "0:2", 2)
    fake.fail_on_page = None
    assert sync(db_session, partner, fake, imports).pulled == 3
    assert imports.ids == [f"indicator--{i}" for i in range(5)]  # each once
    assert [r.get("next") for r in fake.requests_seen if "limit" in r][-2:] == ["0:2", "0:4"]
    assert (cursor.added_last, cursor.next_page) == ("2026-12-01T00:00:04.000000Z", None)


def test_objects_added_at_one_instant_are_not_skipped_on_resuming(db_session: Session) -> None:
    partner = partner_with_server(db_session)
    fake, imports = FakeTaxii(), Imports()
    for i in range(5):  # one publication: every object added at the same instant
        fake.add("2026-12-01T00:00:00.000000Z", {"type": "indicator", "id": f"indicator--{i}"})
    fake.fail_on_page = 2
    with pytest.raises(PartnerServerError):
        sync(db_session, partner, fake, imports)
    fake.fail_on_page = None
    assert sync(db_session, partner, fake, imports).pulled == 3
    assert sorted(imports.ids) == [f"indicator--{i}" for i in range(5)]


def test_a_next_the_server_forgot_starts_the_run_again(db_session: Session) -> None:
    partner = partner_with_server(db_session)
    fake, imports = served(5), Imports()
    fake.fail_on_page = 2
    with pytest.raises(PartnerServerError):
        sync(db_session, partner, fake, imports)
    fake.fail_on_page, fake.generation = None, 1  # the server restarted: "0:2" means nothing
    assert sync(db_session, partner, fake, imports).pulled == 5  # from the start: nothing lost
    assert imports.ids == [f"indicator--{i}" for i in (0, 1, 0, 1, 2, 3, 4)]


def publish(session: Session, stix_id: str, tlp: str, kind: str = "phone") -> SharedObject:
    body = json.dumps({"type": "indicator", "id": stix_id, "modified": "2026-12-01T00:00:00Z"})
    shared = SharedObject(
        stix_id=stix_id, type="indicator", origin=f"test:{stix_id}", tlp=tlp, kind=kind,
        category_mask=FRAUD, needs_campaigns=False, revoked=False, modified=WHEN,
        date_added=WHEN, body=body,
    )  # fmt: skip
    session.add(shared)
    session.flush()
    return shared


def test_a_sync_pushes_what_the_policy_admits_once(db_session: Session) -> None:
    partner = partner_with_server(db_session)
    partner.max_tlp, partner.kinds = "green", "phone,url"
    for stix_id, tlp, kind in [
        ("indicator--clear-phone", "clear", "phone"),
        ("indicator--green-url", "green", "url"),
        ("indicator--amber-phone", "amber", "phone"),
        ("indicator--clear-bank", "clear", "bank_account"),
        ("indicator--refused", "clear", "phone"),
    ]:
        publish(db_session, stix_id, tlp, kind)
    fake, imports = served(0), Imports()
    fake.reject = frozenset({"indicator--refused"})
    result = sync(db_session, partner, fake, imports)
    assert (result.pushed, result.rejected) == (2, 1)
    assert sorted(o["id"] for o in fake.posted) == [
        "indicator--clear-phone",
        "indicator--green-url",
    ]
    pushed = db_session.scalars(
        select(PushedObject.stix_id).where(
            PushedObject.partner_id == partner.id,
            PushedObject.collection_id == WRITE_ID,
            PushedObject.rejected.is_(False),
        )
    )
    assert sorted(pushed) == ["indicator--clear-phone", "indicator--green-url"]
    share = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "share")).one()
    details = json.loads(share.details_json)
    assert (details["what"], details["count"], details["to"]) == ("taxii.push", 2, "Thai CCIB")
    assert details["policy"]["max_tlp"] == "green"

    refused = db_session.get(PushedObject, (partner.id, WRITE_ID, "indicator--refused"))
    assert refused is not None
    assert (refused.rejected, refused.reason) == (True, "pattern type not supported")
    assert service.rejections(db_session, [partner.id])[partner.id][0] == 1

    fake.posted.clear()
    fake.reject = frozenset()
    result = sync(db_session, partner, fake, imports)
    assert (result.pushed, result.rejected, fake.posted) == (0, 0, [])  # unchanged: not resent
    for stix_id in ("indicator--clear-phone", "indicator--refused"):
        changed = db_session.get(SharedObject, stix_id)
        assert changed is not None
        changed.modified = WHEN + timedelta(days=1)
    assert sync(db_session, partner, fake, imports).pushed == 2  # a new version goes again
    assert sorted(o["id"] for o in fake.posted) == ["indicator--clear-phone", "indicator--refused"]
    assert service.rejections(db_session, [partner.id]) == {}  # accepted now: no rejection left


def test_a_token_signs_in_and_a_wrong_secret_fails_in_one_line(db_session: Session) -> None:
    partner = partner_with_server(db_session, token=True)
    fake, imports = served(1), Imports()
    fake.token = True
    assert sync(db_session, partner, fake, imports).pulled == 1
    fake.secret = "changed"
    with pytest.raises(PartnerServerError) as refused:
        sync(db_session, partner, fake, imports)
    assert refused.value.message == (
        "https://partner.example:443 refused our credentials (HTTP 401): check the endpoint's"
        " user and password or token"
    )
    assert "s3cret" not in refused.value.message


def test_an_api_root_on_another_server_is_refused(db_session: Session) -> None:
    partner = partner_with_server(db_session)
    fake, imports = served(1), Imports()
    fake.api_roots = ("https://elsewhere.example/taxii2/root/",)
    with pytest.raises(PartnerServerError, match="sent us to another server"):
        sync(db_session, partner, fake, imports)
    assert imports.bundles == []


def test_an_unreachable_server_fails_in_one_line(db_session: Session) -> None:
    partner = partner_with_server(db_session)
    endpoint = db_session.get(PartnerEndpoint, partner.id)
    assert endpoint is not None
    endpoint.url = f"http://127.0.0.1:{free_port()}/taxii2/"
    with pytest.raises(PartnerServerError) as unreachable:
        service.sync_partner(db_session, ACTOR, partner, KEY, importer=Imports())
    assert unreachable.value.message.startswith("cannot reach http://127.0.0.1:")


def test_another_key_cannot_read_the_secret(db_session: Session) -> None:
    partner = partner_with_server(db_session)
    with pytest.raises(service.InvalidInput, match="cannot read the partner's stored secret"):
        service.sync_partner(db_session, ACTOR, partner, derived_key("other"), importer=Imports())


def test_a_revocation_is_pushed_only_to_a_partner_that_had_the_object(
    db_session: Session,
) -> None:
    partner = partner_with_server(db_session)
    partner.max_tlp = "green"
    publish(db_session, "indicator--had", "green")
    fake, imports = served(0), Imports()
    assert sync(db_session, partner, fake, imports).pushed == 1
    never = publish(db_session, "indicator--never", "green")
    never.revoked = True
    had = db_session.get(SharedObject, "indicator--had")
    assert had is not None
    had.revoked, had.modified = True, WHEN + timedelta(days=1)
    had.body = json.dumps({"type": "indicator", "id": had.stix_id, "revoked": True,
                           "modified": "2026-12-02T00:00:00Z"})  # fmt: skip
    raised = publish(db_session, "indicator--raised", "green")
    fake.posted.clear()
    sync(db_session, partner, fake, imports)
    assert sorted(o["id"] for o in fake.posted) == ["indicator--had", "indicator--raised"]
    assert fake.posted[0]["revoked"] is True  # the revocation of what it had; never "never"
    raised.tlp, raised.modified = "amber", WHEN + timedelta(days=1)
    fake.posted.clear()
    sync(db_session, partner, fake, imports)
    (withdrawn,) = fake.posted
    assert withdrawn["revoked"] is True
    assert withdrawn["object_marking_refs"] == [
        "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
    ]  # TLP:GREEN, as it had it
