"""An administrator in a real browser: sent to sign in, signs in, adds a user, signs out.

Debian's Chromium through Playwright against `tipline serve` in a subprocess (a temporary data
folder, the admin made with `tipline users add`). Screenshots go to /tmp/tipline-shots/.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.browser import CHROMIUM, CHROMIUM_ARGS, SHOTS, needs_chromium
from tests.live_server import running_tipline

PASSWORD = "correct horse battery"

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_tipline(
        tmp_path_factory.mktemp("tipline-accounts"), [("an", "admin", PASSWORD)]
    ) as base:
        yield base


def test_admin_signs_in_adds_a_user_and_signs_out(server_url: str) -> None:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="vi-VN", viewport={"width": 1280, "height": 800})
            page.goto(f"{server_url}/?lang=en")  # remembered in a cookie
            page.goto(f"{server_url}/admin/users")
            assert page.url == f"{server_url}/login?next=%2Fadmin%2Fusers"
            page.fill("#username", "an")
            page.fill("#password", "not the password")
            page.click("button[type=submit]")
            assert page.inner_text("#login-error") == "Wrong username or password."
            page.screenshot(path=str(SHOTS / "accounts-1-login-refused.png"))
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            assert page.url == f"{server_url}/admin/users"
            assert page.inner_text(".ws-who") == "an (Administrator)"
            # The add-user form (each user's row has its own set-password form above it).
            page.fill("form.accounts-form input[name=username]", "minh")
            page.fill("form.accounts-form input[name=display_name]", "Trần Minh <b>")
            page.select_option("form.accounts-form select[name=role]", "supervisor")
            page.fill("form.accounts-form input[name=password]", "another long password")
            page.click("form.accounts-form button[type=submit]")
            assert "User added." in page.inner_text(".accounts-notice")
            assert "Trần Minh <b>" in page.inner_text("#users")
            page.screenshot(path=str(SHOTS / "accounts-2-users.png"), full_page=True)
            page.click(".ws-signout button")
            assert page.url.startswith(f"{server_url}/login")
            page.goto(f"{server_url}/admin/users")
            assert page.url.startswith(f"{server_url}/login?next=")
        finally:
            browser.close()
