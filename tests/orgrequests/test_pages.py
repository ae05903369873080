"""The request pages, signed in for real: the analyst asks from a campaign (the organisations
proposed), sends in one click; the bank's user sees its request only and answers with an amount
and a file; the victim's follow page says what came of it; every page in Vietnamese shows no
raw identifier or English, and English has its own words."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from tests.orgrequests.conftest import Desk, signed_in
from tests.workspace.test_translated import leftovers

from tipline.accounts.core import SESSION_COOKIE
from tipline.app import create_app
from tipline.orgrequests.models import OrgRequest
from tipline.settings import Settings

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def web(settings: Settings, session_factory: sessionmaker[Session]) -> Iterator[TestClient]:
    app = create_app(settings=settings, session_factory=session_factory)
    with TestClient(app) as client:
        yield client


def as_user(web: TestClient, cookie: str) -> TestClient:
    web.cookies.clear()
    web.cookies.set(SESSION_COOKIE, cookie)
    return web


def in_vietnamese(path: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang=vi"


def token_of(html: str) -> str:
    found = TOKEN.search(html)
    assert found is not None
    return found.group(1)


def test_ask_send_answer_and_follow(web: TestClient, db_session: Session, desk: Desk) -> None:
    analyst, _ = signed_in(db_session, "lan", "analyst")
    bank, _ = signed_in(db_session, "vcb", "platform", organisation_id=desk.vcb.id)
    other, _ = signed_in(db_session, "tcb", "platform", organisation_id=desk.tcb.id)
    ask = as_user(web, analyst).get(f"/requests/new?campaign={desk.campaign}&lang=en")
    assert ask.status_code == 200
    groups = re.findall(r'<h2 id="group-\d">([^<]+)</h2>', ask.text)
    assert groups == ["Vietcombank · Freeze an account", "Techcombank · Freeze an account",
                      "Viettel · Suspend a number"]  # fmt: skip
    form = {"csrf_token": token_of(ask.text), "campaign_uid": str(desk.campaign),
            "organisation_id": str(desk.vcb.id), "type": "freeze"}  # fmt: skip
    drafted = web.post("/requests", data=form, follow_redirects=False)
    assert drafted.status_code == 303
    reference = drafted.headers["location"].rsplit("/", 1)[1]
    page = web.get(f"/requests/{reference}?lang=en")
    sent = web.post(f"/requests/{reference}/send", data={"csrf_token": token_of(page.text)})
    assert "Sent" in sent.text
    assert as_user(web, other).get("/requests?lang=en").text.count("/requests/YC-") == 0
    assert web.get(f"/requests/{reference}").status_code == 404
    mine = as_user(web, bank).get("/requests?lang=en")
    assert mine.text.count("/requests/YC-") == 1
    opened = web.get(f"/requests/{reference}?lang=en")
    assert "Seen" in opened.text
    answer = {"csrf_token": token_of(opened.text), "outcome": "done", "amount_frozen": "21.000.000",
              "org_reference": "VCB-9", "preserved": "Sao kê 30 ngày"}  # fmt: skip
    answered = web.post(f"/requests/{reference}/answer", data=answer,
                        files=[("files", ("phong-toa.png", PNG, "image/png"))])  # fmt: skip
    assert answered.status_code == 200
    assert "21.000.000" in answered.text or "21,000,000" in answered.text
    assert "phong-toa.png" in answered.text
    figures = as_user(web, analyst).get("/requests/dashboard?lang=en")
    assert "Vietcombank" in figures.text
    web.cookies.clear()
    follow = web.get("/follow?lang=en")
    held = {"csrf_token": token_of(follow.text), "code": desk.first.code,
            "secret": desk.secret_first}  # fmt: skip
    followed = web.post("/follow", data=held)
    assert "We asked Vietcombank to freeze the account you paid into." in followed.text
    assert "It has done it." in followed.text  # a campaign's total is not hers to read
    assert "21.000.000" not in followed.text


def test_the_pages_in_vietnamese_have_no_raw_words(
    web: TestClient, db_session: Session, desk: Desk
) -> None:
    analyst, _ = signed_in(db_session, "lan", "analyst")
    bank, _ = signed_in(db_session, "vcb", "platform", organisation_id=desk.vcb.id)
    as_user(web, analyst)
    ask = web.get(f"/requests/new?campaign={desk.campaign}")
    form = {"csrf_token": token_of(ask.text), "campaign_uid": str(desk.campaign),
            "organisation_id": str(desk.vcb.id)}  # fmt: skip
    reference = web.post("/requests", data=form).url.path.rsplit("/", 1)[1]
    pages = ["/requests", f"/requests/new?campaign={desk.campaign}", f"/requests/{reference}",
             "/requests/dashboard", f"/requests/new?report={desk.first.id}"]  # fmt: skip
    found = {}
    for path in pages:
        answer = web.get(in_vietnamese(path))
        assert answer.status_code == 200, path
        if words := leftovers(answer.text, ()):
            found[path] = words
    page = web.get(f"/requests/{reference}")
    web.post(f"/requests/{reference}/send", data={"csrf_token": token_of(page.text)})
    for path in ("/requests", f"/requests/{reference}"):
        answer = as_user(web, bank).get(in_vietnamese(path))
        if words := leftovers(answer.text, ()):
            found[f"{path} (bank)"] = words
    assert found == {}
    assert db_session.query(OrgRequest).count() == 1


def test_the_bank_answers_each_line_on_its_page(
    web: TestClient, db_session: Session, desk: Desk
) -> None:
    analyst, _ = signed_in(db_session, "lan", "analyst")
    bank, _ = signed_in(db_session, "vcb", "platform", organisation_id=desk.vcb.id)
    ask = as_user(web, analyst).get(f"/requests/new?campaign={desk.campaign}")
    form = {"csrf_token": token_of(ask.text), "campaign_uid": str(desk.campaign),
            "organisation_id": str(desk.vcb.id)}  # fmt: skip
    reference = web.post("/requests", data=form).url.path.rsplit("/", 1)[1]
    page = web.get(f"/requests/{reference}")
    web.post(f"/requests/{reference}/send", data={"csrf_token": token_of(page.text)})
    opened = as_user(web, bank).get(f"/requests/{reference}?lang=vi")
    assert "Từng dòng: đơn vị đã làm gì" in opened.text
    ids = re.findall(r'name="line-(\d+)-outcome"', opened.text)
    assert len(ids) == 2
    answer = {
        "csrf_token": token_of(opened.text),
        "outcome": "partly_done",
        f"line-{ids[0]}-outcome": "frozen",
        f"line-{ids[0]}-amount": "3.000.000",
        f"line-{ids[1]}-outcome": "not_found",
        f"line-{ids[1]}-note": "sai số tài khoản",
    }
    answered = web.post(f"/requests/{reference}/answer?lang=en", data=answer)  # fmt: skip
    assert answered.status_code == 200
    english = web.get(f"/requests/{reference}?lang=en")
    rows = re.findall(r'<td class="line-outcome">([^<]+)</td>', english.text)
    assert sorted(rows) == ["Frozen (done)", "Not found"]
    assert "sai số tài khoản" in answered.text
    shown = as_user(web, analyst).get(f"/requests/{reference}?lang=vi")
    assert "Đã phong tỏa (đã thực hiện)" in shown.text
