"""The issue's whole flow in Debian's Chromium, against the real server (uvicorn on 127.0.0.1,
a temporary SQLite data folder): an analyst asks a bank to freeze two accounts of a campaign;
the bank's user signs in, sees only that request, and answers with an amount; the victim's
follow page shows the outcome; a second bank sees nothing of it. The pages are axe-clean and
usable at 360 px."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from tests.browser import PHONE, SHOTS, axe_violations, chromium, needs_chromium, scrolls_sideways
from tests.live_server import running_tipline

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PASSWORD = "correct horse battery staple"
STORIES = (
    "Người gọi từ số 0981 234 567 tự xưng nhân viên ngân hàng bảo tôi chuyển 15.000.000đ vào "
    "STK 0123456789 Vietcombank và 9988776655 Vietcombank.",
    "Số 0981 234 567 gọi, bảo tôi chuyển 8.000.000đ vào STK 0123456789 Vietcombank.",
)

pytestmark = needs_chromium


# The banks and their users, made in one process (a `tipline` command a step would start
# Python six times over).
SETUP = """
import sys
from tipline.accounts.service import create_user
from tipline.orgrequests.organisations import set_answers_for
from tipline.partners.service import add_organisation
from tipline.server.console import database

password = sys.stdin.readline().strip()
with database() as session:
    for bank, code, user in (("Vietcombank", "VCB", "vcb"), ("Techcombank", "TCB", "tcb")):
        add_organisation(session, "cli:test", bank, "bank")
        set_answers_for(session, "cli:test", bank, bank_code=code)
        create_user(session, "cli:test", user, "platform", password, organisation=bank)
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("tipline-requests")
    env = os.environ | {"TIPLINE_DATA_DIR": str(data_dir), "TIPLINE_DATABASE_URL": ""}
    subprocess.run([sys.executable, "-c", SETUP], env=env, input=f"{PASSWORD}\n".encode(),
                   check=True, capture_output=True)  # fmt: skip
    with running_tipline(data_dir, [("lan", "analyst", PASSWORD)]) as base:
        yield base


def file_report(base: str, narrative: str) -> tuple[str, str]:
    body = json.dumps({"narrative": narrative}).encode()
    request = urllib.request.Request(
        f"{base}/api/v1/reports", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (loopback)
        receipt = json.load(answer)
        return receipt["code"], receipt["secret"]


def signed_in(browser: Browser, base: str, user: str, next_path: str) -> Page:
    page = browser.new_context(locale="vi-VN", viewport=PHONE, bypass_csp=True).new_page()
    page.goto(f"{base}/login?next={next_path}")
    page.fill("#username", user)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{next_path}")
    return page


def checked(page: Page, name: str) -> None:
    """Usable on a phone and axe-clean; a screenshot for a person to look at."""
    assert not scrolls_sideways(page), name
    assert axe_violations(page) == [], name
    page.screenshot(path=str(SHOTS / f"requests-{name}.png"), full_page=True)


def test_a_bank_is_asked_to_freeze_two_accounts_and_answers(server: str) -> None:
    base = server
    victim = file_report(base, STORIES[0])
    file_report(base, STORIES[1])
    SHOTS.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        analyst = signed_in(browser, base, "lan", "/campaigns")
        analyst.locator("#campaigns a").first.click()
        analyst.click("a.campaigns-ask")
        vcb = analyst.locator("section.requests-group", has_text="Vietcombank")
        assert vcb.locator("input[name=indicator_ids]:checked").count() == 2
        checked(analyst, "ask")
        vcb.locator("button[type=submit]").click()
        analyst.wait_for_url(f"{base}/requests/YC-*")
        reference = analyst.url.rsplit("/", 1)[1]
        analyst.click("#send")
        assert analyst.inner_text("#request-status").startswith("Đã gửi")
        checked(analyst, "sent")

        bank = signed_in(browser, base, "vcb", "/requests")
        assert bank.locator("#request-list tbody a").all_inner_texts() == [reference]
        checked(bank, "bank-list")
        bank.click(f"text={reference}")
        bank.select_option("#outcome", "done")
        bank.fill("#amount_frozen", "20.000.000")
        bank.fill("#org_reference", "VCB-2026-77")
        checked(bank, "bank-answer")
        bank.click("#answer-form button[type=submit]")
        assert bank.inner_text("#request-status").startswith("Đã trả lời")
        assert "20.000.000" in bank.inner_text("#request-frozen")

        other = signed_in(browser, base, "tcb", "/requests")
        assert other.locator("#request-list tbody a").count() == 0
        assert other.goto(f"{base}/requests/{reference}").status == 404  # type: ignore[union-attr]

        follow = browser.new_context(locale="vi-VN", viewport=PHONE, bypass_csp=True).new_page()
        follow.goto(f"{base}/follow")
        follow.fill("#code", victim[0])
        follow.fill("#secret", victim[1])
        follow.click("form[action='/follow'] button[type=submit]")
        said = follow.inner_text("#requests")
        assert "Chúng tôi đã yêu cầu Vietcombank phong toả tài khoản" in said
        assert "Tổ chức đã thực hiện." in said
        checked(follow, "follow")
