"""The hash banks' API with real callers (users and tokens in the database): a platform's
token matches 1 to 1,000 hashes against the banks its organisation was granted, and nothing
else; malformed bodies are 422; matching is rate-limited; staff manage and export banks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy.orm import Session, sessionmaker
from tests.media.banks import LEAD, bank_with, flipped, md5, pdq, pdq_value
from tests.orgrequests.conftest import signed_in

from tipline.app import create_app
from tipline.media import service
from tipline.media.core import HashValue, Signal
from tipline.partners.service import add_organisation
from tipline.settings import Settings


@dataclass(frozen=True)
class Callers:
    analyst: dict[str, str]
    meta: dict[str, str]  # granted "CSAM known"
    zalo: dict[str, str]  # granted nothing
    banks: dict[str, int]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def callers(db_session: Session) -> Callers:
    meta = add_organisation(db_session, "cli:test", "Meta", "platform")
    zalo = add_organisation(db_session, "cli:test", "Zalo", "platform")
    csam = bank_with(
        db_session, "CSAM known", values=[pdq_value(pdq(1)), HashValue(Signal.MD5, md5("known"))]
    )
    ncii = bank_with(db_session, "NCII", "ncii", values=[pdq_value(flipped(pdq(1), 3))])
    service.grant(db_session, LEAD, csam.id, organisation="Meta")
    _, analyst = signed_in(db_session, "lan", "analyst")
    _, meta_token = signed_in(db_session, "meta", "platform", organisation_id=meta.id)
    _, zalo_token = signed_in(db_session, "zalo", "platform", organisation_id=zalo.id)
    return Callers(bearer(analyst), bearer(meta_token), bearer(zalo_token),
                   {"CSAM known": csam.id, "NCII": ncii.id})  # fmt: skip


@pytest.fixture
def web(settings: Settings, session_factory: sessionmaker[Session]) -> Iterator[TestClient]:
    app = create_app(settings=settings, session_factory=session_factory)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_a_platform_matches_against_its_granted_banks_only(
    web: TestClient, callers: Callers
) -> None:
    body = {"hashes": [{"pdq": pdq(1).upper()}, {"md5": md5("known")}, {"sha256": "0" * 64}]}
    answer = web.post("/api/v1/media/match", json=body, headers=callers.meta)
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [(r["index"], r["signal"]) for r in results] == [(0, "pdq"), (1, "md5"), (2, "sha256")]
    [pdq_match] = results[0]["matches"]
    assert (pdq_match["bank"], pdq_match["bank_kind"], pdq_match["distance"]) == (
        "CSAM known", "child", 0)  # fmt: skip
    assert pdq_match["value"] == pdq(1)
    assert [m["signal"] for m in results[1]["matches"]] == ["md5"]
    assert results[2]["matches"] == []
    staff = web.post("/api/v1/media/match", json=body, headers=callers.analyst).json()
    assert [m["bank"] for m in staff["results"][0]["matches"]] == ["CSAM known", "NCII"]
    stranger = web.post("/api/v1/media/match", json=body, headers=callers.zalo).json()
    assert [r["matches"] for r in stranger["results"]] == [[], [], []]


def test_a_thousand_hashes_in_one_call(web: TestClient, callers: Callers) -> None:
    body = {"hashes": [{"pdq": pdq(n)} for n in range(1, 1001)], "max_distance": 10}
    results = web.post("/api/v1/media/match", json=body, headers=callers.analyst).json()["results"]
    assert len(results) == 1000
    assert [m["distance"] for m in results[0]["matches"]] == [0, 3]
    assert sum(len(r["matches"]) for r in results) == 2
    too_many = {"hashes": body["hashes"] + [{"pdq": pdq(0)}]}
    assert (
        web.post("/api/v1/media/match", json=too_many, headers=callers.analyst).status_code == 422
    )


MALFORMED = [
    {"hashes": []},
    {"hashes": [{}]},
    {"hashes": [{"pdq": pdq(1), "md5": md5("x")}]},
    {"hashes": [{"pdq": "f" * 63}]},
    {"hashes": [{"pdq": "g" * 64}]},
    {"hashes": [{"md5": "f" * 64}]},
    {"hashes": [{"sha256": "f" * 32}]},
    {"hashes": [{"md5": md5("x"), "quality": 50}]},
    {"hashes": [{"pdq": pdq(1), "quality": 101}]},
    {"hashes": [{"image": "aGVsbG8="}]},
    {"hashes": [{"pdq": pdq(1)}], "max_distance": 65},
    {"values": [pdq(1)]},
]


def test_a_malformed_body_is_422(web: TestClient, callers: Callers) -> None:
    for body in MALFORMED:
        answer = web.post("/api/v1/media/match", json=body, headers=callers.meta)
        assert answer.status_code == 422, body
        assert answer.json()["error"]["code"] == "invalid_input"


def test_anonymous_and_citizens_may_not_match(web: TestClient, callers: Callers) -> None:
    body = {"hashes": [{"pdq": pdq(1)}]}
    assert web.post("/api/v1/media/match", json=body).status_code == 401


def test_matching_is_rate_limited_per_token(
    settings: Settings, session_factory: sessionmaker[Session], callers: Callers
) -> None:
    settings.rate_limit_matches = "2/minute"
    app = create_app(settings=settings, session_factory=session_factory)
    # Counted in memory here: in the tests every session shares one connection, and a counter
    # committed while the request's session holds a savepoint is rolled back with it.
    app.state.rate_limits.limiter = FixedWindowRateLimiter(MemoryStorage())
    body = {"hashes": [{"pdq": pdq(1)}]}
    with TestClient(app) as client:
        statuses = [
            client.post("/api/v1/media/match", json=body, headers=callers.meta).status_code
            for _ in range(3)
        ]
        last = client.post("/api/v1/media/match", json=body, headers=callers.meta)
        other = client.post("/api/v1/media/match", json=body, headers=callers.zalo)
    assert statuses == [200, 200, 429]
    assert int(last.headers["Retry-After"]) > 0
    assert other.status_code == 200  # another platform's token is counted apart


def test_a_platform_sees_its_banks_but_not_their_hashes(web: TestClient, callers: Callers) -> None:
    listed = web.get("/api/v1/media/banks", headers=callers.meta).json()
    assert [(b["name"], b["counts"]) for b in listed] == [
        ("CSAM known", {"pdq": 1, "md5": 1, "sha256": 0})]  # fmt: skip
    ncii = callers.banks["NCII"]
    assert web.get(f"/api/v1/media/banks/{ncii}", headers=callers.meta).status_code == 404
    csam = callers.banks["CSAM known"]
    detail = web.get(f"/api/v1/media/banks/{csam}", headers=callers.meta).json()
    assert (detail["total"], detail["organisations"]) == (2, [])
    for path in (f"/api/v1/media/banks/{csam}/hashes", f"/api/v1/media/banks/{csam}/export"):
        assert web.get(path, headers=callers.meta).status_code == 403


def test_staff_create_add_page_and_remove(web: TestClient, callers: Callers) -> None:
    created = web.post("/api/v1/media/banks", headers=callers.analyst, json={
        "name": "Scam images", "kind": "other", "owner": "C50", "tlp": "green",
        "retention_days": 365,
    })  # fmt: skip
    assert created.status_code == 201
    bank = created.json()["id"]
    hashes = [{"pdq": pdq(n), "quality": 90} for n in range(30, 35)] + [{"md5": md5("a")}]
    added = web.post(f"/api/v1/media/banks/{bank}/hashes", headers=callers.analyst,
                     json={"hashes": hashes + hashes[:1], "source": "NCMEC"})  # fmt: skip
    assert added.json() == {"added": 6, "skipped": 1}
    first = web.get(f"/api/v1/media/banks/{bank}/hashes?limit=4", headers=callers.analyst).json()
    assert [h["value"] for h in first["items"]] == [pdq(n) for n in range(30, 34)]
    after = first["next_after"]
    rest = web.get(f"/api/v1/media/banks/{bank}/hashes?limit=4&after={after}",
                   headers=callers.analyst).json()  # fmt: skip
    assert ([h["signal"] for h in rest["items"]], rest["next_after"]) == (["pdq", "md5"], None)
    ids = [first["items"][0]["id"], rest["items"][1]["id"]]
    removed = web.post(f"/api/v1/media/banks/{bank}/hashes/remove", headers=callers.analyst,
                       json={"ids": ids})  # fmt: skip
    assert removed.json() == {"removed": 2}
    detail = web.get(f"/api/v1/media/banks/{bank}", headers=callers.analyst).json()
    assert (detail["counts"], detail["removed"]) == ({"pdq": 4, "md5": 0, "sha256": 0}, 2)
    granted = web.post(f"/api/v1/media/banks/{bank}/grants", headers=callers.analyst,
                       json={"organisation": "Zalo"})  # fmt: skip
    assert granted.json()["organisations"] == ["Zalo"]
    duplicate = web.post(
        "/api/v1/media/banks",
        headers=callers.analyst,
        json={"name": "Scam images", "kind": "other", "owner": "C50"},
    )
    assert duplicate.status_code == 409


def test_a_platform_may_not_manage_banks(web: TestClient, callers: Callers) -> None:
    csam = callers.banks["CSAM known"]
    attempts = [
        ("/api/v1/media/banks", {"name": "Mine", "kind": "other", "owner": "Meta"}),
        (f"/api/v1/media/banks/{csam}/hashes", {"hashes": [{"pdq": pdq(9)}]}),
        (f"/api/v1/media/banks/{csam}/hashes/remove", {"ids": [1]}),
        (f"/api/v1/media/banks/{csam}/grants", {"organisation": "Zalo"}),
    ]
    for path, body in attempts:
        assert web.post(path, json=body, headers=callers.meta).status_code == 403, path


def test_staff_export_where_tlp_allows(web: TestClient, callers: Callers) -> None:
    ncii = callers.banks["NCII"]
    lines = web.get(f"/api/v1/media/banks/{ncii}/export?format=hma", headers=callers.analyst)
    assert lines.status_code == 200
    assert lines.text == f"pdq {flipped(pdq(1), 3)}\n"
    stix = web.get(f"/api/v1/media/banks/{ncii}/export?format=stix", headers=callers.analyst)
    bundle = json.loads(stix.text)
    assert [o["type"] for o in bundle["objects"]] == ["marking-definition", "identity", "file"]
    csam = callers.banks["CSAM known"]
    refused = web.get(f"/api/v1/media/banks/{csam}/export?format=stix", headers=callers.analyst)
    assert refused.status_code == 403
    assert "child bank" in refused.json()["error"]["message"]
    meta = web.get(f"/api/v1/media/banks/{csam}/export?format=threatexchange&organisation=Meta",
                   headers=callers.analyst)  # fmt: skip
    assert [json.loads(line)["type"] for line in meta.text.splitlines()] == [
        "HASH_PDQ", "HASH_MD5"]  # fmt: skip
