"""`GET /api/v1/feeds/indicators` through the app, with real tokens: the formats (the STIX
bundle checked by the OASIS validator), the cursor in the header and the last line, and who is
refused."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from tests.feeds.conftest import FeedWorld
from tests.principals import staff
from tests.sharing.stix_checks import problems

from tipline.accounts import service as accounts
from tipline.app import create_app
from tipline.settings import Settings
from tipline.workspace.service import review_indicator

FEED = "/api/v1/feeds/indicators"
PASSWORD = "correct horse battery"


def token_of(session: Session, name: str, role: str, **record: str) -> str:
    accounts.create_user(session, "cli:test", name, role, PASSWORD, **record)
    issued = accounts.create_token(session, "cli:test", name, "machine")
    session.commit()
    return issued.plaintext


@pytest.fixture
def web(settings: Settings, session_factory: sessionmaker[Session]) -> Iterator[TestClient]:
    app = create_app(settings=settings, session_factory=session_factory)
    with TestClient(app) as client:
        yield client


@pytest.fixture
def bank(db_session: Session, feed_world: FeedWorld) -> dict[str, str]:
    token = token_of(db_session, "bankx", "platform", organisation="Bank X")
    return {"Authorization": f"Bearer {token}"}


def test_json_lines_then_the_changes_since_the_cursor(
    web: TestClient,
    bank: dict[str, str],
    db_session: Session,
    settings: Settings,
    feed_world: FeedWorld,
) -> None:
    full = web.get(FEED, headers=bank)
    assert full.status_code == 200
    assert full.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in full.text.splitlines()]
    assert sorted(line["value"] for line in lines[:-1]) == [
        "+84912345678",
        "https://sangiaodich-vn.com/dangnhap",
    ]
    cursor = full.headers["X-Tipline-Cursor"]
    assert lines[-1] == {"op": "end", "cursor": cursor, "count": 2}
    lead = staff("analyst:an")
    review_indicator(
        db_session, lead, feed_world.investment_report, feed_world.url, "rejected", settings
    )
    changes = web.get(FEED, params={"since": cursor}, headers=bank)
    removal, end = (json.loads(line) for line in changes.text.splitlines())
    assert (removal["op"], removal["id"], removal["reason"]) == (
        "remove",
        feed_world.url,
        "rejected",
    )
    assert "value" not in removal
    assert end["cursor"] == changes.headers["X-Tipline-Cursor"] != cursor


def test_csv_has_a_header_a_row_an_entry_and_the_end_row(
    web: TestClient, bank: dict[str, str], feed_world: FeedWorld
) -> None:
    answer = web.get(FEED, params={"format": "csv", "kind": "phone"}, headers=bank)
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [(r["op"], r["id"], r["value"], r["categories"]) for r in rows] == [
        ("add", str(feed_world.phone), "+84912345678", "fraud.investment"),
        ("end", "1", answer.headers["X-Tipline-Cursor"], ""),
    ]


def test_stix_is_a_valid_bundle_with_removals_revoked_without_their_value(
    web: TestClient,
    bank: dict[str, str],
    db_session: Session,
    settings: Settings,
    feed_world: FeedWorld,
) -> None:
    full = web.get(FEED, params={"format": "stix"}, headers=bank)
    assert full.headers["content-type"].startswith("application/stix+json")
    bundle = full.json()
    assert problems(bundle) == []
    indicators = [o for o in bundle["objects"] if o["type"] == "indicator"]
    assert sorted(o["pattern"] for o in indicators) == [
        "[phone-number:value = '+84912345678']",
        "[url:value = 'https://sangiaodich-vn.com/dangnhap']",
    ]
    assert {o["confidence"] for o in indicators} == {70}
    assert {tuple(o["labels"]) for o in indicators} == {("fraud.investment",)}
    lead = staff("analyst:an")
    review_indicator(
        db_session, lead, feed_world.investment_report, feed_world.phone, "rejected", settings
    )
    since = {"format": "stix", "since": full.headers["X-Tipline-Cursor"]}
    changes = web.get(FEED, params=since, headers=bank)
    assert problems(changes.text) == []
    (revoked,) = [o for o in changes.json()["objects"] if o["type"] == "indicator"]
    phone_id = next(o["id"] for o in indicators if "phone" in o["pattern"])
    assert (revoked["id"], revoked["revoked"]) == (phone_id, True)
    assert "0912345678" not in changes.text


def test_only_an_organisations_token_pulls(
    web: TestClient, db_session: Session, feed_world: FeedWorld
) -> None:
    analyst = token_of(db_session, "lan", "analyst")
    assert web.get(FEED).status_code == 401
    refused = web.get(FEED, headers={"Authorization": f"Bearer {analyst}"})
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "not_permitted")


def test_asking_beyond_the_agreement_is_refused(
    web: TestClient, bank: dict[str, str], feed_world: FeedWorld
) -> None:
    outside = web.get(FEED, params={"kind": "bank_account"}, headers=bank)
    assert outside.status_code == 403
    assert "bank_account" in outside.json()["error"]["message"]
    bad = web.get(FEED, params={"since": "bm90LWEtY3Vyc29y"}, headers=bank)
    assert (bad.status_code, bad.json()["error"]["field"]) == (422, "cursor")
