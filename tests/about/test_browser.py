"""The home page in Chromium, both languages: who runs the site, a skip link that works from the
keyboard, the privacy notice, the icon. axe-core, the h1, the screen's width and the 44 px
targets of every public page: tests/html/test_accessibility.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from tests.browser import (
    LOCALES,
    SCREENS,
    needs_chromium,
)
from tests.live_server import running_tipline

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_tipline(tmp_path_factory.mktemp("about-browser")) as url:
        yield url


@pytest.mark.parametrize("language", sorted(LOCALES))
def test_home_says_who_runs_it_and_the_skip_link_moves_focus(
    browser: Browser, server_url: str, language: str
) -> None:
    page = browser.new_page(locale=LOCALES[language], viewport=SCREENS["phone"])
    page.goto(f"{server_url}/")
    who = page.locator("section.who")
    expected = "chưa được cấu hình" if language == "vi" else "not yet configured"
    assert expected in who.inner_text()
    assert who.locator('a[href="tel:111"]').count() == 1
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.click('footer a[href="/privacy"]')
    assert page.locator("h1").count() == 1
    assert len(page.locator("main p").all()) >= 4
    icon = page.request.get(f"{server_url}/favicon.ico")
    assert icon.status == 200
    assert icon.body()[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    page.close()
