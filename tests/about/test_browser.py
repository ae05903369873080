"""The citizen pages in Chromium, both languages, phone and desktop: who runs the site, an h1,
a skip link that works from the keyboard, the icon, nothing sideways, and axe-core's checks
(contrast of every badge and button included) without a violation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from tests.browser import (
    LOCALES,
    SCREENS,
    axe_violations,
    needs_chromium,
    scrolls_sideways,
)
from tests.live_server import running_tipline

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = needs_chromium
PAGES = (
    "/",
    "/about",
    "/privacy",
    "/report",
    "/report?child=1",
    "/check",
    "/follow",
    "/protect-my-photo",
    "/protect-my-photo/withdraw",
    "/lessons",
    "/lessons/sextortion",
    "/lessons/sextortion/result?answers=1-2-1",
)


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_tipline(tmp_path_factory.mktemp("about-browser")) as url:
        yield url


@pytest.mark.parametrize("screen", sorted(SCREENS))
@pytest.mark.parametrize("language", sorted(LOCALES))
def test_citizen_pages_pass_axe_and_fit_the_screen(
    browser: Browser, server_url: str, language: str, screen: str
) -> None:
    # axe is injected as a script, which the pages' Content-Security-Policy forbids.
    page = browser.new_page(locale=LOCALES[language], viewport=SCREENS[screen], bypass_csp=True)
    found: dict[str, object] = {}
    for path in PAGES:
        page.goto(f"{server_url}{path}")
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("h1").count() == 1, path
        assert not scrolls_sideways(page), path
        if violations := axe_violations(page):
            found[path] = violations
    page.close()
    assert found == {}, json.dumps(found, indent=1)


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


# What a finger taps on the citizen pages: the header's links, the emergency numbers, the help
# lines, the footer's links, every button and field (a checkbox is tapped through its label).
TAP_TARGETS = (
    ".top a, .emergency a, .helplines a, .foot-links a, button, .button, select, textarea, "
    "input:not([type=hidden]):not([type=checkbox]):not([type=radio]), label.check"
)


@pytest.mark.parametrize("language", sorted(LOCALES))
def test_everything_a_finger_taps_on_a_phone_is_44_px_tall(
    browser: Browser, server_url: str, language: str
) -> None:
    page = browser.new_page(locale=LOCALES[language], viewport=SCREENS["phone"])
    too_small: dict[str, list[str]] = {}
    for path in PAGES:
        page.goto(f"{server_url}{path}")
        small = page.eval_on_selector_all(
            TAP_TARGETS,
            """targets => targets.filter(t => t.offsetParent !== null)
                .filter(t => t.getBoundingClientRect().height < 44)
                .map(t => `${t.tagName.toLowerCase()}.${t.className} '${t.innerText.trim()}' `
                          + `${Math.round(t.getBoundingClientRect().height)} px`)""",
        )
        if small:
            too_small[path] = small
    page.close()
    assert too_small == {}, json.dumps(too_small, indent=1, ensure_ascii=False)
