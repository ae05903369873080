"""The parent who checks and the teenager who reports, in Chromium, at 360 and 1280 px, in both
languages: a check of facebook.com shows no report counts and says what the allowlist means; a
bare account number from a transfer slip finds its reports at its bank; an empty check says what
to type; a teenager reporting sextortion on the child's form reads advice written to her."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from tests.browser import LOCALES, SCREENS, needs_chromium, scrolls_sideways
from tests.live_server import running_tipline

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = needs_chromium
SLIP = "0451000123999"
SEEDED = (
    "Kẻ gian lập trang giả trên facebook.com bán hàng rồi chặn tôi.",
    "Người yêu qua mạng quen trên facebook.com lừa tôi 40 triệu.",
    f"Tôi chuyển 2 triệu vào STK {SLIP} Vietcombank mua điện thoại, không nhận được hàng.",
    f"Chuyển cọc 5 triệu vào STK {SLIP} Vietcombank, người bán chặn số.",
    f"Tôi chuyển 3 triệu vào STK {SLIP} Vietcombank để nhận việc làm online, bị lừa.",
)
TEEN = (
    "Em 15 tuổi. Có người quen qua Instagram có ảnh riêng tư của em, giờ đòi em chuyển 2 củ "
    "trước tối mai, không thì gửi cho bố mẹ với cả lớp em."
)
WORDS = {
    "vi": {
        "at_vcb": "Bị báo cáo tại Vietcombank (3 báo cáo)",
        "empty": "số điện thoại, số tài khoản hoặc đường link",
        "to_her": "Em không làm gì sai",
        "do_not_pay": "Đừng chuyển tiền",
    },
    "en": {
        "at_vcb": "Reported at Vietcombank (3 reports)",
        "empty": "a phone number, bank account or link",
        "to_her": "You did nothing wrong",
        "do_not_pay": "Do not pay",
    },
}


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_tipline(tmp_path_factory.mktemp("check-browser")) as url:
        for narrative in SEEDED:
            body = json.dumps({"narrative": narrative}).encode()
            request = urllib.request.Request(  # noqa: S310 (loopback)
                f"{url}/api/v1/reports", body, {"Content-Type": "application/json"}
            )
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                assert answer.status == 201
        yield url


def open_page(browser: Browser, language: str, screen: str) -> Page:
    return browser.new_page(locale=LOCALES[language], viewport=SCREENS[screen])


def check(page: Page, value: str) -> None:
    page.fill("#value", value)
    page.click("form.check-form button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.parametrize("screen", sorted(SCREENS))
@pytest.mark.parametrize("language", sorted(LOCALES))
def test_the_parent_who_checks(
    browser: Browser, server_url: str, language: str, screen: str
) -> None:
    page = open_page(browser, language, screen)
    words = WORDS[language]

    page.goto(f"{server_url}/check")
    check(page, "facebook.com")
    verdict = page.locator("#verdict")
    assert verdict.get_attribute("data-state") == "allowlisted"
    assert page.locator("#allowlist-meaning").is_visible()
    assert page.locator("#report-count").count() == 0
    assert "Facebook, Zalo" in page.locator("#allowlist-meaning").inner_text()
    assert not scrolls_sideways(page)

    check(page, SLIP)
    assert verdict.get_attribute("data-state") == "reported"
    assert page.locator("#report-count").inner_text() == "3"
    assert page.locator("#account-banks").inner_text().strip() == words["at_vcb"]
    assert not scrolls_sideways(page)

    check(page, "")
    assert words["empty"] in page.locator("#value-error").inner_text()
    assert page.locator("#verdict").count() == 0
    page.close()


@pytest.mark.parametrize("screen", sorted(SCREENS))
@pytest.mark.parametrize("language", sorted(LOCALES))
def test_the_teenager_who_reports_sextortion(
    browser: Browser, server_url: str, language: str, screen: str
) -> None:
    page = open_page(browser, language, screen)
    words = WORDS[language]
    page.goto(f"{server_url}/report?child=1")
    page.check('input[name="reporter"][value="child"]')
    page.fill("#narrative", TEEN)
    page.fill("#offender_accounts", "IG @hoang.anh.2k9")
    page.select_option("#victim_age", "13_17")
    assert not scrolls_sideways(page)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    advice = page.locator("section.advice-block").inner_text()
    assert words["to_her"] in advice
    assert words["do_not_pay"] in advice
    assert "111" in advice
    assert "Instagram: hoang.anh.2k9" in page.content()
    assert not scrolls_sideways(page)
    page.close()
