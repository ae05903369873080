"""Every workspace page, rendered in Vietnamese with real data on it, shows no raw identifier
(`phone`, `bank_account`, `fraud.loan`, `in_review`, `analyst:lan`) and no English leftover
(triage's reasons, "duplicate: False", "Critical")."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.principals import staff

from tipline.accounts.models import User
from tipline.campaigns.service import campaign_uid_of
from tipline.cases.service import add_note as add_case_note
from tipline.cases.service import create_case
from tipline.evidence.service import Upload, receive, store_of
from tipline.partners.service import add_organisation, add_partner
from tipline.reports.models import Report
from tipline.settings import Settings
from tipline.sharing.policies import PolicyChange, set_policy
from tipline.workspace import service

LAN = staff("analyst:lan")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)
NARRATIVES = (
    "Em 14 tuổi, có người nhắn Zalo 0987 654 321 đòi em gửi ảnh nóng, nếu không sẽ tung ảnh. "
    "Nó bảo chuyển 2.000.000đ vào STK 9988776655 Techcombank.",
    "Có người gọi từ số 0987 654 321 tự xưng công an, bảo tôi chuyển 15.000.000đ vào "
    "STK 9988776655 Techcombank để xác minh, tôi đã chuyển.",
)
# Words that are identifiers of the code or English, never Vietnamese (matched as whole words).
RAW = re.compile(
    r"\b(?:phone|bank_account|url|domain|email|crypto|social|fraud\.\w+|child_exploitation|"
    r"sextortion|harassment|hacking|in_review|triaged|new|closed|critical|high|normal|low|"
    r"True|False|None|null|duplicate|mentions|wording|aged|learned model|allowlisted|"
    r"analyst|supervisor|admin|received|verified|attached|web|import|partner|Critical|High|"
    r"Normal|Low|report\.\w+|case\.\w+|evidence\.\w+)\b"
)
# Shown as they are in every language: names of standards and file types.
ALLOWED = {"SHA-256", "CSV", "JSON", "PNG", "STIX", "MISP", "API", "Zalo", "Techcombank"}


class VisibleText(HTMLParser):
    """The text a person reads: element text, and the labels of buttons and options."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "code", "title"):
            self._hidden += 1
        names = dict(attrs)
        for name in ("placeholder", "aria-label", "title"):
            if names.get(name):
                self.parts.append(str(names[name]))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "code", "title"):
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def leftovers(html: str, own_text: tuple[str, ...]) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(parser.parts)
    for quoted in own_text:  # what the reporter wrote stays as she wrote it
        text = text.replace(quoted, " ")
    for word in ALLOWED:
        text = text.replace(word, " ")
    return sorted(set(RAW.findall(text)))


@dataclass(frozen=True)
class Desk:
    report: Report
    other: Report
    case_id: int
    evidence_id: int
    campaign: str
    partner_id: int


@pytest.fixture
def desk(db_session: Session, make_report: Callable[..., Any], settings: Settings) -> Desk:
    """Two reports sharing a phone and an account (a campaign), worked: claimed, corrected,
    noted, moved on; a case with both; a screenshot attached twice (a duplicate)."""
    for name, role in (("lan", "analyst"), ("hoa", "supervisor")):
        db_session.add(User(username=name, display_name=name, role=role, password_hash="-"))
    codes = [make_report(text, loss_amount=2_000_000).code for text in NARRATIVES]
    first, other = (
        db_session.scalars(select(Report).where(Report.code == code)).one() for code in codes
    )
    first.reporter_contact = "lan.phuong@example.vn"
    service.claim_report(db_session, LAN, first.id)
    service.correct_triage(db_session, LAN, other.id, "fraud.impersonation", "high")
    service.add_note(db_session, LAN, first.id, "Đã gọi lại cho gia đình.")
    service.change_status(db_session, LAN, first.id, "in_review")
    case = create_case(db_session, LAN, "Tống tiền học sinh", report_ids=[first.id, other.id])
    add_case_note(db_session, case.id, "Chờ ngân hàng phong toả.", LAN)
    for _ in range(2):
        evidence = receive(
            db_session, store_of(settings), Upload([PNG], "chat.png", "image/png"), LAN,
            settings.evidence_max_bytes, report_id=first.id,
        ).evidence  # fmt: skip
    campaign = campaign_uid_of(db_session, first.id)
    partner = add_partner(db_session, "cli:t", "Thai Police CCIB", "TH")
    narrow = PolicyChange("amber", ["fraud.investment"], ["phone", "url"], True)
    set_policy(db_session, "cli:t", partner.name, narrow)
    db_session.add(User(username="ccib", display_name="ccib", role="partner",
                        password_hash="-", partner_id=partner.id))  # fmt: skip
    add_organisation(db_session, "cli:t", "Vietcombank", "bank")
    return Desk(first, other, case.id, evidence.id, str(campaign), partner.id)


def workspace_pages(desk: Desk) -> list[str]:
    report, other = desk.report.id, desk.other.id
    pages = [
        "/queue", "/queue?sort=loss", "/queue?sort=age", "/queue?mine=1",
        f"/reports/{report}", f"/reports/{report}?contact=show", f"/reports/{other}",
        "/campaigns", f"/campaigns/{desk.campaign}", "/cases", f"/cases/{desk.case_id}",
        "/cases/new", f"/cases/add?report={report}", "/dashboard?days=30",
        f"/evidence/{desk.evidence_id}", "/admin/users", "/admin/tokens", "/audit",
        "/admin/partners", f"/admin/partners/{desk.partner_id}/policy", "/admin/organisations",
        "/no/such/page", "/reports/0",
    ]  # fmt: skip
    return pages


@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_every_workspace_page_in_vietnamese_has_no_raw_identifier_or_english(
    client_as: Any, desk: Desk, role: str
) -> None:
    client = client_as(role, "hoa" if role == "admin" else "lan")
    own = (desk.report.narrative, desk.other.narrative, "Tống tiền học sinh", "chat.png",
           "lan.phuong@example.vn")  # fmt: skip
    found: dict[str, list[str]] = {}
    for page in workspace_pages(desk):
        answer = client.get(page, params={"lang": "vi"}, headers={"Accept": "text/html"})
        if answer.status_code == 403:  # admin pages for the analyst
            continue
        assert answer.headers["content-type"].startswith("text/html"), page
        if words := leftovers(answer.text, own):
            found[page] = words
    assert found == {}


def test_the_check_catches_what_it_looks_for() -> None:
    page = "<td>phone</td><td>duplicate: False</td><td>mentions 'x'</td><td>analyst:lan</td>"
    assert leftovers(page, ()) == ["False", "analyst", "duplicate", "mentions", "phone"]
    assert leftovers("<td>Số điện thoại</td><code>fraud.loan</code>", ()) == []
