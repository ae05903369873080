"""The TAXII server through HTTP (the app's TestClient): its media type and error objects, every
caller against every collection, pages, filters and POSTed envelopes with their statuses."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from tests.sharing.taxii.world import (
    NARROW_READS,
    OBJECTS,
    PASSWORD,
    START,
    WIDE_READS,
    World,
    build_world,
    publish,
    stix_id,
)

from tipline.accounts import service as accounts
from tipline.app import create_app
from tipline.audit.models import AuditEntry
from tipline.indicators.models import IndicatorSource
from tipline.settings import Settings
from tipline.sharing.taxii.collections import INBOX, INDICATORS
from tipline.sharing.taxii.core import MEDIA_TYPE

ROOT = "/taxii2/tipline"
READ = f"{ROOT}/collections/{INDICATORS.id}"
WRITE = f"{ROOT}/collections/{INBOX.id}"


@pytest.fixture
def world(db_session: Session) -> World:
    return build_world(db_session)


@pytest.fixture
def client(settings: Settings, session_factory: sessionmaker[Session]) -> Iterator[TestClient]:
    app = create_app(settings=settings, session_factory=session_factory)
    with TestClient(app, headers={"accept": MEDIA_TYPE}) as test_client:
        yield test_client


def token(world: World, caller: str) -> dict[str, str]:
    return {"authorization": f"Token {world.tokens[caller]}"}


def basic(username: str, password: str = PASSWORD) -> dict[str, str]:
    pair = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"authorization": f"Basic {pair}"}


def assert_error(answer: object, status: int) -> dict[str, object]:
    from httpx import Response

    assert isinstance(answer, Response)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == MEDIA_TYPE
    body = answer.json()
    assert body["http_status"] == str(status)
    assert isinstance(body["title"], str)
    assert body["title"]
    assert "error" not in body  # not tipline's own error format
    return dict(body)


def test_discovery_and_the_api_root(client: TestClient, world: World) -> None:
    discovery = client.get("/taxii2/", headers=token(world, "wide"))
    assert discovery.status_code == 200
    assert discovery.headers["content-type"] == MEDIA_TYPE
    assert discovery.json()["api_roots"] == ["/taxii2/tipline/"]
    assert discovery.json()["default"] == "/taxii2/tipline/"
    root = client.get(f"{ROOT}/", headers=token(world, "wide")).json()
    assert root["versions"] == [MEDIA_TYPE]
    assert root["max_content_length"] == 3 * 1024 * 1024
    assert_error(client.get("/taxii2/elsewhere/", headers=token(world, "wide")), 404)
    # Without its trailing slash, a path is redirected to it (taxii2-client adds it anyway).
    bare = client.get("/taxii2", headers=token(world, "wide"), follow_redirects=False)
    assert (bare.status_code, bare.headers["location"]) == (307, "http://testserver/taxii2/")
    bare = client.get(f"{ROOT}/collections", headers=token(world, "wide"), follow_redirects=False)
    assert bare.headers["location"] == f"http://testserver{ROOT}/collections/"


def test_anonymous_and_wrong_credentials_get_401_with_a_challenge(
    client: TestClient, world: World
) -> None:
    for headers in ({}, {"authorization": "Token tl_wrong"}, basic("ccib", "wrong password")):
        refused = client.get("/taxii2/", headers=headers)
        body = assert_error(refused, 401)
        assert refused.headers["www-authenticate"].startswith("Basic realm=")
        assert body["error_code"] == "not_authenticated"
    # A session cookie is no TAXII credential.
    cookie = {"cookie": f"tipline_session={'x' * 43}"}
    assert_error(client.get(f"{READ}/objects/", headers=cookie), 401)


def test_basic_signs_in_a_partner_user_and_no_one_else(client: TestClient, world: World) -> None:
    assert client.get(f"{READ}/", headers=basic("ccib")).status_code == 200
    staff = assert_error(client.get(f"{READ}/", headers=basic("lan")), 401)
    assert "API token" in str(staff["description"])
    bearer = {"authorization": f"Bearer {world.tokens['narrow']}"}
    assert client.get(f"{READ}/", headers=bearer).status_code == 200


def test_basic_refuses_a_disabled_user_whose_password_was_just_verified(
    client: TestClient, world: World, db_session: Session
) -> None:
    assert client.get(f"{READ}/", headers=basic("ccib")).status_code == 200
    assert client.get(f"{READ}/", headers=basic("ccib")).status_code == 200  # held a minute
    accounts.disable_user(db_session, "cli:t", "ccib")
    assert_error(client.get(f"{READ}/", headers=basic("ccib")), 401)


def test_a_wrong_accept_gets_406_and_a_wrong_content_type_415(
    client: TestClient, world: World
) -> None:
    headers = token(world, "narrow")
    for accept in ("application/json", "application/taxii+json;version=2.0", "text/html"):
        assert_error(client.get("/taxii2/", headers=headers | {"accept": accept}), 406)
    for accept in ("*/*", "application/taxii+json", f"text/html, {MEDIA_TYPE}"):
        assert client.get("/taxii2/", headers=headers | {"accept": accept}).status_code == 200
    sent = client.post(f"{WRITE}/objects/", headers=headers | {"content-type": "application/json"},
                       content=b'{"objects": []}')  # fmt: skip
    assert_error(sent, 415)
    # Who is asking comes first: an anonymous POST gets 401 whatever it sends.
    anonymous = client.post(f"{WRITE}/objects/", headers={"content-type": "text/plain"},
                            content=b"x")  # fmt: skip
    assert_error(anonymous, 401)


COLLECTIONS = {
    "staff": {INDICATORS.id},
    "narrow": {INDICATORS.id, INBOX.id},
    "wide": {INDICATORS.id, INBOX.id},
    "platform": set(),
}


@pytest.mark.parametrize("caller", sorted(COLLECTIONS))
def test_every_caller_sees_its_collections_and_reads_its_objects(
    client: TestClient, world: World, caller: str
) -> None:
    headers = token(world, caller)
    listed = client.get(f"{ROOT}/collections/", headers=headers).json()
    assert {c["id"] for c in listed.get("collections", [])} == COLLECTIONS[caller]
    for collection in (INDICATORS, INBOX):
        answer = client.get(f"{ROOT}/collections/{collection.id}/", headers=headers)
        if collection.id in COLLECTIONS[caller]:
            assert answer.json() == collection.resource()
        else:
            assert_error(answer, 404)
    objects = client.get(f"{READ}/objects/", headers=headers)
    readable = {"staff": set(OBJECTS), "narrow": NARROW_READS, "wide": WIDE_READS}
    if caller in readable:
        ids = [o["id"] for o in objects.json()["objects"]]
        assert set(ids) == world.ids(readable[caller])
        assert ids == sorted(ids, key=[stix_id(name) for name in OBJECTS].index)  # date order
    else:
        assert_error(objects, 404)


def test_the_inbox_cannot_be_read_nor_the_indicators_written(
    client: TestClient, world: World
) -> None:
    headers = token(world, "wide")
    assert assert_error(client.get(f"{WRITE}/objects/", headers=headers), 403)["error_code"] == (
        "not_readable"
    )
    assert_error(client.get(f"{WRITE}/manifest/", headers=headers), 403)
    envelope = {"objects": []}
    posted = client.post(f"{READ}/objects/", headers=headers | {"content-type": MEDIA_TYPE},
                         json=envelope)  # fmt: skip
    assert assert_error(posted, 403)["error_code"] == "not_writable"
    # Staff read the indicators; the inbox is the partners'.
    staff = token(world, "staff") | {"content-type": MEDIA_TYPE}
    assert_error(client.post(f"{WRITE}/objects/", headers=staff, json=envelope), 404)


def test_pages_follow_next_and_stay_stable_while_objects_are_added(
    client: TestClient, world: World, db_session: Session
) -> None:
    headers = token(world, "staff")
    first = client.get(f"{READ}/objects/", headers=headers, params={"limit": 3})
    body = first.json()
    assert body["more"] is True
    assert body["next"]
    assert [o["id"] for o in body["objects"]] == [stix_id(n) for n in list(OBJECTS)[:3]]
    assert first.headers["x-taxii-date-added-first"] == "2026-12-01T08:00:00.000000Z"
    assert first.headers["x-taxii-date-added-last"] == "2026-12-01T08:02:00.000000Z"
    # An object added meanwhile comes after the others, never into a page already read.
    publish(db_session, "late", "indicator", "clear", "phone", OBJECTS["clear-phone"][3], False,
            START + timedelta(hours=1))  # fmt: skip
    db_session.commit()
    seen = [o["id"] for o in body["objects"]]
    while body["more"]:
        params = {"limit": 3, "next": body["next"]}
        body = client.get(f"{READ}/objects/", headers=headers, params=params).json()
        seen += [o["id"] for o in body["objects"]]
    assert seen[:7] == [stix_id(name) for name in OBJECTS]
    assert len(seen) == len(set(seen)) == 8
    assert "next" not in body


def test_added_after_and_the_match_filters(client: TestClient, world: World) -> None:
    headers = token(world, "staff")

    def ids(**params: str) -> list[str]:
        answer = client.get(f"{READ}/objects/", headers=headers, params=params)
        return [o["id"] for o in answer.json()["objects"]]

    names = list(OBJECTS)
    assert ids(added_after="2026-12-01T08:04:00Z") == [stix_id(n) for n in names[5:]]
    assert ids(added_after="2026-12-01T08:04:00.000001Z") == [stix_id(n) for n in names[5:]]
    assert ids(**{"match[type]": "campaign,relationship"}) == [stix_id(n) for n in names[5:]]
    wanted = f"{stix_id('red-phone')},{stix_id('green-url')}"
    assert ids(**{"match[id]": wanted}) == [stix_id("green-url"), stix_id("red-phone")]
    assert len(ids(**{"match[version]": "all"})) == len(OBJECTS)
    assert len(ids(**{"match[version]": "first"})) == len(OBJECTS)
    assert ids(**{"match[version]": "2026-12-01T08:01:00.000Z"}) == [stix_id("green-url")]
    assert ids(**{"match[version]": "2026-12-01T08:01:30Z"}) == []
    assert ids(**{"match[spec_version]": "2.0"}) == []
    for params in ({"added_after": "yesterday"}, {"limit": "0"}, {"next": "not-a-page"}):
        assert_error(client.get(f"{READ}/objects/", headers=headers, params=params), 400)


def test_a_partner_gets_only_what_its_policy_admits_even_by_id(
    client: TestClient, world: World
) -> None:
    headers = token(world, "narrow")
    red = stix_id("red-phone")
    assert_error(client.get(f"{READ}/objects/{red}/", headers=headers), 404)
    assert_error(client.get(f"{READ}/objects/{red}/versions/", headers=headers), 404)
    listed = client.get(f"{READ}/objects/", headers=headers, params={"match[id]": red}).json()
    assert listed == {"more": False, "objects": []}
    mine = stix_id("green-url")
    one = client.get(f"{READ}/objects/{mine}/", headers=headers).json()
    assert [o["id"] for o in one["objects"]] == [mine]
    versions = client.get(f"{READ}/objects/{mine}/versions/", headers=headers).json()
    assert versions == {"more": False, "versions": ["2026-12-01T08:01:00.000000Z"]}


def test_the_manifest(client: TestClient, world: World) -> None:
    answer = client.get(f"{READ}/manifest/", headers=token(world, "narrow"))
    assert answer.json() == {
        "more": False,
        "objects": [
            {
                "id": stix_id(name),
                "date_added": stamp,
                "version": stamp,
                "media_type": "application/stix+json;version=2.1",
            }
            for name, stamp in (
                ("clear-phone", "2026-12-01T08:00:00.000000Z"),
                ("green-url", "2026-12-01T08:01:00.000000Z"),
            )
        ],
    }


def indicator(name: str, pattern: str) -> dict[str, str]:
    return {
        "type": "indicator",
        "spec_version": "2.1",
        "id": stix_id(name),
        "created": "2026-12-02T00:00:00.000Z",
        "modified": "2026-12-02T00:00:00.000Z",
        "pattern": pattern,
        "pattern_type": "stix",
        "valid_from": "2026-12-02T00:00:00.000Z",
    }


ENVELOPE = {
    "objects": [
        indicator("scam-domain", "[domain-name:value = 'vietcombank-xacthuc.com']"),
        indicator("legitimate", "[domain-name:value = 'facebook.com']"),
        {"type": "identity", "id": "indicator--not-an-identity", "name": "x"},
        {"type": "identity", "spec_version": "2.1", "id": stix_id("agency", "identity"),
         "name": "Khmer police", "created": "2026-12-02T00:00:00.000Z",
         "modified": "2026-12-02T00:00:00.000Z"},
    ]
}  # fmt: skip


def test_posted_objects_are_imported_as_the_partners_with_a_status(
    client: TestClient, world: World, db_session: Session
) -> None:
    headers = token(world, "wide") | {"content-type": MEDIA_TYPE}
    posted = client.post(f"{WRITE}/objects/", headers=headers, json=ENVELOPE)
    assert posted.status_code == 202
    status = posted.json()
    assert (status["status"], status["total_count"], status["pending_count"]) == ("complete", 4, 0)
    assert [s["id"] for s in status["successes"]] == [
        stix_id("scam-domain"),
        stix_id("agency", "identity"),
    ]
    assert status["successes"][0]["version"] == "2026-12-02T00:00:00.000Z"
    assert [(f["id"], f["message"]) for f in status["failures"]] == [
        (stix_id("legitimate"), "a legitimate (allowlisted) value"),
        ("indicator--not-an-identity", "no STIX id of the object's type"),
    ]
    listed = db_session.scalars(
        select(IndicatorSource).where(IndicatorSource.source == "Khmer police")
    ).all()
    assert [row.stix_id for row in listed] == [stix_id("scam-domain")]


def test_a_status_is_read_by_its_sender_its_agency_and_staff(
    client: TestClient, world: World
) -> None:
    headers = token(world, "wide") | {"content-type": MEDIA_TYPE}
    status = client.post(f"{WRITE}/objects/", headers=headers, json={"objects": []}).json()
    assert status["total_count"] == 0
    path = f"{ROOT}/status/{status['id']}/"
    assert client.get(path, headers=token(world, "wide")).json() == status
    assert client.get(path, headers=token(world, "staff")).json() == status
    assert_error(client.get(path, headers=token(world, "narrow")), 404)
    assert_error(client.get(path, headers=token(world, "platform")), 404)
    assert_error(client.get(f"{ROOT}/status/{'0' * 36}/", headers=token(world, "wide")), 404)


def test_a_body_that_is_no_envelope_gets_400_or_422(client: TestClient, world: World) -> None:
    headers = token(world, "wide") | {"content-type": MEDIA_TYPE}
    for body, status in ((b"{not json", 400), (b'{"objects": 3}', 422), (b"[]", 422),
                         (b'{"objects": [1]}', 422)):  # fmt: skip
        assert_error(client.post(f"{WRITE}/objects/", headers=headers, content=body), status)


def test_a_body_over_the_limit_gets_a_taxii_413(client: TestClient, world: World) -> None:
    headers = token(world, "wide") | {"content-type": MEDIA_TYPE}
    too_large = b'{"objects": [' + b" " * (3 * 1024 * 1024) + b"]}"
    assert_error(client.post(f"{WRITE}/objects/", headers=headers, content=too_large), 413)


def test_unknown_paths_and_methods_answer_taxii_errors(client: TestClient, world: World) -> None:
    headers = token(world, "staff")
    assert_error(client.get(f"{ROOT}/nowhere/", headers=headers), 404)
    assert_error(client.delete(f"{READ}/objects/{stix_id('green-url')}/", headers=headers), 405)


def test_a_page_served_to_a_partner_is_in_the_audit_log(
    client: TestClient, world: World, db_session: Session
) -> None:
    client.get(f"{READ}/objects/", headers=token(world, "narrow"))
    client.get(f"{READ}/objects/", headers=token(world, "staff"))  # staff: no share
    shares = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "share")).all()
    assert [(e.actor, e.target_type, e.target_id) for e in shares] == [
        ("partner:ccib", "partner", str(world.partner_ids["narrow"]))
    ]
    details = json.loads(shares[0].details_json)
    assert details["what"] == "taxii.objects"
    assert details["count"] == 2
    assert details["ids"] == [stix_id("clear-phone"), stix_id("green-url")]
    assert details["policy"]["max_tlp"] == "amber"
