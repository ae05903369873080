"""The receipt after a report: its own address, read again (never filed again), kept by the
browser that filed it (download, print), with the call to the bank first after paying."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.web.test_routes import NARRATIVE, csrf_token, receipt_codes

from tipline.reports.models import Report

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

PAID = "Tôi đã chuyển 15.000.000 đồng cho kẻ giả danh công an."


def file_report(client: TestClient, **fields: str) -> str:
    """Post the form; the answer is a redirect to the receipt, whose page is returned."""
    form = {"csrf_token": csrf_token(client), "narrative": NARRATIVE} | fields
    posted = client.post("/report", data=form, follow_redirects=False)
    assert posted.status_code == 303
    assert posted.headers["location"] == "/report/receipt"
    cookie = posted.headers["set-cookie"]
    assert "tipline_holder=" in cookie
    assert "HttpOnly" in cookie
    assert "samesite=strict" in cookie.lower()
    page = client.get("/report/receipt")
    assert page.status_code == 200
    return page.text


def count(db_session: Session) -> int:
    return db_session.scalar(select(func.count()).select_from(Report)) or 0


def test_reloading_the_receipt_files_nothing_again(client: TestClient, db_session: Session) -> None:
    before = count(db_session)
    page = file_report(client)
    code, secret = receipt_codes(page)
    again = client.get("/report/receipt")
    assert receipt_codes(again.text) == (code, secret)
    assert count(db_session) == before + 1
    assert secret not in str(again.url)


def test_the_receipt_is_only_for_the_browser_that_filed(client: TestClient) -> None:
    file_report(client)
    client.cookies.clear()
    gone = client.get("/report/receipt")
    assert gone.status_code == 404
    assert "tracking-secret" not in gone.text
    assert 'href="/follow"' in gone.text
    client.cookies.set("tipline_holder", "forged.0000")
    assert client.get("/report/receipt").status_code == 404
    assert client.get("/report/receipt/download").status_code == 404


def test_the_download_holds_code_and_secret(client: TestClient) -> None:
    code, secret = receipt_codes(file_report(client))
    download = client.get("/report/receipt/download")
    assert download.status_code == 200
    assert download.headers["content-type"] == "text/plain; charset=utf-8"
    assert f'filename="tipline-{code}.txt"' in download.headers["content-disposition"]
    assert download.headers["cache-control"] == "no-store"
    assert code in download.text
    assert secret in download.text
    assert "http://testserver/follow" in download.text
    english = client.get("/report/receipt/download", params={"lang": "en"}).text
    assert "Follow the report at" in english


def test_copy_and_print_are_progressive(client: TestClient) -> None:
    page = file_report(client)
    assert 'src="/static/receipt.js"' in page
    assert re.search(r'<button[^>]*data-copy="tracking-secret"[^>]*hidden', page)
    assert re.search(r'id="print-receipt" hidden', page)
    assert 'href="/report/receipt/download"' in page  # works without a script
    script = client.get("/static/receipt.js")
    assert script.status_code == 200
    assert "clipboard" in script.text
    assert "@media print" in client.get("/static/tipline.css").text


def test_forget_ends_the_holding(client: TestClient) -> None:
    file_report(client)
    token = csrf_token(client, "/report/receipt")
    client.post("/report/receipt/forget", data={"csrf_token": token})
    assert client.get("/report/receipt").status_code == 404


def test_a_paid_victim_reads_call_your_bank_first_with_a_tel_link(client: TestClient) -> None:
    page = file_report(
        client, narrative=PAID, loss_amount="15.000.000", from_bank="VCB",
        to_account="0451 0001 23999",
        to_bank="MB",
    )  # fmt: skip
    main = page[page.index("<main") :]
    first_alert = main[: main.index('class="codes"')]
    assert "Gọi ngay Vietcombank theo số" in first_alert
    assert 'href="tel:1900545413"' in first_alert
    assert 'href="tel:1900545426"' in first_alert  # MB, the bank of the account she paid
    assert main.index("Gọi ngay Vietcombank") < main.index("tracking-code")
    assert "0451000123999 (MBBank)" in page
    english = client.get("/report/receipt", params={"lang": "en"}).text
    assert "Call Vietcombank now on" in english


def test_an_unpaid_report_has_no_bank_call(client: TestClient) -> None:
    page = file_report(client, narrative="Có người nhắn tin lạ hỏi thông tin cá nhân của tôi.")
    assert "advice-paid" not in page


def test_advice_is_one_thing_a_line_and_every_number_is_tappable(client: TestClient) -> None:
    page = file_report(client, loss_amount="1.000.000")
    items = [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", page, re.S)]
    assert items
    assert not [item for item in items if "; " in item]
    assert 'href="tel:113"' in page[page.index("advice-block") :]


def test_the_receipt_never_names_an_urgency(client: TestClient) -> None:
    for language, words in (("vi", ("Bình thường", "Khẩn cấp", "Cao", "Thấp")),
                            ("en", ("Normal", "Critical", "High", "Low"))):  # fmt: skip
        client.cookies.clear()
        client.get("/", params={"lang": language})
        page = file_report(client)
        assert 'id="next-step"' in page
        for word in words:
            assert f">{word}<" not in page, (language, word)
        assert "Urgency" not in page
        assert "Mức khẩn" not in page


def test_follow_redirects_and_explains_the_status(client: TestClient) -> None:
    code, secret = receipt_codes(file_report(client))
    client.cookies.clear()
    token = csrf_token(client, "/follow")
    posted = client.post(
        "/follow",
        data={"csrf_token": token, "code": code, "secret": secret},
        follow_redirects=False,
    )
    assert posted.status_code == 303
    assert posted.headers["location"] == "/follow"
    page = client.get("/follow").text
    assert code in page
    assert secret not in page
    assert "Chúng tôi đã nhận báo cáo" in page  # what "new" means, in plain words
    english = client.get("/follow", params={"lang": "en"}).text
    assert "waiting for an officer" in english


def test_a_report_of_a_risk_to_life_reads_crisis_help_first(client: TestClient) -> None:
    page = file_report(
        client,
        narrative="Em bị lừa hết tiền học phí bố mẹ gửi, em không muốn sống nữa, em xin lỗi bố mẹ",
        loss_amount="7.000.000",
    )
    main = page[page.index("<main") :]
    first_alert = main[: main.index('class="codes"')]
    assert first_alert.index("advice-crisis") < first_alert.index("advice-paid")
    assert "Có thể có người đang nguy hiểm đến tính mạng" in first_alert
    assert 'href="tel:115"' in first_alert
    assert "Ở bên người đó" in first_alert
    assert "Giữ lại tin nhắn" in first_alert
    english = client.get("/report/receipt", params={"lang": "en"}).text
    assert "Stay with the person" in english
    download = client.get("/report/receipt/download").text
    assert "115" in download


def test_an_idiom_brings_no_crisis_help(client: TestClient) -> None:
    page = file_report(client, narrative="Shop giao sai hàng, gọi mãi không nghe, mệt muốn chết.")
    assert "advice-crisis" not in page


def test_a_paid_account_named_in_the_story_is_listed_once_and_next_steps_once(
    client: TestClient,
) -> None:
    page = file_report(
        client,
        narrative="Tôi chuyển 5.000.000 đồng vào tài khoản 0451000123999 Vietcombank.",
        loss_amount="5.000.000",
        to_account="0451000123999",
    )
    listed = page[page.index('class="indicators"') :]
    assert listed.count("0451000123999") == 1
    assert "0451000123999 (Vietcombank)" in listed
    step = page[page.index('id="next-step"') : page.index("</section>", page.index("next-step"))]
    assert step.count("cảnh báo người khác") == 1
    assert "Gửi thêm ảnh chụp màn hình hoặc thông tin" in step


def test_a_handle_is_listed_as_people_write_it(client: TestClient) -> None:
    page = file_report(client, narrative="Nick Instagram hoang.anh.2k9 lừa tôi 2 triệu.")
    listed = page[page.index('class="indicators"') :]
    assert "<code>Instagram: hoang.anh.2k9</code>" in listed
    assert "instagram:hoang" not in page


def test_a_child_is_never_asked_for_screenshots(client: TestClient) -> None:
    page = file_report(
        client,
        narrative="Có người lạ trên mạng đòi em gửi ảnh khỏa thân, em 13 tuổi.",
        about_child="1",
        victim_age="13_17",
        reporter="child",
    )
    step = page[page.index('id="next-step"') :]
    assert "Gửi thêm thông tin" in step
    assert "ảnh chụp màn hình" not in step
