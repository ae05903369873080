"""CSRF on every form: the app's pages are walked signed in as each role and anonymously, from
every GET page route without path values, following the links the pages show (a report, a case,
a campaign, an alert, a lesson, a request …) and the redirects of the forms posted. Every
`<form method=post>` found carries the CSRF field; the form of each action is posted three
times: without the token and with another browser's token (both refused, 403), then with its
own token (accepted: anything but 403). Posting with the token creates what the next pass walks
(a case, a partner, a bank, an alert, a training session, a held report …).

Every POST route outside the JSON API must be the action of a form found, or be named in
`NOT_REACHED` with its reason; every one of them declares the CSRF check (`VerifiedForm`), found
or not."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from inspect import getsource, isfunction
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from tests.accounts.test_access_matrix import Endpoint, endpoints
from tests.conftest import backend

from tipline.access import Principal, Role, get_principal
from tipline.accounts.service import create_user
from tipline.app import create_app
from tipline.campaigns.service import rebuild_campaigns
from tipline.html import csrf
from tipline.html.protection import verified_form
from tipline.intake.service import submit_report
from tipline.partners.service import add_organisation, add_partner
from tipline.reports.schemas import ReportCreate
from tipline.settings import Settings

PASSWORD = "correct horse battery"
RING = tuple(
    f"Số 0912 345 678 gọi tôi, tự xưng công an, đòi chuyển tiền vào STK 0451000123999 "
    f"Vietcombank để xác minh (lần {k})."
    for k in range(3)
)
ROLES: tuple[Role | None, ...] = (None, Role.ADMIN, Role.SUPERVISOR, Role.ANALYST, Role.PLATFORM)
PER_ROUTE = 1  # addresses walked per GET route, role and round
# Roles walked twice, following links (the second round sees what the first one's posts made);
# the other roles' start pages are read once (the analyst and the supervisor see the admin's
# pages, less the admin's own, and a partner has no page).
TWICE = (None, Role.ADMIN)
# POST routes no walk reaches as a form, each with its reason.
NOT_REACHED = {
    "/follow/add": "shown on /follow while the browser holds a report (the walk forgets it first)",
    "/requests": "/requests/new offers a form for a report naming an organisation's customer",
    "/requests/{reference}/answer": "a platform's answer to a request sent to it (none is sent)",
    "/evidence/{evidence_id}/reveal": "an evidence file's page (no file is uploaded by the walk)",
    "/evidence/{evidence_id}/transfer": "an evidence file's page (no file is uploaded by the walk)",
    "/cases/{case_id}/campaigns/{uid}/remove": "shown once a campaign is in a case",
    "/cases/{case_id}/reports/{report_id}/remove": "shown once a report is in a case",
    "/alerts/{alert_uid}/publish": "shown to a supervisor once an alert is submitted",
    "/alerts/{alert_uid}/return": "shown to a supervisor once an alert is submitted",
    "/alerts/{alert_uid}/withdraw": "shown once an alert is published",
    "/requests/{reference}/send": "shown on a drafted request",
    "/requests/{reference}/cancel": "shown on a drafted request",
    "/cooperation/{reference}/extension": "shown on a cooperation request",
    "/cooperation/{reference}/status": "shown on a cooperation request",
    "/cooperation/{reference}/links": "shown on a cooperation request",
    "/cooperation/{reference}/links/removal": "shown on a cooperation request's link",
}
# POST routes whose handler checks the token in a helper of its own (`check_form`), each with why.
CHECKED_IN_A_HELPER = {
    "/report": "an expired form keeps what the citizen typed (web.routes._take_report)",
    "/follow/add": "the body is read with the files' limits first (web.routes._add_to_report)",
}
FILLERS = {
    "number": "1",
    "date": "2026-01-15",
    "email": "walk@example.org",
    "url": "https://example.org/walk",
    "tel": "0912345678",
    "password": "walk password 2026",
}
TEXT = "Phép thử CSRF: 0912 345 678, walk@example.org"


# --- reading pages ---------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)


class PageReader(HTMLParser):
    """The links and the POST forms of a page, with the values a person would send."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            post = a.get("method", "get").lower() == "post"
            self.form = Form(a.get("action", "")) if post else None
            if self.form is not None:
                self.forms.append(self.form)
        elif self.form is not None and (a.get("name") or tag == "option"):
            self._field(tag, a)

    def _field(self, tag: str, a: dict[str, str]) -> None:
        assert self.form is not None
        name, kind = a.get("name", ""), a.get("type", "text").lower()
        self.form.names.add(name)
        if tag == "input" and kind in ("checkbox", "radio"):
            if "checked" in a or name not in self.form.fields:
                self.form.fields[name] = a.get("value", "on")
        elif tag == "input" and kind not in ("submit", "button", "file", "reset"):
            needed = FILLERS.get(kind, TEXT) if "required" in a else ""
            self.form.fields[name] = a.get("value") or needed
        elif tag == "select":
            self.select = name
        elif tag == "textarea":
            self.form.fields[name] = TEXT if "required" in a else ""
        if tag == "option" and self.select:  # the first option, as a browser sends it
            self.form.fields.setdefault(self.select, a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None


def read_page(text: str) -> PageReader:
    reader = PageReader()
    reader.feed(text)
    return reader


# --- routes ----------------------------------------------------------------------------------


def depends_on_csrf(dependant: Dependant) -> bool:
    return any(sub.call is verified_form or depends_on_csrf(sub) for sub in dependant.dependencies)


def has_csrf(dependant: Dependant) -> bool:
    """Whether the route checks the token: `VerifiedForm` in its dependencies, or a call of
    `check_form` in its handler (a form with files reads its body with its own limits)."""
    handler = dependant.call
    checks = isfunction(handler) and "check_form(request, form)" in getsource(handler)
    return depends_on_csrf(dependant) or checks


def pattern(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", path)
    return re.compile(
        "^" + "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "$"
    )


@dataclass
class Routes:
    pages: list[Endpoint]
    posts: list[Endpoint]

    def match(self, path: str, among: list[Endpoint]) -> str | None:
        """The route path of `path` (the most literal of those that match)."""
        found = [e.path for e in among if pattern(e.path).match(path)]
        return min(found, key=lambda p: p.count("{"), default=None)


def page_routes(app: FastAPI) -> Routes:
    every = [e for e in endpoints(app) if not e.path.startswith(("/api/", "/static/"))]
    return Routes(
        pages=[e for e in every if "GET" in e.methods],
        posts=[e for e in every if e.methods & {"POST", "PUT", "PATCH", "DELETE"}],
    )


# --- the walk --------------------------------------------------------------------------------


@dataclass
class Walk:
    """What the walk saw: GET routes visited, forms read, and each action's three answers."""

    visited: dict[str, set[str]] = field(default_factory=dict)  # route → addresses
    forms: int = 0
    without_field: list[str] = field(default_factory=list)
    posted: dict[str, tuple[int, ...]] = field(default_factory=dict)  # action → statuses
    round: dict[str, set[str]] = field(default_factory=dict)  # this round's pages by route
    tried: set[str] = field(default_factory=set)  # this round's addresses


def post_three_times(client: TestClient, form: Form, foreign: str) -> tuple[tuple[int, ...], str]:
    """The form posted without its token, with another browser's, and with its own: the three
    statuses, and where the last answer sends the browser."""
    bare = {k: v for k, v in form.fields.items() if k != csrf.CSRF_FIELD}
    without = client.post(form.action, data=bare, follow_redirects=False)
    other = client.post(form.action, data=bare | {csrf.CSRF_FIELD: foreign}, follow_redirects=False)
    answer = client.post(form.action, data=form.fields, follow_redirects=False)
    statuses = (without.status_code, other.status_code, answer.status_code)
    return statuses, answer.headers.get("location", "")


def walk_as(
    client: TestClient, routes: Routes, role: Role | None, walk: Walk, foreign: str
) -> None:
    """Two rounds from every start page the role may open: the second sees what the first's
    posts made."""
    starts = [e.path for e in routes.pages if "{" not in e.path and e.audience.admits(role)]
    for _ in range(2 if role in TWICE else 1):
        queue: list[str] = list(starts)
        walk.round, walk.tried = {}, set()
        while queue:
            address = queue.pop(0)
            visit(client, routes, address, walk, foreign, queue if role in TWICE else [])


def visit(
    client: TestClient, routes: Routes, address: str, walk: Walk, foreign: str, queue: list[str]
) -> None:
    route = routes.match(urlsplit(address).path, routes.pages)
    seen = walk.round.setdefault(route or "?", set())
    if route is None or address in walk.tried or len(seen) >= PER_ROUTE:
        return
    walk.tried.add(address)
    answer = client.get(address, follow_redirects=False)
    html = answer.headers.get("content-type", "").startswith("text/html")
    if answer.status_code != 200 or not html:
        return
    seen.add(address)
    walk.visited.setdefault(route, set()).add(address)
    page = read_page(answer.text)
    for form in page.forms:
        check_form(client, routes, address, form, walk, foreign, queue)
    queue.extend(href for href in page.links if href.startswith("/") and not href.startswith("//"))


def check_form(
    client: TestClient, routes: Routes, address: str, form: Form, walk: Walk, foreign: str,
    queue: list[str],
) -> None:  # fmt: skip
    form.action = urljoin(address, form.action or address)
    walk.forms += 1
    if csrf.CSRF_FIELD not in form.names:
        walk.without_field.append(f"{form.action} on {address}")
    action = routes.match(urlsplit(form.action).path, routes.posts)
    if action is None or action in walk.posted:
        return
    walk.posted[action], location = post_three_times(client, form, foreign)
    if location.startswith("/"):
        queue.append(location)


# --- the test ---------------------------------------------------------------------------------


def seed(session: Session) -> dict[Role, Principal]:
    """Three reports of one ring (a campaign), and a user of each role: their principals."""
    for narrative in RING:
        submit_report(session, ReportCreate(narrative=narrative), "api")
    rebuild_campaigns(session)
    principals = {}
    for role in Role:
        organisation = partner = None
        if role is Role.PLATFORM:
            organisation = add_organisation(session, "cli:test", "walk bank", "bank").name
        if role is Role.PARTNER:
            partner = add_partner(session, "cli:test", "walk agency", "TH").name
        user = create_user(session, "cli:test", f"walk-{role.value}", role, PASSWORD,
                           partner=partner, organisation=organisation)  # fmt: skip
        principals[role] = Principal(
            user.id, user.username, role, "session",
            partner_id=user.partner_id, organisation_id=user.organisation_id,
        )  # fmt: skip
    return principals


# The CSRF check reads no database: walked once, in the SQLite run (the walk takes a while).
@pytest.mark.skipif(backend() == "postgresql", reason="CSRF is the same on either database")
def test_every_form_of_every_page_refuses_a_post_without_its_token(
    settings: Settings, session_factory: sessionmaker[Session], db_session: Session
) -> None:
    principals = seed(db_session)
    app = create_app(settings=settings, session_factory=session_factory)
    routes = page_routes(app)
    key = csrf.signing_key(settings.secret_key, settings.data_dir)
    foreign = csrf.issue_token(key, csrf.new_nonce())
    walk = Walk()
    with TestClient(app, raise_server_exceptions=False) as client:
        for role in (None, *Role):
            principal = principals.get(role) if role else None
            app.dependency_overrides[get_principal] = lambda p=principal: p
            client.cookies.clear()
            walk_as(client, routes, role, walk, foreign)
    wrong = {a: s for a, s in walk.posted.items() if s[:2] != (403, 403) or s[2] == 403}
    assert wrong == {}, walk.posted
    assert walk.without_field == []
    reached = set(walk.posted)
    unreached = {e.path for e in routes.posts} - reached - set(NOT_REACHED)
    assert unreached == set(), walk.posted
    assert reached & set(NOT_REACHED) == set(), "reached now: remove from NOT_REACHED"
    unprotected = {e.path for e in routes.posts if not has_csrf(e.dependant)}
    assert unprotected == set(CHECKED_IN_A_HELPER)
    # What was walked (docs/reliability.md, "Web security"): at least these many.
    pages = sum(map(len, walk.visited.values()))
    assert (pages >= 40, len(walk.visited) >= 40, walk.forms >= 200, len(walk.posted) >= 38) == (
        True, True, True, True,
    ), (pages, len(walk.visited), walk.forms, len(walk.posted))  # fmt: skip
