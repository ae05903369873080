"""The audit API (/api/v1/audit/…): admins read the log's entries and its chain's verification."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from tipline.audit.models import AuditEntry
from tipline.audit.service import record

ClientAs = Callable[..., TestClient]
T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
API = "/api/v1/audit"


def fill_log(session: Session, count: int) -> None:
    """`count` entries one minute apart, by two actors, about reports 1-5 and one case."""
    for i in range(count):
        actor = "analyst:lan" if i % 2 else "supervisor:minh"
        target = ("case", "7") if i % 10 == 9 else ("report", str(i % 5 + 1))
        record(session, actor, "report.view", *target, {"i": i}, now=T0 + timedelta(minutes=i))
    session.commit()


def test_entries_come_newest_first_in_keyset_pages(
    client_as: ClientAs, db_session: Session
) -> None:
    fill_log(db_session, 53)
    admin = client_as("admin")
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        body = admin.get(f"{API}/entries", params={"limit": 20, "cursor": cursor}).json()
        seen += [entry["sequence"] for entry in body["items"]]
        pages += 1
        if (cursor := body["next_cursor"]) is None:
            break
    assert (pages, seen) == (3, list(range(53, 0, -1)))
    first = admin.get(f"{API}/entries", params={"limit": 1}).json()["items"][0]
    assert (first["actor"], first["target_type"], first["details"]) == (
        "supervisor:minh",
        "report",
        {"i": 52},
    )


def test_entries_are_filtered_by_actor_object_and_time(
    client_as: ClientAs, db_session: Session
) -> None:
    fill_log(db_session, 30)
    admin = client_as("admin")

    def sequences(**params: str) -> list[int]:
        response = admin.get(f"{API}/entries", params=params)
        assert response.status_code == 200, response.text
        return [entry["sequence"] for entry in response.json()["items"]]

    assert sequences(target_type="case", target_id="7") == [30, 20, 10]
    assert sequences(actor="supervisor:minh", target_type="report", target_id="1") == [
        21, 11, 1
    ]  # fmt: skip
    since, until = T0 + timedelta(minutes=3), T0 + timedelta(minutes=6)
    assert sequences(since=since.isoformat(), until=until.isoformat()) == [6, 5, 4]
    assert sequences(action="case.open") == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cursor": "bm9wZQ"}, "cursor"),
        ({"limit": "501"}, "limit"),
        ({"since": "2026-05-01T08:00:00"}, "since"),  # a time without its zone is ambiguous
        ({"actor": ""}, "actor"),
    ],
)
def test_bad_parameters_are_refused(
    client_as: ClientAs, params: dict[str, str], field: str
) -> None:
    response = client_as("admin").get(f"{API}/entries", params=params)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


def test_verification_finds_a_tampered_entry(client_as: ClientAs, db_session: Session) -> None:
    fill_log(db_session, 5)
    admin = client_as("admin")
    intact = admin.get(f"{API}/verification").json()
    assert (intact["intact"], intact["checked"], intact["last_sequence"]) == (True, 5, 5)
    db_session.execute(update(AuditEntry).where(AuditEntry.sequence == 3).values(actor="nobody"))
    db_session.commit()
    broken = admin.get(f"{API}/verification").json()
    assert (broken["intact"], broken["problem"], broken["sequence"]) == (
        False,
        "hash_mismatch",
        3,
    )


@pytest.mark.parametrize("role", ["analyst", "supervisor", "partner", "platform"])
def test_only_admins_read_the_log(client_as: ClientAs, db_session: Session, role: str) -> None:
    fill_log(db_session, 2)
    other = client_as(role)
    for path in ("/entries", "/verification"):
        response = other.get(API + path)
        assert (response.status_code, response.json()["error"]["code"]) == (403, "not_permitted")


def test_anonymous_is_asked_to_sign_in(client: TestClient) -> None:
    for path in ("/entries", "/verification"):
        assert client.get(API + path).status_code == 401


def test_openapi_documents_the_audit_api(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path, schema in (("/entries", "AuditPageRead"), ("/verification", "ChainStatusRead")):
        responses = paths[API + path]["get"]["responses"]
        assert responses["200"]["content"]["application/json"]["schema"]["$ref"].endswith(schema)
        assert responses["403"]["content"]["application/json"]["schema"]["$ref"].endswith(
            "ErrorBody"
        )
