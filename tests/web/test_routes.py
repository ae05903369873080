"""The citizen pages through the real app (TestClient, real database from conftest)."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

import pytest
from markupsafe import escape
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.reports.models import Report
from tipline.vietqr.core import build_payload

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

SCRIPT = "<script>alert('xss')</script>"
NARRATIVE = f"Người tự xưng công an gọi từ 0987 654 321, bắt chuyển tiền. {SCRIPT}"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client: TestClient, path: str = "/report") -> str:
    page = client.get(path)
    assert page.status_code == 200
    match = TOKEN.search(page.text)
    assert match is not None
    return match.group(1)


def post_report(client: TestClient, **fields: str) -> tuple[int, str]:
    form = {"csrf_token": csrf_token(client), "narrative": NARRATIVE} | fields
    answer = client.post("/report", data=form)
    return answer.status_code, answer.text


def receipt_codes(page: str) -> tuple[str, str]:
    code = re.search(r'id="tracking-code">([^<]+)<', page)
    secret = re.search(r'id="tracking-secret">([^<]+)<', page)
    assert code is not None
    assert secret is not None
    return code.group(1), secret.group(1)


def test_home_is_vietnamese_first_with_emergency_numbers(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert '<html lang="vi">' in page.text
    assert "Báo cáo" in page.text
    assert "Kiểm tra" in page.text
    assert "Theo dõi" in page.text
    assert 'href="tel:113"' in page.text
    assert 'href="tel:111"' in page.text
    assert "script-src" not in page.headers["content-security-policy"]
    assert "default-src 'none'" in page.headers["content-security-policy"]


def test_english_switch_is_remembered_by_a_cookie(client: TestClient) -> None:
    english = client.get("/?lang=en")
    assert '<html lang="en">' in english.text
    assert "Report" in english.text
    assert english.cookies.get("tipline_lang") == "en"
    assert '<html lang="en">' in client.get("/check").text
    assert '<html lang="vi">' in client.get("/check?lang=vi").text
    assert '<html lang="vi">' in client.get("/").text


def test_language_switch_link_keeps_the_query(client: TestClient) -> None:
    page = client.get("/check?value=0912345678")
    assert 'href="/check?value=0912345678&amp;lang=en"' in page.text


def test_stylesheet_is_served(client: TestClient) -> None:
    answer = client.get("/static/tipline.css")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/css")
    assert ".verdict.confirmed" in answer.text


def test_report_without_csrf_token_is_refused_and_input_kept(client: TestClient) -> None:
    client.get("/report")  # the cookie is there, the token is not
    answer = client.post("/report", data={"narrative": NARRATIVE, "csrf_token": "1.forged"})
    assert answer.status_code == 403
    assert "Phiên của trang đã hết hạn" in answer.text
    assert str(escape(NARRATIVE)) in answer.text
    assert TOKEN.search(answer.text) is not None  # a fresh token to send it again


def test_report_from_another_site_without_the_cookie_is_refused(client: TestClient) -> None:
    token = csrf_token(client)
    client.cookies.clear()
    answer = client.post("/report", data={"narrative": NARRATIVE, "csrf_token": token})
    assert answer.status_code == 403


def test_validation_errors_are_localised_and_keep_the_input(client: TestClient) -> None:
    status, page = post_report(client, loss_amount="nhiều lắm", occurred_at="2999-01-01")
    assert status == 422
    assert "Số không hợp lệ hoặc ngoài giới hạn." in page  # as the API says it
    assert "Ngày này ở tương lai." in page
    assert 'value="nhiều lắm"' in page
    assert str(escape(NARRATIVE)) in page
    assert SCRIPT not in page


def test_validation_errors_in_english(client: TestClient) -> None:
    client.get("/?lang=en")
    status, page = post_report(client, narrative="  ")
    assert status == 422
    assert "The narrative is empty: tell what happened." in page


def test_report_receipt_shows_code_secret_advice_and_escapes(client: TestClient) -> None:
    status, page = post_report(
        client, indicators=f"VCB 0123456789\n{SCRIPT}", loss_amount="15.000.000", anonymous="1"
    )
    assert status == 200
    code, secret = receipt_codes(page)
    assert re.fullmatch(r"TL-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    assert len(secret) >= 20
    assert "Hãy lưu lại hai mã này" in page
    assert "+84987654321" in page
    assert "<code>0123456789 (Vietcombank)</code>" in page  # as on her slip, not "VCB:0123456789"
    assert "VCB:0123456789" not in page
    assert "không lưu thông tin liên hệ" in page
    assert SCRIPT not in page
    assert str(escape(SCRIPT)) in page  # the unreadable listed value, shown as text
    # The receipt is read again in the other language: switching loses nothing.
    english = client.get("/report/receipt", params={"lang": "en"}).text
    assert receipt_codes(english) == (code, secret)
    assert "Keep these two codes" in english


def test_receipt_is_not_cached(client: TestClient) -> None:
    form = {"csrf_token": csrf_token(client), "narrative": NARRATIVE}
    answer = client.post("/report", data=form)
    assert answer.headers["cache-control"] == "no-store"


def test_child_form_asks_less_and_says_where_to_get_help(client: TestClient) -> None:
    form_page = client.get("/report?child=1").text
    assert "Báo cáo về trẻ em" in form_page
    assert "Gọi 111" in form_page
    assert 'name="qr_image"' not in form_page
    assert 'name="loss_amount"' not in form_page
    status, page = post_report(
        client, about_child="1", victim_age="13_17", narrative="Có người lạ nhắn tin dụ con tôi."
    )
    assert status == 200
    assert "Gọi 111" in page
    receipt_codes(page)


def qr_png(payload: str) -> bytes:
    segno = pytest.importorskip("segno", reason="segno (dev dependency) renders test QR codes")
    buf = io.BytesIO()
    segno.make(payload, error="m").save(buf, kind="png", scale=4)
    return buf.getvalue()


def test_payment_qr_screenshot_adds_the_account(client: TestClient) -> None:
    png = qr_png(build_payload("970407", "19036627188018", amount="5000000"))
    form = {"csrf_token": csrf_token(client), "narrative": "Họ gửi mã QR để tôi chuyển tiền cọc."}
    answer = client.post("/report", data=form, files={"qr_image": ("qr.png", png, "image/png")})
    assert answer.status_code == 200
    assert "Techcombank" in answer.text
    assert "19036627188018" in answer.text
    assert "19036627188018 (Techcombank)" in answer.text
    check = client.get("/check", params={"value": "TCB 19036627188018"})
    assert 'data-state="reported"' in check.text


def test_upload_is_checked_by_content_not_by_name(client: TestClient) -> None:
    form = {"csrf_token": csrf_token(client), "narrative": NARRATIVE}
    fake = ("qr.png", SCRIPT.encode(), "image/png")
    answer = client.post("/report", data=form, files={"qr_image": fake})
    assert answer.status_code == 422
    assert "không phải ảnh PNG hoặc JPEG" in answer.text
    assert str(escape(NARRATIVE)) in answer.text


def test_follow_shows_status_and_a_neutral_message_otherwise(client: TestClient) -> None:
    _, page = post_report(client)
    code, secret = receipt_codes(page)
    token = csrf_token(client, "/follow")
    found = client.post("/follow", data={"csrf_token": token, "code": code, "secret": secret})
    assert found.status_code == 200
    assert code in found.text
    assert "Mới nhận" in found.text or "Đã phân loại" in found.text
    wrong_secret = client.post("/follow", data={"csrf_token": token, "code": code, "secret": "x"})
    wrong_code = client.post(
        "/follow", data={"csrf_token": token, "code": "TL-2222-2222", "secret": secret}
    )
    for answer in (wrong_secret, wrong_code):
        assert answer.status_code == 404
        assert "Không tìm thấy báo cáo với mã và mã bí mật này" in answer.text
        assert 'id="report-status"' not in answer.text


def test_follow_without_csrf_is_refused(client: TestClient) -> None:
    client.get("/follow")
    answer = client.post("/follow", data={"code": "TL-2222-2222", "secret": "x"})
    assert answer.status_code == 403


def test_check_shows_reported_with_count_and_category(client: TestClient) -> None:
    post_report(client)
    page = client.get("/check", params={"value": "0987.654.321"})
    assert page.status_code == 200
    assert 'data-state="reported"' in page.text
    assert "+84987654321" in page.text
    assert re.search(r'id="report-count">1<', page.text)


def test_check_without_reports_says_it_does_not_mean_safe(client: TestClient) -> None:
    page = client.get("/check", params={"value": "0911 222 333"})
    assert 'data-state="none"' in page.text
    assert "KHÔNG có nghĩa là an toàn" in page.text
    english = client.get("/check", params={"value": "0911 222 333", "lang": "en"})
    assert "does NOT mean it is safe" in english.text


def test_check_allowlisted_domain(client: TestClient) -> None:
    page = client.get("/check", params={"value": "vietcombank.com.vn"})
    assert 'data-state="allowlisted"' in page.text


def test_check_value_that_is_nothing_is_an_escaped_error(client: TestClient) -> None:
    page = client.get("/check", params={"value": SCRIPT})
    assert page.status_code == 422
    assert "Không nhận ra" in page.text
    assert SCRIPT not in page.text
    assert str(escape(SCRIPT)) in page.text


def test_check_shows_a_confirmed_scam_in_red(client: TestClient, db_session: Session) -> None:
    post_report(client, indicators="VCB 0123456789")
    record = db_session.scalars(
        select(IndicatorRecord).where(IndicatorRecord.value == "VCB:0123456789")
    ).one()
    db_session.execute(
        update(ReportIndicator)
        .where(ReportIndicator.indicator_id == record.id)
        .values(confirmed=True)
    )
    db_session.commit()
    page = client.get("/check", params={"value": "VCB 0123456789"})
    assert 'data-state="confirmed"' in page.text
    assert "LỪA ĐẢO ĐÃ XÁC NHẬN" in page.text


@pytest.mark.parametrize(
    ("status", "text"), [(404, "Không tìm thấy trang này."), (500, "Lỗi máy chủ.")]
)
def test_error_page(status: int, text: str) -> None:
    from starlette.requests import Request

    from tipline.html.rendering import error_page

    request = Request({"type": "http", "method": "GET", "path": "/x", "query_string": b"",
                       "headers": [], "app": None})  # fmt: skip
    page = error_page(request, status)
    assert page.status_code == status
    assert text in bytes(page.body).decode()


def test_the_first_field_in_error_takes_the_focus(client: TestClient) -> None:
    # Province comes after the amount on the page, and is checked first by nothing in particular.
    status, page = post_report(client, province="x" * 500, loss_amount="nhiều lắm")
    assert status == 422
    assert 'id="province-error"' in page
    assert 'id="loss_amount-error"' in page
    focused = re.findall(r'<(?:input|textarea|select)[^>]* id="([a-z_]+)"[^>]*autofocus', page)
    assert focused == ["loss_amount"]


def test_the_field_order_is_the_pages(client: TestClient) -> None:
    from tipline.web.forms import FIELD_ORDER

    page = client.get("/report").text
    names = re.findall(r'<(?:input|textarea|select)[^>]* name="([a-z_]+)"', page)
    shown = [name for name in names if name in FIELD_ORDER]
    assert shown == [name for name in FIELD_ORDER if name in shown]
    assert set(FIELD_ORDER) - set(shown) <= {"victim_age"}  # the child form's age comes later


def api_report(client: TestClient, narrative: str) -> None:
    assert client.post("/api/v1/reports", json={"narrative": narrative}).status_code == 201


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_check_of_facebook_shows_no_report_counts(client: TestClient, language: str) -> None:
    api_report(client, "Kẻ gian lập trang giả trên facebook.com bán hàng rồi chặn tôi.")
    api_report(client, "Người yêu qua mạng quen trên facebook.com lừa tôi 40 triệu.")
    page = client.get("/check", params={"value": "facebook.com", "lang": language})
    assert page.status_code == 200
    assert 'data-state="allowlisted"' in page.text
    assert 'id="allowlist-meaning"' in page.text
    assert 'id="report-count"' not in page.text
    assert "Facebook, Zalo" in page.text
    api = client.get("/api/v1/check", params={"value": "facebook.com"}).json()
    assert (api["verdict"], api["report_count"], api["categories"]) == ("allowlisted", 0, {})


@pytest.mark.parametrize(
    ("language", "at_vcb"),
    [
        ("en", "Reported at Vietcombank (3 reports)"),
        ("vi", "Bị báo cáo tại Vietcombank (3 báo cáo)"),
    ],
)
def test_a_bare_account_from_a_transfer_slip_finds_its_reports_at_any_bank(
    client: TestClient, language: str, at_vcb: str
) -> None:
    for amount in (2, 3, 4):
        api_report(client, f"Tôi chuyển {amount} triệu vào STK 0451000123999 Vietcombank.")
    page = client.get("/check", params={"value": "0451000123999", "lang": language})
    assert 'data-state="reported"' in page.text
    assert at_vcb in page.text
    assert re.search(r'id="report-count">3<', page.text)
    assert "<code>0451000123999</code>" in page.text  # as on the slip, never "UNKNOWN:…"
    assert "UNKNOWN" not in page.text


def test_a_handle_is_checked_and_shown_as_people_write_it(client: TestClient) -> None:
    api_report(client, "Nick Instagram hoang.anh.2k9 dọa gửi ảnh của em cho cả lớp.")
    form = client.get("/check", params={"lang": "vi"}).text
    assert "nick Instagram hoang.anh.2k9" in form  # the hint says a handle may be checked
    page = client.get("/check", params={"value": "IG @hoang.anh.2k9", "lang": "vi"})
    assert 'data-state="reported"' in page.text
    assert "<code>Instagram: hoang.anh.2k9</code>" in page.text
    assert "instagram:" not in page.text


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "a phone number, bank account or link"), ("vi", "số điện thoại, số tài khoản")],
)
def test_an_empty_check_says_what_to_type(client: TestClient, language: str, words: str) -> None:
    for empty in ("", "  "):
        page = client.get("/check", params={"value": empty, "lang": language})
        assert page.status_code == 422
        assert words in page.text
        assert 'aria-invalid="true"' in page.text
    assert words not in client.get("/check", params={"lang": language}).text
    api = client.get("/api/v1/check", params={"value": "", "lang": language})
    assert api.status_code == 422
    assert words in api.json()["error"]["message"]


TEEN = (
    "Em 15 tuổi. Có người quen qua Instagram có ảnh riêng tư của em, giờ đòi em chuyển 2 củ "
    "trước tối mai, không thì gửi cho bố mẹ với cả lớp em."
)


@pytest.mark.parametrize(
    ("language", "to_her"),
    [("vi", "Em không làm gì sai"), ("en", "You did nothing wrong")],
)
def test_a_teenager_who_reports_sextortion_reads_advice_written_to_her(
    client: TestClient, db_session: Session, language: str, to_her: str
) -> None:
    form_page = client.get("/report", params={"child": "1", "lang": language}).text
    assert 'name="reporter"' in form_page
    assert 'name="offender_accounts"' in form_page
    status, page = post_report(
        client, about_child="1", reporter="child", victim_age="13_17", narrative=TEEN,
        offender_accounts="IG @hoang.anh.2k9\ntele @khoanh_99",
    )  # fmt: skip
    assert status == 200
    assert to_her in page
    assert "111" in page
    # The box at the top speaks to her too, not to an adult about "the child".
    box = page.split('class="help-now"')[1].split("</section>")[0]
    assert "Never forward pictures of the child" not in box
    assert "chuyển tiếp hình ảnh của trẻ" not in box
    assert ("It is not your fault" if language == "en" else "Em không có lỗi") in box
    code, _ = receipt_codes(page)
    report = db_session.scalars(select(Report).where(Report.code == code)).one()
    assert (report.category, report.urgency, report.reporter) == (
        "child_exploitation", "critical", "child",
    )  # fmt: skip
    named = db_session.execute(
        select(IndicatorRecord.value)
        .join(ReportIndicator, ReportIndicator.indicator_id == IndicatorRecord.id)
        .where(ReportIndicator.report_id == report.id)
    )
    assert {"instagram:hoang.anh.2k9", "telegram:khoanh_99"} <= set(named.scalars())


def test_a_teenager_who_leaves_who_is_reporting_unanswered_reads_advice_to_her(
    client: TestClient,
) -> None:
    status, page = post_report(client, about_child="1", victim_age="13_17", narrative=TEEN)
    assert status == 200
    assert "Em không làm gì sai" in page  # her story says "em 15 tuổi", "ảnh … của em"
    box = page.split('class="help-now"')[1].split("</section>")[0]
    assert "Em không có lỗi" in box
    assert "chuyển tiếp hình ảnh của trẻ" not in box


def test_a_child_report_whose_writer_is_unknown_speaks_to_her_and_to_an_adult(
    client: TestClient,
) -> None:
    story = "Có một tài khoản Facebook lạ nhắn tin dụ một bé gái 12 tuổi gửi ảnh khỏa thân."
    status, page = post_report(client, about_child="1", narrative=story)
    assert status == 200
    to_her = page.split('id="help-self"')[1].split("</section>")[0]
    to_adult = page.split('id="help-adult"')[1].split("</section>")[0]
    assert "Em không có lỗi" in to_her
    assert "chuyển tiếp hình ảnh của trẻ" in to_adult


def test_a_parent_who_leaves_who_is_reporting_unanswered_reads_the_adult_advice(
    client: TestClient,
) -> None:
    story = "Con gái tôi 14 tuổi bị một tài khoản Instagram dọa tung ảnh nếu không chuyển tiền."
    status, page = post_report(client, about_child="1", victim_age="13_17", narrative=story)
    assert status == 200
    assert "Em không làm gì sai" not in page
    assert 'id="help-self"' not in page
    assert "chuyển tiếp hình ảnh của trẻ" in page


def test_a_parent_reporting_reads_the_adult_advice(client: TestClient) -> None:
    status, page = post_report(
        client, about_child="1", reporter="parent", victim_age="13_17", narrative=TEEN
    )
    assert status == 200
    assert "Em không làm gì sai" not in page
    assert "Gọi 111" in page
