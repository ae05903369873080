"""Stored HTML and JavaScript never run in an analyst's browser (issue 18).

Payloads (`tests/hostile_input.py`) go into every field a citizen, a partner and a platform can
fill: the citizen's forms with every text field the page has (report, follow-up message,
withdrawal), the JSON APIs with every free string field of their schemas (a report, a bulk
submission, an organisation's answer to a request, its file's name), a partner's TAXII push
(indicator names, descriptions, labels, patterns; an identity, a sighting) and a MISP event
(its organisation, info, comments, tags). Then every staff page the app has, found from its
routes and the links between its pages, is rendered in Debian's Chromium signed in as analyst,
supervisor and admin, and each must show no dialog, leave `window.__xss` unset, report no CSP
violation, hold no element the payloads would inject; the report pages show the payloads as text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest
from fastapi.routing import APIRoute
from tests.browser import LOCALES, needs_chromium
from tests.hostile_input import ALL, INJECTED, PAYLOADS
from tests.hostile_seed import (
    PASSWORD,
    PATTERNS,
    ROLES,
    Seeded,
    api_reports,
    case_and_alert,
    citizen_forms,
    misp_import,
    partner_push,
    report_id_of,
    request_answered,
    seed_accounts,
    words_from_outside,
)
from tests.live_server import running_tipline
from tests.public_pages import API_PREFIX, _is_public, _routes

from tipline.app import create_app
from tipline.settings import Settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = needs_chromium
# Staff pages that are not pages (files), or that a crawl must not open (they act).
NOT_PAGES = re.compile(r"\.csv$|/download$|/document$|/preview$|/export$|/handout$|/logout$")
PER_ROUTE = {"/reports/{report_id}": 40}  # instances visited; 3 of any other route
# Staff pages no seeded object reaches, and why that leaves nothing out.
UNSEEDED = {
    "/trainer/sessions/{code}": "a trainer's session of a lesson: the lessons' own text and a "
    "class code, nothing a citizen, partner or platform writes",
}
# The public check of each value a partner pushed (the one page that echoes what it is asked,
# and names who listed a value), and of a payload itself.
PATTERN_VALUE = re.compile(r"^\[[a-z-]+:value = '(.*)'\]$")
CHECKS = tuple(
    "/check?value=" + quote(value)
    for value in [PATTERN_VALUE.sub(r"\1", pattern) for pattern in PATTERNS] + [ALL[:500]]
)
# Listens before any page script: a CSP violation (an injected script or handler the policy
# blocked) is recorded where the test reads it.
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || e.sample)));
"""


def staff_pages(settings: Settings) -> list[str]:
    """The app's staff pages: GET routes outside the API and the protocols, not public, that
    answer a page (not a file)."""
    app = create_app(settings=settings)
    return sorted(
        path
        for path, route in _routes(app.routes)
        if isinstance(route, APIRoute) and "GET" in (route.methods or ())
        and not path.startswith(API_PREFIX) and not _is_public(route)
        and not NOT_PAGES.search(path)
    )  # fmt: skip


def _pattern(path: str) -> re.Pattern[str]:
    parts = [re.escape(p) if not p.startswith("{") else "[^/?#]+" for p in path.split("/")]
    return re.compile("^" + "/".join(parts) + "$")


@dataclass
class Visit:
    """What a role's crawl saw: pages rendered, what ran or was blocked, the report pages'
    text, and the routes never reached."""

    pages: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    report_text: str = ""
    unreached: set[str] = field(default_factory=set)


CHECK = f"""() => [window.__xss === undefined ? null : String(window.__xss),
  window.__violations || [], document.querySelectorAll({json.dumps(INJECTED)}).length]"""


def _render(page: Page, base: str, address: str, visit: Visit) -> list[str]:
    """Open one page, record what is wrong with it; the staff addresses it links."""
    answer = page.goto(f"{base}{address}", wait_until="domcontentloaded")
    if answer is None or not answer.headers.get("content-type", "").startswith("text/html"):
        return []
    if answer.status >= 500:
        visit.findings.append(f"{address}: answered {answer.status}")
    if address.startswith("/campaigns/"):  # the graph is drawn from its API's JSON
        page.wait_for_load_state("networkidle")
    ran, violations, injected = page.evaluate(CHECK)
    if ran is not None or violations or injected:
        visit.findings.append(f"{address}: __xss={ran} csp={violations} injected={injected}")
    visit.pages.append(address)
    if address.startswith("/reports/"):
        visit.report_text += " " + page.inner_text("main")
    links = page.eval_on_selector_all("a[href^='/']", "links => links.map(a => a.pathname)")
    return [str(link) for link in links]


def crawl(
    browser: Browser, base: str, role: str, routes: list[str], per_route: int,
    also: tuple[str, ...] = (),
) -> Visit:  # fmt: skip
    """Signed in as `role`, every staff page without parameters, then the addresses of each
    route with parameters that the pages link (`per_route` of each, more of the reports)."""
    context = browser.new_context(locale=LOCALES["en"])
    context.add_init_script(WATCH)
    page = context.new_page()
    visit = Visit()
    page.on("dialog", lambda d: (visit.findings.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("console", lambda m: "Content Security Policy" in m.text
            and visit.findings.append(f"console: {m.text[:200]}"))  # fmt: skip
    page.goto(f"{base}/login?next=/queue")
    page.fill("#username", ROLES[role])
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/queue")
    wanted = {path: _pattern(path) for path in routes if "{" in path}
    taken: dict[str, int] = dict.fromkeys(wanted, 0)
    queue = [path for path in routes if "{" not in path] + list(also)
    seen = set(queue)
    while queue:
        for link in _render(page, base, queue.pop(0), visit):
            route = next((p for p, pattern in wanted.items() if pattern.match(link)), None)
            limit = max(PER_ROUTE.get(route or "", per_route), per_route) if per_route > 1 else 1
            if route and link not in seen and taken[route] < limit:
                taken[route] += 1
                seen.add(link)
                queue.append(link)
    visit.unreached = {route for route, count in taken.items() if count == 0}
    context.close()
    return visit


@pytest.fixture(scope="module")
def seeded(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    data_dir = tmp_path_factory.mktemp("stored-scripts")
    tokens = seed_accounts(data_dir)
    with running_tipline(data_dir) as base:
        seeded = Seeded(base)
        citizen_forms(browser, seeded)
        codes = api_reports(seeded, tokens)
        request_answered(seeded, tokens, report_id_of(data_dir, codes[0]))
        partner_push(seeded, tokens)
        misp_import(seeded, data_dir)
        case_and_alert(data_dir, codes)
        words_from_outside(seeded, tokens, report_id_of(data_dir, codes[1]))
        yield seeded


def test_every_field_holds_payloads(seeded: Seeded) -> None:
    holding = {channel: filled.holding for channel, filled in seeded.fields.items()}
    assert all(holding[c] for c in holding if "victim-hashes" not in c), holding
    assert "narrative" in holding["POST /api/v1/reports"]
    assert all(seeded.form_fields.values()), seeded.form_fields
    counts = {c: len(f.holding) for c, f in seeded.fields.items()} | {
        f"form {path}": len(names) for path, names in seeded.form_fields.items()
    }
    print(f"fields holding payloads: {counts}, {sum(counts.values())} in all")  # noqa: T201


def test_no_stored_script_runs_in_any_staff_page(
    browser: Browser, seeded: Seeded, tmp_path: Path
) -> None:
    routes = staff_pages(Settings(data_dir=tmp_path))
    reached: set[str] = set()
    findings: list[str] = []
    for role in ROLES:  # the analyst opens every report; the others one of each route
        also = CHECKS if role == "analyst" else ()
        visit = crawl(browser, seeded.base, role, routes, 3 if role == "analyst" else 1, also)
        findings += [f"as {role}: {finding}" for finding in visit.findings]
        reached |= set(routes) - visit.unreached
        seeded.rendered[role] = len(visit.pages)
        if role == "analyst":
            shown = " ".join(visit.report_text.split())
            missing = [n for n, text in PAYLOADS.items() if " ".join(text.split()) not in shown]
            assert missing == [], f"payloads not shown as text on the report pages: {missing}"
    assert findings == [], "\n".join(findings)
    assert set(routes) - reached == set(UNSEEDED), "seed what these pages show, or say why not"
    print(f"pages rendered: {seeded.rendered} of {len(routes)} staff routes")  # noqa: T201
