"""An analyst's morning, in Debian's Chromium: she signs in, takes the most urgent report from the
queue, confirms its scam number, moves it to review, merges it into a new case, and opens the
campaign graph that links it to the other victims' reports.

The real server runs in a subprocess on 127.0.0.1 with a temporary data folder (as in
tests/web/test_browser.py); citizens' reports come in through the public API.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from tests.browser import CHROMIUM, CHROMIUM_ARGS, SHOTS, needs_chromium
from tests.campaigns.test_browser import file_report
from tests.live_server import running_tipline

if TYPE_CHECKING:
    from playwright.sync_api import Dialog, Page

USERNAME, PASSWORD = "mai", "a long passphrase for the morning shift"
SCAM_PHONE = "+84987654321"
REPORTS = (
    "Có người gọi từ số 0987 654 321 tự xưng công an, bảo tôi chuyển 20.000.000 đồng.",
    "Số 0987.654.321 gọi mẹ tôi tự xưng nhân viên ngân hàng, bảo chuyển tiền vào tài khoản an "
    "toàn <b>ngay</b>.",
    # The child at risk: this one must come first in the queue.
    "Con gái tôi 13 tuổi bị người dùng số 0987654321 trên Zalo dụ gửi ảnh nhạy cảm và đe dọa "
    "tung ảnh. <script>alert('xss')</script>",
)

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_tipline(
        tmp_path_factory.mktemp("tipline-workspace"), [(USERNAME, "analyst", PASSWORD)]
    ) as base:
        yield base


def sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/queue")  # not signed in: sent to the login page, then back
    page.wait_for_url(f"{base}/login?next=%2Fqueue")
    page.fill("#username", USERNAME)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/queue")


def work_the_top_report(page: Page, child_code: str) -> None:
    first = page.locator("#queue tbody tr").first
    assert child_code in first.inner_text()
    first.locator(f"a:has-text('{child_code}')").click()
    page.wait_for_selector("#narrative")
    assert "<script>alert('xss')</script>" in page.inner_text("#narrative")  # shown, not run
    row = page.locator("#indicators tr", has_text=SCAM_PHONE)
    row.locator("input[value=confirmed] + button").click()
    page.wait_for_selector("#indicators code.review-confirmed")
    page.select_option("#status select[name=status]", "in_review")
    page.click("#status button[type=submit]")
    page.wait_for_selector("#report-status")
    assert page.inner_text("#report-status").strip() in ("Đang xem xét", "In review")


def merge_into_a_new_case(page: Page) -> str:
    report_url = page.url
    page.click("#cases a[href^='/cases/add?report=']")
    page.fill("form[action='/cases'] input[name=title]", "Nhóm lừa đảo số 0987 654 321")
    page.click("form[action='/cases'] button[type=submit]")
    page.wait_for_selector("#case-reports")
    case_url = page.url
    assert page.locator("#case-reports a[href^='/reports/']").count() == 1
    page.goto(report_url)
    assert page.locator("#cases li a[href^='/cases/']").count() == 1
    return case_url


def test_an_analyst_works_a_report_from_queue_to_case_and_campaign(server_url: str) -> None:
    from playwright.sync_api import sync_playwright

    codes = [file_report(server_url, narrative) for narrative in REPORTS]
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="vi-VN", viewport={"width": 1280, "height": 900})
            dialogs: list[str] = []

            def on_dialog(dialog: Dialog) -> None:
                dialogs.append(dialog.message)
                dialog.dismiss()

            page.on("dialog", on_dialog)
            sign_in(page, server_url)
            page.screenshot(path=str(SHOTS / "workspace-queue.png"), full_page=True)
            work_the_top_report(page, codes[2])
            merge_into_a_new_case(page)
            page.screenshot(path=str(SHOTS / "workspace-report.png"), full_page=True)

            page.click("a[href^='/campaigns/']")
            page.wait_for_selector("#campaign-graph[data-state=ready]", timeout=30_000)
            assert page.inner_text("#campaign-reports").strip() == "3"
            drawn_nodes = page.evaluate("tiplineGraph.nodes")
            assert drawn_nodes >= 4  # three reports and the phone they share
            page.screenshot(path=str(SHOTS / "workspace-campaign.png"), full_page=True)
            assert dialogs == [], "a script from a report ran in the browser"
        finally:
            browser.close()
