"""An analyst signs in and sees the dashboard's charts drawn by Chart.js.

Drives Debian's Chromium through Playwright against the real server (uvicorn in a subprocess on
127.0.0.1, a temporary data folder), as tests/web/test_browser.py does. The analyst is created
with `tipline users add` and signs in through /login; citizens file reports through the public
API, two of them naming one phone (a new campaign), one with a province that is a script.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from tests.browser import CHROMIUM, CHROMIUM_ARGS, SHOTS, needs_chromium
from tests.live_server import running_tipline

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Dialog, Response

USERNAME, PASSWORD = "mai", "correct horse battery staple"
CHARTS = (
    "per_day", "per_category", "losses_by_category", "urgency", "provinces", "indicators",
    "new_campaigns",
)  # fmt: skip
NARRATIVE = "Có người gọi từ số 0987 654 321 tự xưng công an, bảo tôi chuyển {n}.000.000 đồng."
ATTACK = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"

pytestmark = needs_chromium


def file_report(base: str, **fields: Any) -> None:
    body = json.dumps(fields).encode()
    request = urllib.request.Request(
        f"{base}/api/v1/reports", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (loopback)
        assert answer.status in (200, 201)


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_tipline(
        tmp_path_factory.mktemp("tipline-dashboard"), [(USERNAME, "analyst", PASSWORD)]
    ) as base:
        yield base


def test_analyst_sees_every_chart_drawn(server_url: str) -> None:
    from playwright.sync_api import sync_playwright

    for n in (5, 12):
        file_report(server_url, narrative=NARRATIVE.format(n=n), loss_amount=f"{n}000000",
                    loss_currency="VND", province="Hà Nội")  # fmt: skip
    file_report(server_url, narrative="Tôi bị lừa mua hàng online, mất 300.000đ.", province=ATTACK)
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

            page.goto(f"{server_url}/login?next=/dashboard%3Fdays%3D7")
            page.fill("#username", USERNAME)
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{server_url}/dashboard?days=7")
            page.wait_for_selector("#dashboard-state[data-state=ready]", timeout=30_000)

            drawn = page.evaluate("Object.keys(window.tiplineCharts).sort()")
            assert drawn == sorted(CHARTS)
            assert page.evaluate("Object.keys(Chart.instances).length") == len(CHARTS)
            for name in CHARTS:
                box = page.locator(f"#chart-{name}").bounding_box()
                assert box is not None
                assert box["width"] > 0
                assert box["height"] > 0
                assert page.evaluate(f"tiplineCharts['{name}'].canvas.width") > 0
            per_day = page.evaluate("tiplineCharts.per_day.data.datasets[0].data")
            assert len(per_day) == 7
            assert sum(per_day) == 3
            assert page.evaluate("tiplineCharts.new_campaigns.data.datasets[0].data").count(1) == 1
            assert ATTACK in page.evaluate("tiplineCharts.provinces.data.labels")

            page.click("#figure-provinces summary")
            assert ATTACK in page.inner_text("#table-provinces")
            page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)

            with page.expect_download() as download:
                page.click("#figure-per_category a.dashboard-csv")
            assert download.value.suggested_filename.startswith("tipline-per_category-")

            assert dialogs == [], "a value typed by a reporter ran as a script"
            assert problems == [], problems  # no CSP violation, no script error
        finally:
            browser.close()
