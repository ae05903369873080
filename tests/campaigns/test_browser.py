"""An analyst signs in, opens a campaign and sees its graph drawn by Cytoscape.js.

Drives Debian's Chromium through Playwright against the real server (uvicorn in a subprocess on
127.0.0.1, a temporary data folder), as tests/web/test_browser.py does. Three citizens file
reports naming one phone through the public API; linking puts them in one campaign as they
arrive, with no rebuild.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from tests.browser import CHROMIUM, CHROMIUM_ARGS, SHOTS, needs_chromium
from tests.live_server import running_tipline

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Dialog, Response

USERNAME, PASSWORD = "lan", "correct horse battery staple"
NARRATIVE = (
    "Có người gọi từ số 0987 654 321 tự xưng nhân viên ngân hàng, bảo tôi chuyển {n}.000.000 "
    "đồng. <script>alert('xss')</script>"
)

pytestmark = needs_chromium


def file_report(base: str, narrative: str) -> str:
    body = json.dumps({"narrative": narrative}).encode()
    request = urllib.request.Request(
        f"{base}/api/v1/reports", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (loopback)
        code: str = json.load(answer)["code"]
        return code


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_tipline(
        tmp_path_factory.mktemp("tipline-campaigns"), [(USERNAME, "analyst", PASSWORD)]
    ) as base:
        yield base


def test_analyst_sees_the_campaign_graph(server_url: str) -> None:
    from playwright.sync_api import sync_playwright

    codes = [file_report(server_url, NARRATIVE.format(n=n)) for n in (5, 12, 30)]
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

            def on_console(message: ConsoleMessage) -> None:
                if message.type == "error" and "Failed to load resource" not in message.text:
                    problems.append(message.text)

            def on_response(response: Response) -> None:
                if response.status >= 400 and not response.url.endswith("/favicon.ico"):
                    problems.append(f"{response.status} {response.url}")

            page.on("dialog", on_dialog)
            page.on("console", on_console)
            page.on("response", on_response)

            page.goto(f"{server_url}/login?next=/campaigns")
            page.fill("#username", USERNAME)
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{server_url}/campaigns")
            links = page.locator("#campaigns a")
            assert links.count() == 1
            links.first.click()

            page.wait_for_selector("#campaign-graph[data-state=ready]", timeout=30_000)
            assert page.inner_text("#campaign-reports").strip() == "3"
            graph = page.evaluate(
                "fetch('/api/v1/campaigns/' + document.getElementById('campaign-graph')"
                ".dataset.campaignId + '/graph').then(r => r.json())"
            )
            reports = sorted(n["label"] for n in graph["nodes"] if n["kind"] == "report")
            assert reports == sorted(codes)
            expected = len(graph["nodes"])
            assert expected > 3  # the reports and at least the phone they share
            drawn = page.evaluate("[tiplineGraph.nodes, tiplineGraph.edges]")
            assert drawn == [expected, len(graph["edges"])]
            assert page.get_attribute("#campaign-graph", "data-nodes") == str(expected)
            page.screenshot(path=str(SHOTS / "campaign-graph.png"), full_page=True)

            assert dialogs == [], "a script from a report ran in the browser"
            assert problems == [], problems  # no CSP violation, no script error
        finally:
            browser.close()


def test_the_graphs_legend_keeps_each_swatch_beside_its_words_on_a_phone(server_url: str) -> None:
    from playwright.sync_api import sync_playwright

    for n in (7, 8):
        file_report(server_url, NARRATIVE.format(n=n))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="vi-VN", viewport={"width": 360, "height": 740})
            page.goto(f"{server_url}/login?next=/campaigns")
            page.fill("#username", USERNAME)
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{server_url}/campaigns")
            page.locator("#campaigns a").first.click()
            items = page.locator(".campaigns-legend li")
            assert items.count() == 4
            for item in items.all():
                swatch = item.locator(".campaigns-key").bounding_box()
                box = item.bounding_box()
                assert swatch is not None
                assert box is not None
                # the swatch sits on its words' first line, not at the end of the line above
                assert swatch["y"] - box["y"] < swatch["height"], item.inner_text()
                assert swatch["x"] - box["x"] < swatch["height"], item.inner_text()
                assert item.inner_text().strip() != ""
        finally:
            browser.close()
