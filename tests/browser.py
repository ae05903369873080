"""What every browser test needs: Debian's Chromium through Playwright (never a downloaded
browser), the two screens we test at, and axe-core (the accessibility engine, from the npm
registry through `frontend/`, never served to users)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path("/tmp/tipline-shots")  # screenshots for a person to look at
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
SCREENS = {"phone": PHONE, "desktop": DESKTOP}
LOCALES = {"vi": "vi-VN", "en": "en-GB"}
AXE = Path(__file__).resolve().parents[1] / "frontend/node_modules/axe-core/axe.min.js"

needs_chromium = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


@contextmanager
def chromium() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def axe_violations(
    page: Page, rules: tuple[str, ...] = (), tags: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it stands (only `rules`, or only the rules of
    `tags`, when given), each with its id, impact and the elements at fault. The page must come
    from a context with `bypass_csp=True`: tipline's Content-Security-Policy refuses the
    injected script, as it should."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing at {AXE}: run `make setup` (scripts/build-assets.sh)")
    page.add_script_tag(path=str(AXE))
    only = (
        {"type": "rule", "values": list(rules)} if rules else {"type": "tag", "values": list(tags)}
    )
    options = json.dumps({"runOnly": only} if rules or tags else {})
    result = page.evaluate(f"async () => (await axe.run(document, {options})).violations")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
            "help": v["help"],
        }
        for v in result
    ]


def scrolls_sideways(page: Page) -> bool:
    """True when the page is wider than the screen (a phone would scroll it sideways)."""
    return bool(page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1"))
