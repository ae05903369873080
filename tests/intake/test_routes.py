"""`POST /api/v1/reports/bulk`: a platform's batch, each row answered on its own, idempotent."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tipline.access import Principal, Role, get_principal
from tipline.app import create_app
from tipline.reports.models import Report
from tipline.settings import Settings

BULK = "/api/v1/reports/bulk"
SCAM = "Kẻ gian gọi số 0912 345 678, bảo chuyển 15 triệu vào VCB 0123456789 để nhận quà."

Sender = Callable[..., TestClient]


@pytest.fixture
def sender(settings: Settings, session_factory: sessionmaker[Session]) -> Iterator[Sender]:
    """A client whose requests come from `role` with API token `token_id` (or a web session)."""
    clients: list[TestClient] = []

    def make(role: Role = Role.PLATFORM, token_id: int | None = 7) -> TestClient:
        app = create_app(settings=settings, session_factory=session_factory)
        via = "session" if token_id is None else "token"
        principal = Principal(1, "shop", role, via, token_id)
        app.dependency_overrides[get_principal] = lambda: principal
        client = TestClient(app)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def row(external_id: str, narrative: str = SCAM, **fields: Any) -> dict[str, Any]:
    return {"external_id": external_id, "narrative": narrative, **fields}


def stored(session: Session, source: str) -> dict[str, Report]:
    found = session.scalars(select(Report).where(Report.source == source))
    return {str(report.external_id): report for report in found}


def test_each_row_is_answered_on_its_own(sender: Sender, db_session: Session) -> None:
    rows = [
        row("a-1", loss_amount="15000000", loss_currency="VND"),
        row("a-2", narrative="   ", victim_age=300),
        row("a-3", narrative="Scammer on t.me/fake_support asked for my OTP", language="en"),
    ]
    answer = sender().post(f"{BULK}?lang=en", json={"reports": rows})
    assert answer.status_code == 200
    body = answer.json()
    assert (body["created"], body["already_stored"], body["rejected"]) == (2, 0, 1)
    first, bad, third = body["results"]
    assert (first["index"], first["external_id"], first["outcome"]) == (0, "a-1", "created")
    assert (third["index"], third["outcome"], third["errors"]) == (2, "created", [])
    assert bad == {
        "index": 1,
        "external_id": "a-2",
        "outcome": "rejected",
        "code": None,
        "errors": [
            {
                "field": "narrative",
                "code": "narrative_empty",
                "message": "The narrative is empty: tell what happened.",
            },
            {"field": "victim_age", "code": "number", "message": "Not a number in range."},
        ],
    }
    reports = stored(db_session, "token:7")
    assert set(reports) == {"a-1", "a-3"}
    assert reports["a-1"].code == first["code"]
    assert reports["a-1"].channel == "api"
    assert reports["a-1"].secret_hash is None
    assert str(reports["a-1"].loss_amount) == "15000000.00"
    assert reports["a-1"].category.startswith("fraud.")
    assert reports["a-3"].language == "en"


def test_rejections_are_worded_in_the_readers_language(sender: Sender) -> None:
    answer = sender().post(BULK, json={"reports": [row("v-1", narrative="")]})
    [result] = answer.json()["results"]
    assert result["errors"] == [
        {
            "field": "narrative",
            "code": "narrative_empty",
            "message": "Hãy kể lại chuyện gì đã xảy ra.",
        }
    ]


def test_a_row_without_an_id_or_not_an_object_is_rejected(sender: Sender) -> None:
    answer = sender().post(f"{BULK}?lang=en", json={"reports": [{"narrative": SCAM}, "text"]})
    missing, not_object = answer.json()["results"]
    assert missing["errors"] == [
        {"field": "external_id", "code": "missing", "message": "This field is required."}
    ]
    assert (not_object["external_id"], not_object["outcome"]) == (None, "rejected")
    assert [e["field"] for e in not_object["errors"]] == [None]


def test_sending_again_adds_nothing_and_answers_the_stored_codes(
    sender: Sender, db_session: Session
) -> None:
    client = sender()
    batch = {"reports": [row("b-1"), row("b-2")]}
    first = client.post(BULK, json=batch).json()
    again = client.post(BULK, json=batch).json()
    assert (again["created"], again["already_stored"]) == (0, 2)
    assert [r["code"] for r in again["results"]] == [r["code"] for r in first["results"]]
    assert [r["outcome"] for r in again["results"]] == ["already_stored"] * 2
    assert len(stored(db_session, "token:7")) == 2


def test_an_id_repeated_in_a_batch_is_one_report(sender: Sender, db_session: Session) -> None:
    answer = sender().post(BULK, json={"reports": [row("c-1"), row("c-1", narrative="khác")]})
    created, repeated = answer.json()["results"]
    assert (created["outcome"], repeated["outcome"]) == ("created", "already_stored")
    assert created["code"] == repeated["code"]
    assert stored(db_session, "token:7")["c-1"].narrative == SCAM


def test_the_same_id_from_two_tokens_is_two_reports(sender: Sender, db_session: Session) -> None:
    one = sender(token_id=7).post(BULK, json={"reports": [row("d-1")]}).json()
    two = sender(token_id=8).post(BULK, json={"reports": [row("d-1")]}).json()
    assert one["created"] == two["created"] == 1
    assert one["results"][0]["code"] != two["results"][0]["code"]
    assert set(stored(db_session, "token:7")) == set(stored(db_session, "token:8")) == {"d-1"}


@pytest.mark.parametrize("role", [Role.PARTNER, Role.ANALYST, Role.SUPERVISOR, Role.ADMIN])
def test_partners_and_staff_tokens_may_send(sender: Sender, role: Role) -> None:
    answer = sender(role=role).post(BULK, json={"reports": [row("e-1")]})
    assert answer.status_code == 200
    assert answer.json()["created"] == 1


def test_a_web_session_or_no_token_may_not_send(sender: Sender, client: TestClient) -> None:
    by_session = sender(role=Role.ANALYST, token_id=None)
    answer = by_session.post(BULK, json={"reports": [row("f-1")]})
    assert answer.status_code == 403
    assert "API token" in answer.json()["error"]["message"]
    assert client.post(BULK, json={"reports": [row("f-1")]}).status_code == 401


def test_more_than_a_thousand_rows_or_none_is_a_422(sender: Sender) -> None:
    client = sender()
    too_many = client.post(
        f"{BULK}?lang=en", json={"reports": [row(f"g-{n}", "x") for n in range(1001)]}
    )
    assert too_many.status_code == 422
    assert too_many.json()["error"]["field"] == "reports"
    assert too_many.json()["error"]["message"] == "Too many: at most 1000 items."
    assert client.post(BULK, json={"reports": []}).status_code == 422
    assert client.post(BULK, json=[row("g-1")]).status_code == 422


def test_a_body_over_the_limit_is_a_413(sender: Sender) -> None:
    huge = {"reports": [row(f"h-{n}", "x" * 19_000) for n in range(200)]}
    answer = sender().post(BULK, json=huge)
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "too_large"


def test_openapi_documents_the_bulk_api(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"][BULK]["post"]
    assert set(operation["responses"]) >= {"200", "413", "422"}
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    submission = spec["components"]["schemas"][body.rsplit("/", 1)[1]]
    assert submission["properties"]["reports"]["maxItems"] == 1000
    item = submission["properties"]["reports"]["items"]["$ref"].rsplit("/", 1)[1]
    assert item == "BulkReportCreate"
    assert "external_id" in spec["components"]["schemas"][item]["required"]
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert answer.endswith("/BulkReceipt")


def test_nul_characters_are_stored_as_spaces_and_the_rest_kept(
    sender: Sender, db_session: Session
) -> None:
    # PostgreSQL's text cannot hold NUL: schemathesis sent one and got a 500 there.
    rows = [
        row("nul\x00id", narrative="Scam\x00 from 0912 345 678", province="Hà\x00Nội"),
        row("nul-2", contact="me\x00@example.com", indicators=["0987\x00654321"]),
    ]
    answer = sender().post(BULK, json={"reports": rows})
    assert answer.status_code == 200
    assert [r["outcome"] for r in answer.json()["results"]] == ["created", "created"]
    reports = stored(db_session, "token:7")
    assert set(reports) == {"nul id", "nul-2"}
    assert reports["nul id"].narrative == "Scam  from 0912 345 678"
    assert reports["nul id"].province == "Hà Nội"
    assert reports["nul-2"].reporter_contact == "me @example.com"
    assert reports["nul-2"].listed_values == ["0987 654321"]
