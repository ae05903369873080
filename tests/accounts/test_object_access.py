"""Nothing crosses: every caller tries to read and change another's object, by every route.

The roles × routes matrix (test_access_matrix.py) proves each route's declaration; this proves
the objects. A world holds two citizens' reports A and B, an indicator of B, B's campaign, a case
that holds B, and an evidence file of B. Then every caller who is not staff (anonymous, the
citizen holding A's secret, a partner agency's user and token, an organisation's user and token)
calls every route with a path parameter, page or API, by every method, with B's ids: each
answer is 401, 403 or 404, never B's narrative, and nothing of B changes. Staff read B by the
same routes (so the refusals are about the caller, not a wrong id).

The routes are read from the app, so a route added tomorrow is covered; a path parameter this
file cannot fill fails the test by name. Callers are real: users in the database, signed in by a
session cookie or an API token, resolved by the app itself (no override of the principal).

Below the routes, the same rule at the repository: each read given a non-staff caller finds
nothing, and a citizen's secret opens her own report only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from tests.accounts.test_access_matrix import Endpoint, endpoints
from tests.principals import staff

from tipline.accounts import service as accounts
from tipline.accounts.core import SESSION_COOKIE
from tipline.accounts.models import ApiToken, User
from tipline.alerts.repository import readable_alert
from tipline.alerts.service import draft_alert
from tipline.app import create_app
from tipline.campaigns.repository import campaign_of
from tipline.campaigns.service import campaign_uid_of, list_campaigns, view_campaign
from tipline.cases.models import CaseCampaign, CaseNote, CaseReport
from tipline.cases.service import create_case, get_case, list_cases, report_of_code
from tipline.dashboard.core import last_days
from tipline.dashboard.service import dashboard_figures
from tipline.db_types import utc_now
from tipline.errors import NotFound
from tipline.evidence.models import CustodyEntry
from tipline.evidence.service import Upload, attached_to_report, get_evidence, receive, store_of
from tipline.feeds.agreements import AgreementChange, set_agreement
from tipline.feeds.core import FeedFilter
from tipline.feeds.repository import readable_entries
from tipline.html import csrf
from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.indicators.service import indicator_detail, indicator_page
from tipline.media.core import HashValue, Signal
from tipline.media.models import BankAccess, BankHash
from tipline.media.service import add_hashes, create_bank, list_banks, match
from tipline.orgrequests.models import OrgRequest, OrgRequestEvent
from tipline.orgrequests.schemas import RequestCreate
from tipline.orgrequests.service import draft_request, list_requests, send_request, view_request
from tipline.partners.models import Partner
from tipline.partners.service import add_organisation, add_partner
from tipline.principals import Caller, Principal, ReportHolder, Role
from tipline.reports.models import Report
from tipline.reports.repository import (
    readable_report,
    readable_report_by_code,
    readable_reports,
)
from tipline.reports.service import holder_of
from tipline.settings import Settings
from tipline.sharing.policy import ALL_CATEGORIES_MASK, KINDS
from tipline.vocabulary import CATEGORIES
from tipline.workspace.core import PageRequest, QueueFilter
from tipline.workspace.models import ReportNote
from tipline.workspace.service import queue_page, review_indicator, view_report

PASSWORD = "correct horse battery"
# Only report B's narrative holds this name: an answer that shows it has leaked B.
MARKER = "Trần Thị Bích Hạnh"
NARRATIVE_A = (
    "Tôi bị lừa đầu tư tiền ảo qua sàn giả, mất 20.000.000đ, chuyển vào STK 0123456789 "
    "Vietcombank theo lời một người trên Telegram @sangiaodich_vn."
)
NARRATIVE_B = (
    f"{MARKER} bị gọi từ số 0987 654 321, người gọi tự xưng công an, bảo chuyển 15.000.000đ "
    "vào STK 9988776655 để xác minh."
)
NARRATIVE_C = "Số 0987 654 321 gọi tôi, tự xưng công an, đòi chuyển tiền để xác minh."
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)


@dataclass(frozen=True)
class World:
    """Report A (its citizen holds the secret), report B and what hangs on B."""

    code_a: str
    secret_a: str
    report_b: int
    code_b: str
    indicator_b: int
    campaign_b: int  # its internal label
    case_b: int
    evidence_b: int
    campaign_uid_b: UUID  # its stable identifier (campaign pages and API)
    request_b: str  # a request sent to Bank B about B's indicator (its reference)
    bank_b: int  # Bank B's id
    hash_bank_b: int  # a child hash bank owned by Bank B (tipline.media), granted to no one
    alert_b: UUID  # a draft alert about B's campaign: staff only until it is published

    def path_values(self) -> dict[str, str]:
        """A value of B's for every path parameter the app's routes take."""
        return {
            "report_id": str(self.report_b),
            "indicator_id": str(self.indicator_b),
            "campaign_id": str(self.campaign_b),
            "uid": str(self.campaign_uid_b),
            "case_id": str(self.case_b),
            "evidence_id": str(self.evidence_b),
            "reference": self.request_b,
            "code": self.code_b,
            "figure": "provinces",
            "bank_id": str(self.hash_bank_b),
            "username": "ccib",  # a partner agency's user: no outsider may disable her
            "alert_uid": str(self.alert_b),
            # Lessons are public and nobody's: an unknown one is not found for everyone.
            "slug": "no-such-lesson",
        }


@pytest.fixture
def world(db_session: Session, make_report: Callable[..., Any], settings: Settings) -> World:
    receipt_a = make_report(NARRATIVE_A)
    receipt_b = make_report(NARRATIVE_B)
    make_report(NARRATIVE_C)  # shares B's phone: B's campaign has two reports
    report_b = db_session.scalars(select(Report.id).where(Report.code == receipt_b.code)).one()
    indicator_b = db_session.scalars(
        select(ReportIndicator.indicator_id).where(ReportIndicator.report_id == report_b)
    ).first()
    campaign_b = campaign_of(db_session, report_b)
    campaign_uid_b = campaign_uid_of(db_session, report_b)
    assert indicator_b is not None
    assert campaign_b is not None
    assert campaign_uid_b is not None
    lead = staff("analyst:an")
    case_b = create_case(
        db_session, lead, "Giả danh công an", report_ids=[report_b], campaign_uids=[campaign_uid_b]
    )
    chunks = [PNG]
    evidence = receive(
        db_session, store_of(settings), Upload(chunks, "chat.png", "image/png"), lead,
        settings.evidence_max_bytes, report_id=report_b,
    ).evidence  # fmt: skip
    bank_b = add_organisation(db_session, "cli:test", "Bank B", "bank")
    asked = RequestCreate(
        report_id=report_b, organisation_id=bank_b.id, indicator_ids=[indicator_b]
    )
    request_b = draft_request(db_session, lead, asked).reference
    send_request(db_session, lead, request_b)
    hash_bank = create_bank(db_session, staff("admin:root"), "CSAM known", "child", "Bank B",
                            owner_organisation="Bank B")  # fmt: skip
    add_hashes(db_session, lead, hash_bank.id, [HashValue(Signal.MD5, "ab" * 16)], "test")
    alert_b = draft_alert(db_session, lead, campaign_uid_b).uid
    return World(
        receipt_a.code, receipt_a.secret, report_b, receipt_b.code,
        indicator_b, campaign_b, case_b.id, evidence.id, campaign_uid_b, request_b, bank_b.id,
        hash_bank.id, alert_b,
    )  # fmt: skip


@dataclass(frozen=True)
class Credentials:
    """How one caller signs its requests: a session cookie, a bearer token, a report secret."""

    name: str
    cookie: str | None = None
    token: str | None = None
    report_secret: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.report_secret:
            headers["X-Report-Secret"] = self.report_secret
        return headers


def signed_in(session: Session, name: str, role: str, **record: str) -> tuple[str, str]:
    """A real user of `role` (acting for a partner or organisation when named): a session
    cookie and an API token of theirs."""
    accounts.create_user(session, "cli:test", name, role, PASSWORD, **record)
    user = accounts.find_user(session, name)
    cookie = accounts.start_session(session, user)
    session.commit()
    return cookie, accounts.create_token(session, "cli:test", name, "machine").plaintext


@pytest.fixture
def outsiders(db_session: Session, world: World) -> list[Credentials]:
    """Every caller who may see none of B: anonymous, A's citizen, a partner agency's and an
    organisation's user (by their session) and machine (by their token)."""
    add_partner(db_session, "cli:test", "Thai CCIB", "TH")
    add_organisation(db_session, "cli:test", "Bank X", "bank")
    partner_cookie, partner_token = signed_in(db_session, "ccib", "partner", partner="Thai CCIB")
    bank_cookie, bank_token = signed_in(db_session, "bankx", "platform", organisation="Bank X")
    return [
        Credentials("anonymous"),
        Credentials("citizen holding A's secret", report_secret=world.secret_a),
        Credentials("partner user", cookie=partner_cookie),
        Credentials("partner token", token=partner_token),
        Credentials("platform user of organisation X", cookie=bank_cookie),
        Credentials("platform token of organisation X", token=bank_token),
    ]


@pytest.fixture
def app(settings: Settings, session_factory: sessionmaker[Session]) -> FastAPI:
    return create_app(settings=settings, session_factory=session_factory)


def object_routes(app: FastAPI) -> list[Endpoint]:
    """Every route that takes a path parameter: each names an object (or a figure). The static
    files (style sheets, scripts) are public by design and name no one's object."""
    return [
        endpoint
        for endpoint in endpoints(app)
        if endpoint.dependant.path_params and not endpoint.path.startswith("/static/")
    ]


def path_of(endpoint: Endpoint, values: dict[str, str]) -> str:
    path = endpoint.path_format
    for param in endpoint.dependant.path_params:
        assert param.name in values, f"{endpoint.path}: give `{param.name}` a value of B's"
        path = path.replace(f"{{{param.name}}}", values[param.name])
    return path


@pytest.fixture
def web(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def call(web: TestClient, settings: Settings, who: Credentials, method: str, path: str) -> Any:
    """One request as `who`, with a valid CSRF token on forms (so only access can refuse)."""
    key = csrf.signing_key(settings.secret_key, settings.data_dir)
    nonce = csrf.new_nonce()
    web.cookies.clear()
    web.cookies.set(csrf.CSRF_COOKIE, nonce)
    if who.cookie:
        web.cookies.set(SESSION_COOKIE, who.cookie)
    form = {csrf.CSRF_FIELD: csrf.issue_token(key, nonce)}
    if method in ("GET", "HEAD", "DELETE"):
        return web.request(method, path, headers=who.headers(), follow_redirects=False)
    return web.request(method, path, data=form, headers=who.headers(), follow_redirects=False)


def state_of_b(session: Session, world: World) -> tuple[Any, ...]:
    """What a change to B, its case or its evidence would alter."""
    session.expire_all()
    report = session.get(Report, world.report_b)
    assert report is not None

    def count(model: Any) -> int:
        return session.scalar(select(func.count()).select_from(model)) or 0

    return (
        report.status, report.category, report.urgency, report.assignee, count(ReportNote),
        count(CaseNote), count(CaseReport), count(CaseCampaign), count(CustodyEntry),
        session.scalars(select(User.username).where(User.disabled.is_(True))).all(),
        session.scalars(select(ApiToken.id).where(ApiToken.revoked_at.is_not(None))).all(),
        session.scalars(select(OrgRequest.status)).all(), count(OrgRequestEvent),
        session.scalars(select(BankHash.value).order_by(BankHash.id)).all(), count(BankAccess),
    )  # fmt: skip


def test_no_outsider_reads_or_changes_b_by_any_route(
    app: FastAPI,
    web: TestClient,
    settings: Settings,
    db_session: Session,
    world: World,
    outsiders: list[Credentials],
) -> None:
    routes = object_routes(app)
    assert len(routes) >= 20  # reports, cases, campaigns, evidence, the dashboard's figures…
    # Another's token: the partner's machine's, which no other outsider may revoke.
    values = world.path_values() | {
        "token_id": str(db_session.scalar(func.min(ApiToken.id))),
        # The partner agency's own record: no outsider may change its sharing policy.
        "partner_id": str(db_session.scalar(func.min(Partner.id))),
    }
    before = state_of_b(db_session, world)
    crossed: list[str] = []
    for who in outsiders:
        for endpoint in routes:
            path = path_of(endpoint, values)
            for method in sorted(endpoint.methods):
                answer = call(web, settings, who, method, path)
                if answer.status_code not in (401, 403, 404) or MARKER in answer.text:
                    crossed.append(f"{method} {path} as {who.name}: {answer.status_code}")
    assert crossed == []
    assert state_of_b(db_session, world) == before


def test_staff_read_b_by_the_same_routes(
    app: FastAPI, web: TestClient, settings: Settings, db_session: Session, world: World
) -> None:
    """The refusals above are about the caller: an analyst's session opens B's pages."""
    cookie, _ = signed_in(db_session, "lan", "analyst")
    analyst = Credentials("analyst", cookie=cookie)
    values = world.path_values()
    pages = (
        "/reports/{report_id}",
        "/campaigns/{uid}",
        "/api/v1/campaigns/{uid}/graph",
    )
    for page in pages:
        answer = call(web, settings, analyst, "GET", page.format(**values))
        assert answer.status_code == 200, page
        assert MARKER in answer.text, page
    for page in (
        "/cases/{case_id}",
        "/evidence/{evidence_id}",
        "/requests/{reference}",
        "/alerts/{alert_uid}/edit",
    ):
        assert call(web, settings, analyst, "GET", page.format(**values)).status_code == 200


def test_a_citizens_secret_opens_her_report_only(
    web: TestClient, settings: Settings, world: World
) -> None:
    citizen = Credentials("citizen", report_secret=world.secret_a)
    own = call(web, settings, citizen, "GET", f"/api/v1/reports/{world.code_a}")
    other = call(web, settings, citizen, "GET", f"/api/v1/reports/{world.code_b}")
    assert (own.status_code, own.json()["code"]) == (200, world.code_a)
    assert other.status_code == 404
    assert world.code_b not in other.text


# --- the same rule in the repositories --------------------------------------------------------


def test_reads_given_an_outsider_find_nothing(
    db_session: Session, world: World, settings: Settings
) -> None:
    partner = Principal(90, "ccib", Role.PARTNER, "token", partner_id=1)
    platform = Principal(91, "bankx", Role.PLATFORM, "session", organisation_id=1)
    holder = holder_of(db_session, world.code_a, world.secret_a)
    callers: list[Caller] = [None, holder, partner, platform]
    week = last_days(7, utc_now())
    for caller in callers:
        assert readable_report(db_session, caller, world.report_b) is None
        own = 1 if caller is holder else 0  # her own report counts for her, and no other
        assert dashboard_figures(db_session, caller, week).total_reports == own
        assert attached_to_report(db_session, caller, world.report_b) == []
        assert list_cases(db_session, caller).rows == []
        with pytest.raises(NotFound):
            get_case(db_session, caller, world.case_b)
        with pytest.raises(NotFound):  # a case's add-by-code finds no report it may not read
            report_of_code(db_session, caller, world.code_b)
        assert readable_report_by_code(db_session, caller, world.code_b) is None
        assert readable_alert(db_session, caller, world.alert_b) is None  # a draft
        with pytest.raises(NotFound):
            get_evidence(db_session, caller, world.evidence_b)
        with pytest.raises(NotFound):
            indicator_detail(db_session, caller, world.indicator_b)
        assert indicator_page(db_session, caller, None, None, None, 10).items == []
        asking = caller
        if asking is platform:  # another organisation than Bank B, whatever the ids
            asking = Principal(
                91, "bankx", Role.PLATFORM, "session", organisation_id=world.bank_b + 1
            )
        assert list_requests(db_session, asking) == []
        assert list_banks(db_session, asking) == []  # Bank B's hash bank, nobody else's
        assert match(db_session, asking, [HashValue(Signal.MD5, "ab" * 16)]) == [[]]
        with pytest.raises(NotFound):
            view_request(db_session, asking, world.request_b)
    for outsider in (partner, platform):
        assert queue_page(db_session, outsider, QueueFilter(), PageRequest()).items == []
        assert list_campaigns(db_session, outsider, "largest", None).total == 0
        with pytest.raises(NotFound):
            view_report(db_session, outsider, world.report_b)
        with pytest.raises(NotFound):
            view_campaign(db_session, outsider, world.campaign_uid_b, 1)


def test_a_report_holder_reads_her_report_and_no_other(db_session: Session, world: World) -> None:
    holder = holder_of(db_session, world.code_a, world.secret_a)
    assert isinstance(holder, ReportHolder)
    codes = [report.code for report in db_session.scalars(readable_reports(holder))]
    assert codes == [world.code_a]
    queue = queue_page(db_session, holder, QueueFilter(), PageRequest())
    assert [item.row.code for item in queue.items] == [world.code_a]
    with pytest.raises(NotFound):  # A's secret does not open B
        holder_of(db_session, world.code_b, world.secret_a)


def test_staff_read_everything(db_session: Session, world: World) -> None:
    analyst = staff("analyst:lan")
    assert len(db_session.scalars(readable_reports(analyst)).all()) == 3
    assert readable_report(db_session, analyst, world.report_b) is not None
    assert readable_alert(db_session, analyst, world.alert_b) is not None
    assert get_case(db_session, analyst, world.case_b).id == world.case_b
    assert world.code_b in [
        r.code for r in indicator_detail(db_session, analyst, world.indicator_b).reports
    ]
    listing = list_campaigns(db_session, analyst, "largest", None)
    assert [uid for _, _, uid in listing.campaigns] == [world.campaign_uid_b]


# --- the indicator feed: an organisation's agreement, and no one else -------------------------


def test_the_feed_gives_an_organisation_its_agreement_and_others_nothing(
    web: TestClient,
    settings: Settings,
    db_session: Session,
    world: World,
    outsiders: list[Credentials],
) -> None:
    """B's indicator, confirmed, is in the feed. Organisation X receives it only once its
    agreement names both its kind and its category; every other outsider is refused."""
    review_indicator(
        db_session, staff("analyst:an"), world.report_b, world.indicator_b, "confirmed", settings
    )
    record = db_session.get(IndicatorRecord, world.indicator_b)
    report = db_session.get(Report, world.report_b)
    assert record is not None
    assert report is not None
    kind, category, value = record.kind, report.category, record.value
    other_kinds = frozenset(KINDS) - {kind}
    other_categories = frozenset(CATEGORIES) - {category}
    agreements = [  # (kinds, categories): X gets B's indicator under the last one only
        (frozenset(), frozenset()),
        (other_kinds, frozenset(CATEGORIES)),
        (frozenset(KINDS), other_categories),
        (frozenset({kind}), frozenset({category})),
    ]
    bank = next(who for who in outsiders if who.name == "platform token of organisation X")
    pulls = []
    for kinds, categories in agreements:
        set_agreement(db_session, "cli:test", "Bank X", AgreementChange(kinds, categories, 0))
        answer = call(web, settings, bank, "GET", "/api/v1/feeds/indicators?format=csv")
        pulls.append((answer.status_code, value in answer.text))
    assert pulls == [(200, False), (200, False), (200, False), (200, True)]
    for who in outsiders:
        if who.name.startswith("platform"):
            continue
        answer = call(web, settings, who, "GET", "/api/v1/feeds/indicators")
        assert answer.status_code in (401, 403), who.name
        assert value not in answer.text
    callers: list[Caller] = [
        None,
        holder_of(db_session, world.code_a, world.secret_a),
        Principal(90, "ccib", Role.PARTNER, "token", 1, partner_id=1),
        staff("admin:root"),
    ]
    everything = FeedFilter(tuple(KINDS), ALL_CATEGORIES_MASK, 0)
    for caller in callers:
        statement = readable_entries(db_session, caller, everything, None, 2**62)
        assert db_session.execute(statement).all() == []
