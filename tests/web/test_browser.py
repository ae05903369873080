"""A person on a phone: file a report through the form, follow it, check one of its numbers.

Drives Debian's Chromium (never a downloaded browser) through Playwright against the real
server (uvicorn in a subprocess on 127.0.0.1, a temporary data folder). Screenshots of every
page go to /tmp/tipline-shots/ for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from tests.browser import CHROMIUM, CHROMIUM_ARGS, SHOTS, needs_chromium
from tests.live_server import running_tipline

if TYPE_CHECKING:
    from playwright.sync_api import Dialog, Page

PHONE_WIDTH, PHONE_HEIGHT = 360, 740
NARRATIVE = (
    "Hôm qua có người gọi từ số 0987 654 321 tự xưng là công an, nói tài khoản của tôi liên quan "
    "đến rửa tiền và bắt tôi chuyển 15.000.000 đồng. <script>alert('xss')</script>"
)

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_tipline(tmp_path_factory.mktemp("tipline-data")) as base:
        yield base


def shoot(page: Page, name: str) -> None:
    """A full-page screenshot, after checking that the page does not scroll sideways."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{name} scrolls sideways on a 360 px phone ({width} px)"
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_report_follow_and_check_on_a_phone(server_url: str) -> None:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(
                locale="vi-VN", viewport={"width": PHONE_WIDTH, "height": PHONE_HEIGHT}
            )
            dialogs: list[str] = []

            def on_dialog(dialog: Dialog) -> None:
                dialogs.append(dialog.message)
                dialog.dismiss()

            page.on("dialog", on_dialog)

            page.goto(f"{server_url}/")
            assert "113" in page.inner_text(".emergency")
            assert "111" in page.inner_text(".emergency")
            shoot(page, "1-home")
            page.click("a.big.report")

            page.fill("#narrative", NARRATIVE)
            page.fill("#loss_amount", "nhiều lắm")
            page.fill("#indicators", "0987 654 321\nVCB 0123456789")
            page.check("input[name=anonymous]")
            page.click("button[type=submit]")
            # Refused for the amount: everything typed is still there, the script as text.
            assert page.input_value("#narrative") == NARRATIVE
            assert page.input_value("#loss_amount") == "nhiều lắm"
            assert page.is_checked("input[name=anonymous]")
            assert "Số không hợp lệ hoặc ngoài giới hạn." in page.inner_text("form")
            shoot(page, "2-report-error")
            page.fill("#loss_amount", "15.000.000")
            page.click("button[type=submit]")

            code = page.inner_text("#tracking-code").strip()
            secret = page.inner_text("#tracking-secret").strip()
            assert code.startswith("TL-")
            assert len(secret) >= 8
            shoot(page, "3-receipt")

            # This browser holds the report for a while: the follow page shows it at once.
            page.goto(f"{server_url}/follow")
            assert page.inner_text("#followed-code").strip() == code
            # Forgotten on this device, it takes the code and secret again.
            page.click("form[action='/report/receipt/forget'] button[type=submit]")
            page.fill("#code", code)
            page.fill("#secret", secret)
            page.click("button[type=submit]")
            assert page.inner_text("#report-status").strip() != ""
            assert code in page.inner_text("main")
            shoot(page, "4-follow")

            page.goto(f"{server_url}/check")
            page.fill("#value", "0987.654.321")
            page.click("button[type=submit]")
            assert page.get_attribute("#verdict", "data-state") == "reported"
            assert page.inner_text("#report-count").strip() == "1"
            shoot(page, "5-check")

            assert dialogs == [], "a script from the report ran in the browser"

            # A browser set to English gets English pages; the switch goes back to Vietnamese.
            english = browser.new_page(
                locale="en-US", viewport={"width": PHONE_WIDTH, "height": PHONE_HEIGHT}
            )
            english.goto(f"{server_url}/check?value=0987.654.321")
            assert english.get_attribute("html", "lang") == "en"
            assert english.get_attribute("#verdict", "data-state") == "reported"
            assert "Check" in english.inner_text("h1")
            english.click("a.lang")
            assert english.get_attribute("html", "lang") == "vi"
            english.goto(f"{server_url}/report")  # the choice is remembered
            assert english.get_attribute("html", "lang") == "vi"
        finally:
            browser.close()
