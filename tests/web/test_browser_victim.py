"""The victim who reports, in Debian's Chromium, on a 360 px phone and a 1280 px desk, in
Vietnamese and English: she has just paid a scammer, files her report with the transfer and a
screenshot, reads "call your bank now" first with her bank's number to tap, reloads the receipt
(no second report), keeps her codes (download), and adds the transfer slip on the follow page,
which lands in the evidence store with custody. Then the same with JavaScript off.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests.browser import LOCALES, SCREENS, needs_chromium, scrolls_sideways
from tests.live_server import running_tipline

from tipline.db_types import data_keys

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

SHOTS = Path("/tmp/tipline-shots/victim")
NARRATIVE = {
    "vi": "Kẻ giả danh công an gọi từ số 0912 345 678, bắt tôi chuyển 15.000.000 đồng vào "
    "tài khoản để 'xác minh'. Tôi đã chuyển rồi.",
    "en": "A man calling from 0912 345 678 said he was the police and made me transfer "
    "15,000,000 dong to an account to 'verify' it. I have already paid.",
}
FREEZE = {"vi": "Gọi ngay Vietcombank theo số", "en": "Call Vietcombank now on"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 300
SLIP = b"%PDF-1.4\n" + b"transfer slip " * 40

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tipline-victim")


@pytest.fixture(scope="module")
def server_url(data_dir: Path) -> Iterator[str]:
    with running_tipline(data_dir) as base:
        yield base


def database(data_dir: Path) -> sqlite3.Connection:
    return sqlite3.connect(data_dir / "tipline.db")


def reports_of(data_dir: Path, code: str) -> int:
    with database(data_dir) as db:
        return int(db.execute("SELECT count(*) FROM report WHERE code = ?", (code,)).fetchone()[0])


def report_count(data_dir: Path) -> int:
    with database(data_dir) as db:
        return int(db.execute("SELECT count(*) FROM report").fetchone()[0])


def files_of(data_dir: Path, code: str) -> list[tuple[str, str]]:
    """(file name, custody actor of its receipt) of the report's evidence."""
    with database(data_dir) as db:
        rows = db.execute(
            "SELECT DISTINCT a.file_name, c.actor FROM evidence_attachment a "
            "JOIN report r ON r.id = a.report_id "
            "JOIN evidence_custody c ON c.evidence_id = a.evidence_id AND c.action = 'received' "
            "WHERE r.code = ?",
            (code,),
        )
        keys = data_keys()  # file names are kept encrypted at rest
        return sorted(
            (keys.open(name, "evidence_attachment.file_name"), actor) for name, actor in rows
        )


def shoot(page: Page, name: str) -> None:
    assert not scrolls_sideways(page), f"{name} scrolls sideways"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def file_paid_report(page: Page, base: str, language: str, tmp: Path) -> None:
    page.goto(f"{base}/report")
    page.fill("#narrative", NARRATIVE[language])
    page.fill("#loss_amount", "15.000.000")
    page.fill("#paid_on", "2026-12-06")
    page.fill("#paid_amount", "15.000.000")
    page.select_option("#from_bank", "VCB")
    page.fill("#to_account", "0451 000 123 999")
    page.select_option("#to_bank", "MB")
    screenshot = tmp / "chat.png"
    screenshot.write_bytes(PNG)
    page.set_input_files("#files", [str(screenshot)])
    page.click("form[action='/report'] button[type=submit]")
    page.wait_for_url(f"{base}/report/receipt")


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_a_paid_victim_reports_keeps_her_codes_and_adds_a_slip(
    browser: Browser, server_url: str, data_dir: Path, tmp_path: Path, screen: str, language: str
) -> None:
    context = browser.new_context(
        locale=LOCALES[language], viewport=SCREENS[screen], accept_downloads=True
    )
    page = context.new_page()
    try:
        before = report_count(data_dir)
        file_paid_report(page, server_url, language, tmp_path)
        name = f"{screen}-{language}"

        # The call to her bank comes first, above the codes, and its number can be tapped.
        first = page.locator("main .advice-section.urgent").first
        assert FREEZE[language] in first.inner_text()
        assert first.locator("a[href='tel:1900545413']").count() == 1
        assert page.evaluate(
            "document.querySelector('.advice-section.urgent').compareDocumentPosition("
            "document.querySelector('#tracking-code')) & Node.DOCUMENT_POSITION_FOLLOWING"
        )
        code = page.inner_text("#tracking-code").strip()
        secret = page.inner_text("#tracking-secret").strip()
        assert page.is_visible("button[data-copy='tracking-secret']")  # the script showed it
        assert page.is_visible("#print-receipt")
        shoot(page, f"{name}-1-receipt")

        # A reload reads the same report again: nothing is filed twice.
        page.reload()
        assert page.inner_text("#tracking-code").strip() == code
        assert reports_of(data_dir, code) == 1
        assert report_count(data_dir) == before + 1

        # The download holds her code and secret.
        with page.expect_download() as waiting:
            page.click("#download-receipt")
        kept = Path(waiting.value.path()).read_text("utf-8")
        assert code in kept
        assert secret in kept

        # The follow page explains the status and takes the transfer slip.
        page.goto(f"{server_url}/follow")
        assert page.inner_text("#followed-code").strip() == code
        assert page.inner_text("#status-explained").strip()
        slip = tmp_path / "slip.pdf"
        slip.write_bytes(SLIP)
        page.fill("#more", "Biên lai chuyển khoản" if language == "vi" else "The transfer slip")
        page.set_input_files("#files", [str(slip)])
        page.click("form[action='/follow/add'] button[type=submit]")
        page.wait_for_selector("#added")
        shoot(page, f"{name}-2-follow")
        assert files_of(data_dir, code) == [("chat.png", "reporter"), ("slip.pdf", "reporter")]
    finally:
        context.close()


def test_without_javascript_everything_still_works(
    browser: Browser, server_url: str, data_dir: Path, tmp_path: Path
) -> None:
    context = browser.new_context(
        locale=LOCALES["vi"], viewport=SCREENS["phone"], java_script_enabled=False,
        accept_downloads=True,
    )  # fmt: skip
    page = context.new_page()
    try:
        file_paid_report(page, server_url, "vi", tmp_path)
        code = page.inner_text("#tracking-code").strip()
        assert not page.is_visible("button[data-copy='tracking-secret']")  # no script: hidden
        assert page.is_visible("#download-receipt")
        with page.expect_download() as waiting:
            page.click("#download-receipt")
        assert code in Path(waiting.value.path()).read_text("utf-8")
        page.goto(f"{server_url}/follow")
        page.fill("#more", "Thêm một số điện thoại: 0933 444 555")
        page.click("form[action='/follow/add'] button[type=submit]")
        page.wait_for_selector("#added")
        shoot(page, "nojs-follow")
    finally:
        context.close()
