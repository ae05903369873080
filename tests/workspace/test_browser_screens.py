"""The workspace on a 360 px phone and a 1280 px desk, in Vietnamese and English, in Debian's
Chromium: the queue's first row is the child at risk (filed after an adult's critical report),
no workspace page scrolls sideways on the phone, controls are 44 px tall under a finger, and an
error answers the browser with a page.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from tests.browser import LOCALES, SCREENS, axe_violations, needs_chromium, scrolls_sideways
from tests.campaigns.test_browser import file_report
from tests.live_server import running_tipline

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = needs_chromium
PASSWORD = "a long passphrase for the night shift"
ADULT = (
    "Có kẻ đòi tôi chuyển 10 triệu trong 24 giờ, nếu không sẽ tung video nóng của tôi lên "
    "Facebook. Số của nó 0912 345 678."
)
CHILD = (
    "Con gái tôi 14 tuổi bị người dùng số 0987654321 trên Zalo dụ gửi ảnh nhạy cảm và đe dọa "
    "tung ảnh nếu không gửi thêm."
)
OTHERS = (
    "Có người gọi từ số 0987 654 321 tự xưng công an, bảo tôi chuyển 20.000.000 đồng vào STK "
    "0451000123999 Vietcombank.",
    "I paid 2,500,000 VND for a phone on a Facebook shop and never received it; the seller's "
    "number is 0912 345 678 and the account 19034567890123 Techcombank.",
)


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    users = [("lan", "analyst", PASSWORD), ("root", "admin", PASSWORD)]
    with running_tipline(tmp_path_factory.mktemp("tipline-screens"), users) as base:
        file_report(base, ADULT)  # the older critical report: not a child
        for narrative in OTHERS:
            file_report(base, narrative)
        yield base


@pytest.fixture(scope="module")
def child_code(server_url: str) -> str:
    return file_report(server_url, CHILD)


def signed_in(
    browser: Browser, base: str, user: str, screen: str, lang: str, touch: bool = False
) -> Page:
    """A new browser of `screen` size in `lang` (a phone's touch screen when `touch`), signed
    in as `user` on the queue."""
    size = SCREENS[screen]
    context = browser.new_context(
        viewport={"width": size["width"], "height": size["height"]},
        locale=LOCALES[lang],
        has_touch=touch,
        is_mobile=touch,
    )
    page = context.new_page()
    page.goto(f"{base}/login?lang={lang}&next=/queue")
    page.fill("#username", user)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/queue")
    return page


def report_id(base: str, page: Page, code: str) -> int:
    page.goto(f"{base}/queue")
    href = page.locator(f"#queue a:has-text('{code}')").first.get_attribute("href")
    assert href is not None
    return int(href.rsplit("/", 1)[1])


@pytest.mark.parametrize("screen", ["phone", "desktop"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_queues_first_row_is_the_child_at_risk(
    browser: Browser, server_url: str, child_code: str, screen: str, lang: str
) -> None:
    page = signed_in(browser, server_url, "lan", screen, lang)
    first = page.locator("#queue tbody tr").first
    assert child_code in first.inner_text()
    assert first.locator(".at-risk").is_visible()
    assert not scrolls_sideways(page)
    page.context.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_workspace_page_scrolls_sideways_on_a_phone(
    browser: Browser, server_url: str, child_code: str, lang: str
) -> None:
    page = signed_in(browser, server_url, "root", "phone", lang)
    child = report_id(server_url, page, child_code)
    paths = [
        "/queue", "/queue?sort=loss", "/queue?sort=newest", "/queue?mine=1",
        f"/reports/{child}", f"/reports/{child}?contact=show", "/campaigns", "/cases",
        "/cases/new", f"/cases/add?report={child}", "/dashboard?days=30", "/admin/users",
        "/admin/tokens", "/audit", "/no/such/page", "/reports/999999", "/admin/partners",
        "/admin/organisations", "/cooperation", "/cooperation/new", "/cooperation/overview",
    ]  # fmt: skip
    wide = []
    for path in paths:
        page.goto(server_url + path)
        if scrolls_sideways(page):
            wide.append(path)
    page.goto(f"{server_url}/campaigns")
    campaign = page.locator("a[href^='/campaigns/']").first
    if campaign.count():
        campaign.click()
        page.wait_for_load_state()
        if scrolls_sideways(page):
            wide.append(page.url)
    wide += cooperation_request_pages(page, server_url, child_code)
    assert wide == []
    page.context.close()


def cooperation_request_pages(page: Page, base: str, code: str) -> list[str]:
    """A cooperation request recorded from its form, then a report linked from its page: the
    addresses of those that scroll sideways."""
    page.goto(f"{base}/cooperation/new")
    page.fill("input[name=requesting_authority]", "A05, Bộ Công an")
    page.fill("input[name=requested_authority]", "National Crime Agency")
    page.click("form.coop-form button[type=submit]")
    page.wait_for_url("**/cooperation/COOP-*")
    wide = [page.url] if scrolls_sideways(page) else []
    page.select_option(".coop-link-form select[name=kind]", "report")
    page.fill(".coop-link-form input[name=value]", code)
    page.click(".coop-link-form button[type=submit]")
    page.wait_for_url("**done=linked")
    assert code in page.locator("#coop-links").inner_text()
    return wide + ([page.url] if scrolls_sideways(page) else [])


@pytest.mark.parametrize("touch", [True, False])
def test_tables_become_lists_and_controls_are_44_px_under_a_finger(
    browser: Browser, server_url: str, child_code: str, touch: bool
) -> None:
    """On a phone, even one whose browser reports a fine pointer (some emulations do)."""
    page = signed_in(browser, server_url, "lan", "phone", "vi", touch=touch)
    assert page.evaluate("matchMedia('(pointer: coarse)').matches") is touch
    row = page.locator("#queue tbody tr").first
    assert page.evaluate("(el) => getComputedStyle(el).display", row.element_handle()) == "block"
    header = page.locator("#queue thead").bounding_box()
    assert header is None or header["height"] <= 1  # the labels are in each cell
    assert small_targets(page) == []
    page.goto(f"{server_url}/reports/{report_id(server_url, page, child_code)}")
    assert small_targets(page) == []
    page.context.close()


def small_targets(page: Page) -> list[str]:
    """The page's controls under 44 px tall (or a button under 44 px wide): buttons, menus,
    the queue's sorts, filters and row links, the navigation, the report's links."""
    return list(
        page.evaluate(
            """(selector) => [...document.querySelectorAll(selector)]
            .filter((el) => el.offsetParent !== null)
            .filter((el) => el.getBoundingClientRect().height < 44
                || (el.tagName === 'BUTTON' && el.getBoundingClientRect().width < 44))
            .map((el) => el.outerHTML.slice(0, 80))""",
            TARGETS,
        )
    )


TARGETS = ", ".join(
    ("button", "select", ".queue-sorts a", ".ws-nav a", ".ws-signout a", ".ws-filters a")
    + (".report-links a", "table.ws-table td > a:first-child")
)


def test_claiming_from_the_queue_puts_the_report_in_mine(
    browser: Browser, server_url: str, child_code: str
) -> None:
    page = signed_in(browser, server_url, "lan", "desktop", "en")
    row = page.locator("#queue tbody tr", has_text=child_code)
    if row.locator("button:has-text('Claim')").count():
        row.locator("button:has-text('Claim')").click()
        page.wait_for_load_state()
    page.click(".queue-mine")
    page.wait_for_url("**/queue?mine=1")
    assert child_code in page.locator("#queue").inner_text()
    page.context.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_errors_answer_the_browser_with_pages(browser: Browser, server_url: str, lang: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale=LOCALES[lang])
    page = context.new_page()
    answer = page.goto(f"{server_url}/no/such/page?lang={lang}")
    assert answer is not None
    assert answer.status == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert page.locator("main h1").count() == 1
    staff_only = page.goto(f"{server_url}/queue?lang={lang}")
    assert staff_only is not None
    assert "/login" in page.url  # not signed in: the sign-in page, not JSON
    api = urllib.request.Request(f"{server_url}/api/v1/no/such", headers={"Accept": "*/*"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(api, timeout=10)  # noqa: S310 (loopback)
    assert json.load(refused.value)["error"]["code"] == "not_found"
    context.close()
    analyst = signed_in(browser, server_url, "lan", "desktop", lang)
    for path, status in (("/audit", 403), ("/reports/abc", 422), ("/reports/999999", 404)):
        answer = analyst.goto(server_url + path)
        assert answer is not None
        assert answer.status == status
        assert answer.headers["content-type"].startswith("text/html")
        assert analyst.locator(".ws-main h1").count() == 1  # in the workspace's layout
    analyst.context.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_partners_pages_fit_a_phone_and_pass_axe(
    browser: Browser, server_url: str, lang: str
) -> None:
    """An admin adds a partner and edits its policy on a phone: each page fits, axe finds no
    violation (its script is injected, so this context bypasses the pages' CSP)."""
    context = browser.new_context(viewport=SCREENS["phone"], locale=LOCALES[lang], bypass_csp=True)
    page = context.new_page()
    page.goto(f"{server_url}/login?lang={lang}&next=/admin/partners")
    page.fill("#username", "root")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server_url}/admin/partners")
    page.fill("input[name=name]", f"Cambodia hotline {lang}")
    page.fill("input[name=country]", "KH")
    page.click("form.sharing-form button[type=submit]")
    page.wait_for_url(f"{server_url}/admin/partners?done=added")
    found: dict[str, object] = {}
    page.click(f"a[aria-label$='Cambodia hotline {lang}']")
    page.wait_for_url("**/policy")
    page.select_option("#max_tlp", "green")
    page.check("input[value=sextortion]")
    for path in ("policy", "/admin/partners", "/admin/organisations"):
        if path != "policy":
            page.goto(server_url + path)
        if scrolls_sideways(page):
            found[path] = "scrolls sideways"
        if violations := axe_violations(page):
            found[path] = violations
    assert found == {}, json.dumps(found, indent=1)
    context.close()


def test_the_cooperation_pages_fit_a_phone_and_pass_axe(browser: Browser, server_url: str) -> None:
    """An analyst records a request to a partner abroad on a phone and sends it: the form, the
    request with its history, the list and the overview fit, in both languages, and axe finds
    no violation."""
    context = browser.new_context(viewport=SCREENS["phone"], locale=LOCALES["vi"], bypass_csp=True)
    page = context.new_page()
    page.goto(f"{server_url}/login?next=/cooperation/new")
    page.fill("#username", "lan")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server_url}/cooperation/new")
    page.check("input[name=direction][value=outgoing]")
    page.fill("input[name=requesting_authority]", "A05, Bộ Công an")
    page.fill("input[name=requested_authority]", "Federal Bureau of Investigation")
    page.fill("textarea[name=accounts]", "VCB:0123456789")
    page.fill("textarea[name=facts]", "Một nhóm giả danh ngân hàng.")
    found: dict[str, object] = {}
    if violations := axe_violations(page):
        found["filled form"] = violations
    page.click("form.coop-form button[type=submit]")
    page.wait_for_url("**/cooperation/COOP-*")
    request_path = page.url.split(server_url)[1].split("?")[0]
    page.click("form[action$='/status']:has(input[value=sent]) button")
    page.wait_for_url("**?done=status")
    assert "VCB:0123456789" in page.inner_text("#coop-lines")
    for lang in ("vi", "en"):
        for path in (request_path, "/cooperation", "/cooperation/overview", "/cooperation/new"):
            page.goto(f"{server_url}{path}?lang={lang}")
            if scrolls_sideways(page):
                found[f"{lang} {path}"] = "scrolls sideways"
            if violations := axe_violations(page):
                found[f"{lang} {path}"] = violations
    assert found == {}, json.dumps(found, indent=1)
    context.close()
