"""An analyst merges a campaign into a new case, attaches a screenshot, and downloads it back.

Drives Debian's Chromium through Playwright against the real server (uvicorn in a subprocess on
127.0.0.1, a temporary data folder), as tests/campaigns/test_browser.py does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests.browser import CHROMIUM, CHROMIUM_ARGS, SHOTS, needs_chromium
from tests.campaigns.test_browser import file_report
from tests.live_server import running_tipline

from tipline.evidence.store import EvidenceStore

if TYPE_CHECKING:
    from playwright.sync_api import Dialog, Page, Response

USERNAME, PASSWORD = "lan", "correct horse battery staple"
NARRATIVE = "Sàn đầu tư giả, tư vấn viên gọi từ số 0987 654 321, tôi mất {n}.000.000 đồng."
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    data_dir = tmp_path_factory.mktemp("tipline-cases")
    with running_tipline(data_dir, [(USERNAME, "analyst", PASSWORD)]) as base:
        yield base, data_dir


def sign_in(page: Page, base: str, next_path: str) -> None:
    page.goto(f"{base}/login?next={next_path}")
    page.fill("#username", USERNAME)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{next_path}")


def test_analyst_merges_a_campaign_into_a_case_and_attaches_evidence(
    server: tuple[str, Path], tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    base, data_dir = server
    codes = sorted(file_report(base, NARRATIVE.format(n=n)) for n in (7, 40))
    shot = tmp_path / "zalo <chat>.png"
    shot.write_bytes(PNG)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="vi-VN", viewport={"width": 1280, "height": 900})
            dialogs: list[str] = []
            problems: list[str] = []

            def on_dialog(dialog: Dialog) -> None:
                dialogs.append(dialog.message)
                dialog.dismiss()

            def on_response(response: Response) -> None:
                if response.status >= 400 and not response.url.endswith("/favicon.ico"):
                    problems.append(f"{response.status} {response.url}")

            page.on("dialog", on_dialog)
            page.on("response", on_response)
            sign_in(page, base, "/campaigns")
            page.locator("#campaigns a").first.click()
            page.click("a.campaigns-action")  # "Open a case": merge into a case
            page.wait_for_url(f"{base}/cases/add?campaign=*")
            page.fill("input[name=title]", "Sàn <b>giả</b> 0987")
            page.click("form.cases-form button[type=submit]")
            page.wait_for_url(f"{base}/cases/*")
            assert page.inner_text("#case-title") == "Sàn <b>giả</b> 0987"
            shown = page.inner_text("body")
            assert all(code in shown for code in codes)
            # A report added by its tracking code, as typed: back on the case page, told so.
            page.fill("#add-report input[name=code]", codes[0].lower().replace("-", " "))
            with page.expect_navigation():
                page.click("#add-report button[type=submit]")
            assert page.inner_text("#case-notice") == "Đã thêm tin báo vào hồ sơ."
            assert page.locator("#case-reports a").first.inner_text() == codes[0]
            page.set_input_files("input[type=file]", str(shot))
            with page.expect_navigation():
                page.click("form[enctype='multipart/form-data'] button[type=submit]")
            assert page.locator("#case-evidence a").first.inner_text() == "zalo chat.png"
            with page.expect_download() as waiting:
                page.click("#case-evidence td:last-child a")
            download = waiting.value
            assert Path(download.path()).read_bytes() == PNG
            page.screenshot(path=str(SHOTS / "case.png"), full_page=True)
        finally:
            browser.close()
    digest = hashlib.sha256(PNG).hexdigest()
    stored = data_dir / "evidence/sha256" / digest[:2] / digest[2:4] / digest
    assert stored.is_file()
    assert PNG not in stored.read_bytes()  # kept encrypted at rest
    assert EvidenceStore(data_dir).read_verified(digest) == PNG
    assert dialogs == []
    assert problems == [], problems
