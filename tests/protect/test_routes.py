"""The victim's page and API through the real app (TestClient, real database): her browser sends
two hashes and gets a receipt; the bank then matches them; the receipt withdraws them, by the
API or by the no-JavaScript form; the page says tipline never sees the photo, in both languages.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.principals import staff

from tipline.app import create_app
from tipline.media.core import HashValue, Signal
from tipline.media.service import match

if TYPE_CHECKING:
    from sqlalchemy.orm import sessionmaker

    from tipline.settings import Settings

API = "/api/v1/media/victim-hashes"
PDQ = "d8f8f0cce0f4a84f0e370a22028f67f0b36e2ed596623e1d33e6b39c4e9c9b22"
NEAR_PDQ = "d8f8f0cce0f4a84f0e370a22028f67f0b36e2ed596623e1d33e6b39c4e9c9b2d"  # 4 bits off
MD5 = "0cc175b9c0f1b6a831c399e269772661"
RECEIPT = re.compile(r"[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}")
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
ANALYST = staff("analyst:lan")


def matches(session: Session) -> tuple[list[int], list[int]]:
    """The distances at which the bank matches a near copy's PDQ, and the file's MD5."""
    session.expire_all()
    found = match(session, ANALYST, [HashValue(Signal.PDQ, NEAR_PDQ), HashValue(Signal.MD5, MD5)])
    return [m.distance for m in found[0]], [m.distance for m in found[1]]


def send(client: TestClient, **body: object) -> tuple[int, dict[str, object]]:
    answer = client.post(API, json={"pdq": PDQ, "md5": MD5, "quality": 100} | body)
    return answer.status_code, answer.json()


def test_her_hashes_join_the_bank_and_her_receipt_withdraws_them(
    client: TestClient, db_session: Session
) -> None:
    status, body = send(client)
    assert status == 201
    receipt = str(body["receipt"])
    assert RECEIPT.fullmatch(receipt)
    assert matches(db_session) == ([4], [0])

    answer = client.post(f"{API}/withdraw", json={"receipt": receipt.lower().replace("-", " ")})
    assert answer.status_code == 200
    assert answer.json() == {"removed": 2}
    assert matches(db_session) == ([], [])
    again = client.post(f"{API}/withdraw", json={"receipt": receipt})
    assert again.json() == {"removed": 0}


@pytest.mark.parametrize(
    "body",
    [
        {"md5": PDQ},  # a 64-hex value is not an MD5
        {"pdq": MD5},
        {"quality": 101},
        {"image": "iVBORw0KGgo="},  # nothing but the hashes is taken
    ],
)
def test_anything_but_two_hashes_and_a_quality_is_refused(
    client: TestClient, db_session: Session, body: dict[str, object]
) -> None:
    status, answer = send(client, **body)
    assert status == 422
    assert matches(db_session) == ([], [])


def test_a_wrong_receipt_withdraws_nothing(client: TestClient, db_session: Session) -> None:
    send(client)
    answer = client.post(f"{API}/withdraw", json={"receipt": "AAAA-BBBB-CCCC-DDDD"})
    assert answer.json() == {"removed": 0}
    assert matches(db_session) == ([4], [0])


@pytest.mark.parametrize(
    ("lang", "never_sees", "noscript"),
    [
        ("vi", "tipline không bao giờ nhìn thấy ảnh", "Trang này cần JavaScript"),
        ("en", "tipline never sees it", "This page needs JavaScript"),
    ],
)
def test_the_page_says_tipline_never_sees_the_photo(
    client: TestClient, lang: str, never_sees: str, noscript: str
) -> None:
    page = client.get(f"/protect-my-photo?lang={lang}")
    assert page.status_code == 200
    assert never_sees in page.text
    assert f'<noscript><p class="warning" id="needs-script">{noscript}' in page.text
    # The picker has no name and sits in no form: a slip cannot post the photo.
    picker = re.search(r"<input type=\"file\"[^>]*>", page.text)
    assert picker is not None
    assert "name=" not in picker.group(0)
    assert '<script type="module" src="/static/protect.js"></script>' in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "connect-src 'self'" in policy


def test_the_form_withdraws_without_javascript(client: TestClient, db_session: Session) -> None:
    _, body = send(client)
    form = client.get("/protect-my-photo/withdraw?lang=en")
    token = TOKEN.search(form.text)
    assert token is not None
    done = client.post(
        "/protect-my-photo/withdraw",
        data={"csrf_token": token.group(1), "receipt": body["receipt"]},
    )
    assert done.status_code == 200
    assert "2 fingerprints were removed from the bank." in done.text
    assert matches(db_session) == ([], [])
    empty = client.post(
        "/protect-my-photo/withdraw", data={"csrf_token": token.group(1), "receipt": " "}
    )
    assert empty.status_code == 422
    assert "Type your receipt code." in empty.text


def test_the_home_page_leads_to_the_page(client: TestClient) -> None:
    assert 'href="/protect-my-photo"' in client.get("/?lang=en").text


def test_sending_and_withdrawing_are_limited_per_address(
    settings: Settings, session_factory: sessionmaker[Session]
) -> None:
    # The report limit (10 a minute by default; 3 here): a script cannot flood the bank, nor
    # guess receipts, from one address.
    low = settings.model_copy(update={"rate_limit_reports": "3/minute"})
    with TestClient(create_app(settings=low, session_factory=session_factory)) as client:
        statuses = [send(client, md5=f"{n:032x}")[0] for n in range(3)]
        assert statuses == [201] * 3
        assert send(client)[0] == 429
        withdrawal = client.post(f"{API}/withdraw", json={"receipt": "AAAA-BBBB-CCCC-DDDD"})
        assert withdrawal.status_code == 429


def test_a_sextortion_receipt_leads_to_the_page(client: TestClient) -> None:
    page = client.get("/report?lang=en")
    token = TOKEN.search(page.text)
    assert token is not None
    story = (
        "A man I met on Facebook has my intimate photos and threatens to send them to my family "
        "unless I pay him 5,000,000 dong tonight. I am 24."
    )
    form = {"csrf_token": token.group(1), "narrative": story}
    receipt = client.post("/report", data=form)  # follows the redirect to the receipt
    assert "Category: <strong>Sextortion</strong>" in receipt.text
    assert '<a href="/protect-my-photo">Protect an intimate photo</a>' in receipt.text
