"""A published alert in Chromium at 360 px, in Vietnamese and English: its page, the home page's
list and the check's banner fit the screen, every link and button in the page's body is a
44 px target, and axe-core finds no violation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests.browser import LOCALES, PHONE, SHOTS, axe_violations, needs_chromium, scrolls_sideways
from tests.live_server import running_tipline

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = needs_chromium
ROOT = Path(__file__).resolve().parents[2]
# Three reports of one fake-police ring, an alert drafted by an analyst and published by a
# supervisor; prints the alert's uid.
SETUP = """
from tipline.alerts.service import draft_alert, publish_alert, submit_alert
from tipline.intake.service import submit_report
from tipline.principals import Principal, Role
from tipline.reports.schemas import ReportCreate
from tipline.server.console import database

with database() as session:
    for k in range(3):
        text = f"Số 0987 654 321 gọi tôi, tự xưng công an, đòi chuyển vào STK 9988776655 ({k})."
        receipt = submit_report(session, ReportCreate(narrative=text), "api")
    from sqlalchemy import select
    from tipline.campaigns.models import Campaign
    uid = session.scalars(select(Campaign.uid)).one()
    analyst = Principal(1, "lan", Role.ANALYST, "session")
    alert = draft_alert(session, analyst, uid)
    submit_alert(session, analyst, alert.uid)
    publish_alert(session, Principal(2, "minh", Role.SUPERVISOR, "session"), alert.uid)
    print(alert.uid)
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    data_dir = tmp_path_factory.mktemp("tipline-alerts")
    env = os.environ | {"TIPLINE_DATA_DIR": str(data_dir), "TIPLINE_DATABASE_URL": ""}
    done = subprocess.run([sys.executable, "-c", SETUP], env=env, cwd=ROOT, check=True,
                          capture_output=True, text=True)  # fmt: skip
    uid = done.stdout.strip().splitlines()[-1]
    with running_tipline(data_dir) as base:
        yield base, uid


def small_targets(page: Page) -> list[str]:
    """The alerts' links and buttons (the alert page, the cards, the banner) less than 44 px
    tall: the other pages' own links are theirs to test."""
    found: list[str] = page.evaluate(
        """() => [...document.querySelectorAll(
                 '.alert-page a, .alert-cards a, .alert-banner a, .alert-back a, .alert-feed a, '
                 + '.alert-more')]
             .filter(e => e.getBoundingClientRect().height < 44)
             .map(e => e.outerHTML.slice(0, 80))"""
    )
    return found


@pytest.mark.parametrize("language", sorted(LOCALES))
def test_the_alert_reads_well_on_a_phone(
    browser: Browser, server: tuple[str, str], language: str
) -> None:
    base, uid = server
    page = browser.new_page(locale=LOCALES[language], viewport=PHONE, bypass_csp=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    found: dict[str, object] = {}
    for path in (f"/alerts/{uid}", "/", "/alerts", "/check?value=0987654321"):
        page.goto(f"{base}{path}{'&' if '?' in path else '?'}lang={language}")
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("h1").count() == 1, path
        assert not scrolls_sideways(page), path
        assert page.locator(f'a[href="/alerts/{uid}"]').count() + (path == f"/alerts/{uid}") > 0
        problems = {"axe": axe_violations(page), "small": small_targets(page)}
        if any(problems.values()):
            found[path] = problems
    page.goto(f"{base}/alerts/{uid}?lang={language}")
    assert "+84987654321" in page.locator("#alert-values").inner_text()
    page.screenshot(path=str(SHOTS / f"alert-{language}.png"), full_page=True)
    page.close()
    assert found == {}, json.dumps(found, indent=1)
