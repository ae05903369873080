"""Every public page in Chromium meets WCAG 2.1 AA by axe-core, at 360 px and at desktop width,
in Vietnamese and English; none scrolls sideways on the phone, each has one h1 and its lang, and
a finger's targets are 44 px tall. The pages come from the app's own routes
(`tests/public_pages.py`), their path parameters from seeded objects (a report the browser
holds, a child's report, links the public pages show), plus the states a citizen meets at an
address (a check's answers, a failed submit, an unknown address). The forms that claim to work
without JavaScript are used with it switched off. What is checked: docs/accessibility.md."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from tests.browser import LOCALES, SCREENS, axe_violations, needs_chromium, scrolls_sideways
from tests.live_server import running_tipline
from tests.principals import staff
from tests.public_pages import PublicRoute, public_routes

from tipline.app import create_app
from tipline.reports.core import CODE_PATTERN
from tipline.settings import Settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = needs_chromium
# What axe-core checks: WCAG 2.0 and 2.1, levels A and AA, and its best practices.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")
REPORTED, NOT_REPORTED, ALLOWLISTED = "0912345678", "0909000111", "facebook.com"
ADULT = (
    "Có người gọi từ số 0912 345 678 tự xưng công an, bảo tôi chuyển 20.000.000 đồng vào tài "
    "khoản 0451000123999 Vietcombank. Tôi đã chuyển hôm nay."
)
RING = tuple(
    f"Số 0912 345 678 gọi tôi, tự xưng công an, đòi chuyển tiền vào STK 0451000123999 "
    f"Vietcombank để xác minh (lần {k})."
    for k in range(2)
)
ANALYST, SUPERVISOR = staff("analyst:lan", 2), staff("supervisor:minh", 3)
CHILD = "Một người trên Instagram @hoang.anh.2k9 đòi em gửi thêm ảnh, nếu không sẽ tung ảnh của em."
# The states a citizen meets at an address besides the bare one: a check's answers, an empty
# check, the child's form, a lesson's audience.
STATES = {
    "/check": (
        f"/check?value={REPORTED}",
        f"/check?value={NOT_REPORTED}",
        f"/check?value={ALLOWLISTED}",
        "/check?value=",
    ),
    "/report": ("/report?child=1",),
    "/lessons": ("/lessons?audience=older_people",),
}
# Pages read again while the browser holds a report's codes: the adult who paid, then the child.
HELD = ("/report/receipt", "/follow", "/follow?added=1")
UNKNOWN = "/no-such-page"  # the citizen's error page
TAP_TARGETS = (
    ".top a, .emergency a, .helplines a, .foot-links a, button, .button, select, textarea, "
    "input:not([type=hidden]):not([type=checkbox]):not([type=radio]), label.check"
)


@dataclass
class Seeded:
    base: str
    holders: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # cookies by name
    pages: list[str] = field(default_factory=list)


def _post_json(base: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{base}{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 (loopback)
        result: dict[str, Any] = json.load(answer)
        return result


def _get_json(base: str, path: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{base}{path}", timeout=60) as answer:  # noqa: S310 (loopback)
        result: dict[str, Any] = json.load(answer)
        return result


def _route_pattern(route: PublicRoute) -> re.Pattern[str]:
    parts = [re.escape(p) if not p.startswith("{") else "[^/?#]+" for p in route.path.split("/")]
    return re.compile("^" + "/".join(parts) + "$")


def _follow_without_script(browser: Browser, base: str, code: str, secret: str) -> Any:
    """Follows a report by its code and secret with JavaScript off; the cookies that hold it."""
    context = browser.new_context(java_script_enabled=False, locale=LOCALES["en"])
    page = context.new_page()
    page.goto(f"{base}/follow")
    page.fill("#code", code)
    page.fill("#secret", secret)
    with page.expect_navigation():  # the answer to the POST, not the form it was sent from
        page.click("form button[type=submit]")
    assert page.url == f"{base}/follow"
    assert page.locator("#report-status").count() == 1, page.content()[:2000]
    cookies = context.cookies()
    context.close()
    return cookies


def _answer_a_quiz(page: Page, base: str, found: dict[str, str]) -> str:
    """A lesson's quiz answered (each question's first choice) with JavaScript off: the address
    of its feedback, where the post redirects."""
    page.goto(f"{base}{found['/lessons/{slug}']}")
    for question in page.locator("form.quiz fieldset").all():
        question.locator("input[type=radio]").first.check()
    page.click("form.quiz button[type=submit]")
    address = page.url.removeprefix(base)
    assert address.startswith(found["/lessons/{slug}"] + "/result?answers="), address
    return address


# How to reach a public page with path parameters that no public page links, from those found.
FILLERS: dict[str, Callable[[Page, str, dict[str, str]], str]] = {
    "/lessons/{slug}/result": _answer_a_quiz,
}


def _parametrized_pages(browser: Browser, base: str, routes: list[PublicRoute]) -> list[str]:
    """For each route with path parameters, the first address of it that a public page links,
    or that its filler reaches (with JavaScript off: the forms must work without it)."""
    wanted = {route.path: _route_pattern(route) for route in routes if route.parameters}
    found: dict[str, str] = {}
    context = browser.new_context(locale=LOCALES["en"], java_script_enabled=False)
    page = context.new_page()
    for route in routes:
        if route.parameters:
            continue
        page.goto(f"{base}{route.path}")
        hrefs = page.eval_on_selector_all("a[href^='/']", "links => links.map(a => a.pathname)")
        for path, pattern in wanted.items():
            if path not in found and (linked := [h for h in hrefs if pattern.match(h)]):
                found[path] = linked[0]
    for path, fill in FILLERS.items():
        if path in wanted and path not in found:
            found[path] = fill(page, base, found)
    context.close()
    unfilled = sorted(set(wanted) - set(found))
    assert not unfilled, f"public pages no public page links (seed one, or a filler): {unfilled}"
    return sorted(found.values())


def _publish_an_alert(data_dir: Path, code: str) -> None:
    """An alert of the campaign of the report `code`, drafted by an analyst and published by a
    supervisor, in the running server's database."""
    from sqlalchemy import select

    from tipline.alerts.service import draft_alert, publish_alert, submit_alert
    from tipline.campaigns import repository as campaigns
    from tipline.db import make_engine, make_session_factory
    from tipline.reports.models import Report

    engine = make_engine(Settings(data_dir=data_dir).sqlalchemy_url)
    with make_session_factory(engine)() as session:  # each service commits its step
        report_id = session.scalar(select(Report.id).where(Report.code == code))
        assert report_id is not None
        label = campaigns.campaign_of(session, report_id)
        assert label is not None
        alert = draft_alert(session, ANALYST, campaigns.uids_of(session, [label])[label])
        submit_alert(session, ANALYST, alert.uid)
        publish_alert(session, SUPERVISOR, alert.uid)
    engine.dispose()


@pytest.fixture(scope="module")
def seeded(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    routes = public_routes(create_app(Settings(data_dir=tmp_path_factory.mktemp("routes"))))
    data_dir = tmp_path_factory.mktemp("accessibility")
    with running_tipline(data_dir) as base:
        seeded = Seeded(base)
        paid = {"paid_on": None, "amount": "20000000", "currency": "VND", "to_bank": "VCB",
                "from_bank": "TCB", "to_account": "0451000123999"}  # fmt: skip
        adult = _post_json(base, "/api/v1/reports", {"narrative": ADULT, "payments": [paid]})
        for narrative in RING:
            _post_json(base, "/api/v1/reports", {"narrative": narrative})
        _publish_an_alert(data_dir, adult["code"])
        child = _post_json(base, "/api/v1/reports", {"narrative": CHILD, "reporter": "child"})
        verdicts = [
            _get_json(base, f"/api/v1/check?value={v}")["verdict"]
            for v in (REPORTED, NOT_REPORTED, ALLOWLISTED)
        ]
        assert verdicts == ["reported", "not_reported", "allowlisted"]
        for name, receipt in (("adult", adult), ("child", child)):
            cookies = _follow_without_script(browser, base, receipt["code"], receipt["secret"])
            seeded.holders[name] = cookies
        bare = [route.path for route in routes if not route.parameters]
        states = [state for path in bare for state in STATES.get(path, ())]
        seeded.pages = [*bare, *states, *_parametrized_pages(browser, base, routes), UNKNOWN]
        yield seeded


@dataclass
class Findings:
    screen: str
    language: str
    lines: list[str] = field(default_factory=list)

    def add(self, address: str, what: str) -> None:
        width = SCREENS[self.screen]["width"]
        self.lines.append(f"{address} at {width} px in {self.language}: {what}")


# The element the keyboard's focus is on, and whether a ring shows it: an outline at least 2 px
# wide, or a box shadow (WCAG 2.4.7, focus visible). None when the focus left the page.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
    || s.boxShadow !== 'none';
  const name = `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}`
    + ` '${(e.innerText || e.value || e.name || '').trim().slice(0, 30)}'`;
  return {name, ring};
}"""
MAX_TABS = 80


def _check_focus_rings(page: Page, address: str, findings: Findings) -> None:
    """Tabs through the page: every element the keyboard reaches shows where the focus is."""
    seen: set[str] = set()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or focused["name"] in seen:
            return
        seen.add(focused["name"])
        if not focused["ring"]:
            findings.add(address, f"no visible focus ring on {focused['name']}")


def _check_page(page: Page, address: str, findings: Findings) -> None:
    if page.locator("html").get_attribute("lang") != findings.language:
        findings.add(address, "html lang is not the reader's language")
    if page.locator("h1").count() != 1:
        findings.add(address, f"{page.locator('h1').count()} h1 elements")
    if findings.screen == "phone":
        if scrolls_sideways(page):
            findings.add(address, "scrolls sideways")
        for small in page.eval_on_selector_all(
            TAP_TARGETS,
            """targets => targets.filter(t => t.offsetParent !== null)
                .filter(t => t.getBoundingClientRect().height < 44)
                .map(t => `${t.tagName.toLowerCase()}.${t.className} '${t.innerText.trim()}' `
                          + `${Math.round(t.getBoundingClientRect().height)} px`)""",
        ):
            findings.add(address, f"a tap target under 44 px: {small}")
    else:
        _check_focus_rings(page, address, findings)
    for violation in axe_violations(page, tags=AXE_TAGS):
        findings.add(
            address,
            f"axe {violation['id']} ({violation['impact']}): {violation['help']} "
            f"at {violation['nodes']}",
        )


def _visit(page: Page, base: str, address: str, findings: Findings, label: str = "") -> None:
    answer = page.goto(f"{base}{address}")
    assert answer is not None
    content_type = answer.headers.get("content-type", "")
    if not content_type.startswith("text/html"):
        findings.add(address, f"answers {content_type}: name it in NOT_PAGES, or make it a page")
        return
    _check_page(page, f"{address}{label}", findings)


def _new_context(browser: Browser, screen: str, language: str) -> BrowserContext:
    # axe is injected as a script, which the pages' Content-Security-Policy forbids.
    return browser.new_context(
        locale=LOCALES[language], viewport=SCREENS[screen], bypass_csp=True,
        has_touch=screen == "phone",
    )  # fmt: skip


@pytest.mark.parametrize("screen", sorted(SCREENS))
@pytest.mark.parametrize("language", sorted(LOCALES))
def test_every_public_page_meets_wcag_21_aa(
    browser: Browser, seeded: Seeded, language: str, screen: str
) -> None:
    findings = Findings(screen, language)
    context = _new_context(browser, screen, language)
    page = context.new_page()
    for address in seeded.pages:
        _visit(page, seeded.base, address, findings)
    page.goto(f"{seeded.base}/report")  # a failed submit: the errors, focus on the first
    page.click("main form button[type=submit]")
    assert page.locator("main [aria-invalid=true]").count() >= 1
    _check_page(page, "/report (after a failed submit)", findings)
    page.goto(f"{seeded.base}/follow")  # a wrong code or secret
    page.fill("#code", "TL-2222-2222")
    page.fill("#secret", "not the secret")
    page.click("main form button[type=submit]")
    assert page.locator("main .form-error[role=alert]").count() == 1
    _check_page(page, "/follow (a wrong code)", findings)
    for name, cookies in seeded.holders.items():
        context.add_cookies(cookies)
        for address in HELD:
            _visit(page, seeded.base, address, findings, f" (holding the {name}'s report)")
    context.close()
    assert findings.lines == [], "\n".join(findings.lines)


def test_the_pages_come_from_the_app(seeded: Seeded) -> None:
    for expected in ("/", "/report", "/check", "/follow", "/about", "/protect-my-photo"):
        assert expected in seeded.pages
    assert "/favicon.ico" not in seeded.pages
    assert not any(page.startswith("/api/") for page in seeded.pages)


def test_the_forms_work_without_javascript(browser: Browser, seeded: Seeded) -> None:
    context = browser.new_context(java_script_enabled=False, locale=LOCALES["vi"])
    page = context.new_page()
    page.goto(f"{seeded.base}/report")
    page.fill("#narrative", ADULT)
    page.click("main form button[type=submit]")
    assert page.url == f"{seeded.base}/report/receipt"
    assert CODE_PATTERN.match(page.locator("#tracking-code").inner_text())
    page.goto(f"{seeded.base}/check")
    page.fill("#value", REPORTED)
    page.click("main form button[type=submit]")
    assert page.url.startswith(f"{seeded.base}/check?value=")
    assert page.locator("#verdict").get_attribute("data-state") == "reported"
    context.close()
