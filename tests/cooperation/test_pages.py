from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session
from tests.principals import staff

from tipline.cases.service import create_case
from tipline.partners import service as partners

FORM = {
    "direction": "outgoing",
    "type": "preservation",
    "requesting_authority": "A05, Bộ Công an",
    "legal_basis": "UN Convention against Cybercrime (2024), art. 42 (expedited preservation)",
    "offences": "Lừa đảo chiếm đoạt tài sản",
    "accounts": "VCB:0123456789\n\nVCB:9876543210",
    "numbers": "+84987654321",
    "domains": "",
    "range_from": "2026-10-01",
    "range_to": "2026-11-30",
    "facts": "<b>Nhóm</b> giả danh ngân hàng.",
    "deadline": "2000-01-01",
}


def csrf_of(client: Any) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/cooperation/new").text)
    assert match is not None
    return match.group(1)


def test_record_a_request_and_work_it_in_the_pages(client_as: Any, db_session: Session) -> None:
    nca = partners.add_partner(db_session, "cli:t", "National Crime Agency", "GB")
    client = client_as("analyst")
    token = csrf_of(client)
    form = FORM | {"csrf_token": token, "partner_id": str(nca.id)}
    made = client.post("/cooperation", data=form, follow_redirects=False)
    assert made.status_code == 303
    path = made.headers["location"].split("?")[0]
    ref = path.rsplit("/", 1)[1]
    page = client.get(path)
    assert page.status_code == 200
    assert "National Crime Agency (GB)" in page.text
    assert "VCB:9876543210" in page.text
    assert "2026-10-01 – 2026-11-30" in page.text
    assert "&lt;b&gt;Nhóm&lt;/b&gt;" in page.text  # what was typed is text
    sent = client.post(
        f"{path}/status", data={"csrf_token": token, "status": "sent"}, follow_redirects=True
    )
    assert 'id="coop-status">Đã gửi hoặc đã nhận<' in sent.text
    assert "Quá hạn" in sent.text  # past its deadline
    before = re.search(r'id="coop-preserved">([^<]+)<', sent.text)
    extended = client.post(f"{path}/extension", data={"csrf_token": token}, follow_redirects=True)
    after = re.search(r'id="coop-preserved">([^<]+)<', extended.text)
    assert before
    assert after
    assert before.group(1) != after.group(1)
    history = extended.text.split('id="coop-history"')[1]
    assert [row.count("lan") for row in history.split("<tr>")[2:]] == [1, 1, 1]
    listing = client.get("/cooperation?status=sent&type=preservation")
    assert f'href="/cooperation/{ref}"' in listing.text
    assert f'href="/cooperation/{ref}"' not in client.get("/cooperation?status=draft").text
    overview = client.get("/cooperation/overview")
    assert 'id="coop-overdue-count">1<' in overview.text
    assert f'href="/cooperation/{ref}"' in overview.text


def test_a_form_that_cannot_be_recorded_comes_back_with_what_was_typed(client_as: Any) -> None:
    client = client_as("analyst")
    form = FORM | {"csrf_token": csrf_of(client), "range_to": "2026-01-01"}
    again = client.post("/cooperation", data=form)
    assert again.status_code == 422
    assert 'role="alert"' in again.text
    assert "VCB:9876543210" in again.text  # kept


def test_the_pages_speak_english_when_asked(client_as: Any) -> None:
    client = client_as("analyst")
    client.cookies.set("tipline_lang", "en")
    page = client.get("/cooperation/new")
    assert "Expedited preservation of stored data" in page.text
    assert 'href="/cooperation" aria-current="page"' in page.text


def test_a_case_asks_abroad_and_lists_its_requests(client_as: Any, db_session: Session) -> None:
    case = create_case(db_session, staff("analyst:lan"), "Đường dây giả danh Vietcombank")
    client = client_as("analyst")
    case_page = client.get(f"/cases/{case.id}").text
    assert f'href="/cooperation/new?case={case.id}" id="case-ask-abroad"' in case_page
    form_page = client.get(f"/cooperation/new?case={case.id}").text
    assert f'name="case_id" inputmode="numeric" maxlength="20" value="{case.id}"' in form_page
    token = csrf_of(client)
    made = client.post(
        "/cooperation",
        data=FORM | {"csrf_token": token, "case_id": str(case.id), "requested_authority": "FBI"},
        follow_redirects=False,
    )
    ref = made.headers["location"].split("?")[0].rsplit("/", 1)[1]
    other = FORM | {"csrf_token": token, "requested_authority": "NCA"}
    assert client.post("/cooperation", data=other, follow_redirects=False).status_code == 303
    listed = client.get(f"/cooperation?case={case.id}").text
    assert re.findall(r'href="/cooperation/(COOP-[0-9-]+)"', listed) == [ref]
    api = client.get("/api/v1/cooperation", params={"case_id": case.id}).json()
    assert [item["reference"] for item in api["items"]] == [ref]
    assert client.get("/api/v1/cooperation").json()["total"] == 2
