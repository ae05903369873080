from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from tipline.cooperation.core import LEGAL_BASES
from tipline.partners import service as partners

BODY = {
    "direction": "outgoing",
    "type": "preservation",
    "requesting_authority": "A05, Bộ Công an",
    "legal_basis": LEGAL_BASES[0],
    "offences": "Lừa đảo",
    "data_requested": [
        {"kind": "account", "value": "VCB:0123456789"},
        {"kind": "time_range", "from": "2026-10-01", "to": "2026-11-30"},
    ],
    "facts": "Một nhóm giả danh ngân hàng.",
    "deadline": "2000-01-01",
}


def test_the_api_records_moves_and_pages_requests(client_as: Any, db_session: Session) -> None:
    nca = partners.add_partner(db_session, "cli:t", "National Crime Agency", "GB")
    client = client_as("analyst")
    made = client.post("/api/v1/cooperation", json=BODY | {"partner_id": nca.id})
    assert made.status_code == 201, made.text
    body = made.json()
    ref = body["reference"]
    assert (body["status"], body["requested_authority"]) == ("draft", "National Crime Agency")
    assert body["data_requested"][1] == {"kind": "time_range", "from": "2026-10-01",
                                         "to": "2026-11-30"}  # fmt: skip
    assert body["overdue"] is False  # a draft is not overdue
    sent = client.post(f"/api/v1/cooperation/{ref}/status", json={"status": "sent"})
    assert sent.status_code == 200
    assert sent.json()["overdue"] is True
    assert sent.json()["preserved_until"] is not None
    assert [e["status"] for e in sent.json()["events"]] == ["draft", "sent"]
    assert sent.json()["events"][1]["actor"] == "analyst:lan"
    again = client.post(f"/api/v1/cooperation/{ref}/status", json={"status": "draft"})
    assert (again.status_code, again.json()["error"]["code"]) == (409, "conflict")
    extended = client.post(f"/api/v1/cooperation/{ref}/extension", json={})
    assert extended.status_code == 200
    assert extended.json()["preserved_until"] > sent.json()["preserved_until"]
    client.post("/api/v1/cooperation", json=BODY | {"requested_authority": "FBI"})
    page = client.get("/api/v1/cooperation", params={"limit": 1}).json()
    assert (page["total"], len(page["items"])) == (2, 1)
    rest = client.get("/api/v1/cooperation", params={"limit": 1, "cursor": page["next_cursor"]})
    assert rest.json()["items"][0]["reference"] == ref
    overview = client.get("/api/v1/cooperation/overview").json()
    assert (overview["overdue"], overview["overdue_references"]) == (1, [ref])
    assert client.get(f"/api/v1/cooperation/{ref.lower()}").json()["facts"] == BODY["facts"]


def test_the_api_says_what_is_wrong(client_as: Any) -> None:
    client = client_as("analyst")
    bad_line = BODY | {"requested_authority": "FBI", "data_requested": [{"kind": "email"}]}
    assert client.post("/api/v1/cooperation", json=bad_line).status_code == 422
    no_side = client.post("/api/v1/cooperation", json=BODY)
    assert no_side.status_code == 422
    assert no_side.json()["error"]["field"] == "partner_id"
    missing = client.get("/api/v1/cooperation/COOP-1999-0001")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "not_found")
    assert client.get("/api/v1/cooperation", params={"cursor": "nonsense"}).status_code == 422
    assert client.get("/api/v1/cooperation", params={"status": "late"}).status_code == 422


def test_nobody_but_staff_reads_them(client_as: Any, client: Any) -> None:
    made = client_as("analyst").post(
        "/api/v1/cooperation", json=BODY | {"requested_authority": "FBI"}
    )
    ref = made.json()["reference"]
    for role in ("partner", "platform"):
        assert client_as(role).get(f"/api/v1/cooperation/{ref}").status_code == 403
        assert client_as(role).get("/api/v1/cooperation").status_code == 403
    assert client.get(f"/api/v1/cooperation/{ref}").status_code == 401
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/cooperation/{reference}/status" in schema["paths"]
    assert "CooperationCreate" in schema["components"]["schemas"]
