"""In Chromium: the evidence page of an image loads no image until the analyst asks; then the
image shows (under the page's Content-Security-Policy), and nothing fails on the way.

Drives Debian's Chromium through Playwright against the real server (uvicorn in a subprocess),
as tests/cases/test_browser.py does.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest
from PIL import Image
from tests.browser import CHROMIUM, CHROMIUM_ARGS, SHOTS, needs_chromium
from tests.live_server import running_tipline

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request, Response

USERNAME, PASSWORD = "lan", "correct horse battery staple"

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("tipline-evidence")
    with running_tipline(data_dir, [(USERNAME, "analyst", PASSWORD)]) as base:
        yield base


def sign_in(page: Page, base: str, next_path: str) -> None:
    page.goto(f"{base}/login?next={next_path}")
    page.fill("#username", USERNAME)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{next_path}")


def test_an_image_loads_only_once_the_analyst_asks(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    pixels = np.random.default_rng(5).integers(0, 256, (24, 32, 3), dtype=np.uint8)
    photo = tmp_path / "anh.png"
    Image.fromarray(pixels).resize((320, 240)).save(photo, "PNG")
    previews: list[str] = []
    problems: list[str] = []

    def on_request(request: Request) -> None:
        if "/preview" in request.url:
            previews.append(request.url)

    def on_response(response: Response) -> None:
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            problems.append(f"{response.status} {response.url}")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="en-GB", viewport={"width": 1280, "height": 900})
            page.on("request", on_request)
            page.on("response", on_response)
            sign_in(page, server, "/cases/new")
            page.fill("input[name=title]", "Ảnh")
            page.click("form.cases-form button[type=submit]")
            page.wait_for_url(f"{server}/cases/*")
            page.set_input_files("input[type=file]", str(photo))
            with page.expect_navigation():
                page.click("form[enctype='multipart/form-data'] button[type=submit]")
            with page.expect_navigation():
                page.locator("#case-evidence a").first.click()
            assert page.locator("img").count() == 0
            assert page.locator("#reveal").is_visible()
            assert previews == []
            with page.expect_navigation():
                page.click("#reveal")
            image = page.locator("img.evidence-revealed")
            image.wait_for()
            page.wait_for_function("document.querySelector('img.evidence-revealed').complete")
            assert image.evaluate("img => img.naturalWidth") == 320
            assert len(previews) == 1
            assert "Image shown on request" in page.inner_text("#evidence-custody")
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "evidence-revealed.png"), full_page=True)
        finally:
            browser.close()
    assert problems == [], problems
