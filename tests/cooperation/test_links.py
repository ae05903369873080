"""Linking reports (by tracking code), campaigns and indicators to a cooperation request, and
removing them: the service, the API and the request's page, audited and in both languages."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.cooperation.test_service import LAN, preservation
from tests.principals import staff

from tipline.audit.models import AuditEntry
from tipline.campaigns.service import campaign_uid_of
from tipline.cooperation import service
from tipline.cooperation.links import LinkTarget, add_link, remove_link
from tipline.errors import Conflict, InvalidInput, NotFound
from tipline.principals import Principal, Role
from tipline.reports.models import Report

FIRST = (
    "Người gọi từ số 0981 234 567 tự xưng nhân viên ngân hàng bảo tôi chuyển 15.000.000đ vào "
    "STK 0123456789 Vietcombank."
)
SECOND = "Số 0981 234 567 gọi, bảo tôi chuyển 8.000.000đ vào STK 0123456789 Vietcombank."


@pytest.fixture
def two_reports(db_session: Session, make_report: Callable[..., Any]) -> list[Report]:
    codes = [make_report(FIRST).code, make_report(SECOND).code]
    return [db_session.scalars(select(Report).where(Report.code == c)).one() for c in codes]


def test_link_and_unlink_reports_campaigns_and_indicators(
    db_session: Session, two_reports: list[Report]
) -> None:
    first = two_reports[0]
    campaign = campaign_uid_of(db_session, first.id)
    assert campaign is not None
    ref = service.create_request(db_session, LAN, preservation(requested_authority="FBI")).reference
    typed_code = first.code.lower().replace("-", " ")  # as a person may type it
    add_link(db_session, LAN, ref, LinkTarget(report_code=typed_code))
    add_link(db_session, LAN, ref, LinkTarget(campaign_uid=campaign))
    add_link(db_session, LAN, ref, LinkTarget(indicator="VCB:0123456789"))
    add_link(db_session, LAN, ref, LinkTarget(indicator="0981 234 567"))
    view = service.view_request(db_session, LAN, ref)
    assert [(link.kind, link.label) for link in view.links] == [
        ("report", first.code),
        ("campaign", ""),
        ("indicator", "bank_account: VCB:0123456789"),
        ("indicator", "phone: +84981234567"),
    ]
    phone = view.links[3]
    remove_link(
        db_session, staff("supervisor:an"), ref, LinkTarget(indicator_id=phone.indicator_id)
    )
    view = service.view_request(db_session, LAN, ref)
    assert [link.kind for link in view.links] == ["report", "campaign", "indicator"]
    assert [(e.action, e.actor) for e in view.events] == [
        ("create", "analyst:lan"),
        *[("link", "analyst:lan")] * 4,
        ("unlink", "supervisor:an"),
    ]
    assert view.events[1].details == {"report_id": first.id, "code": first.code}
    audited = db_session.execute(
        select(AuditEntry.action, AuditEntry.details_json).where(
            AuditEntry.action.in_(["cooperation.link", "cooperation.unlink"])
        )
    ).all()
    assert [action for action, _ in audited] == ["cooperation.link"] * 4 + ["cooperation.unlink"]
    # A step names an indicator by its id and kind, never by its value.
    assert not [d for _, d in audited if "0123456789" in str(d) or "981234567" in str(d)]


def test_links_refuse_what_they_cannot_name(db_session: Session, two_reports: list[Report]) -> None:
    ref = service.create_request(db_session, LAN, preservation(requested_authority="FBI")).reference
    add_link(db_session, LAN, ref, LinkTarget(indicator="VCB:0123456789"))
    cases: list[tuple[LinkTarget, type[Exception], str]] = [
        (LinkTarget(indicator="VCB:0123456789"), Conflict, "link"),
        (LinkTarget(report_code="TL-AAAA-AAAA"), NotFound, "report_code"),
        (LinkTarget(indicator="VCB:1111111111"), NotFound, "indicator"),  # named by no report
        (LinkTarget(indicator="hello"), InvalidInput, "indicator"),
        (LinkTarget(report_code=two_reports[0].code, indicator="x"), InvalidInput, "link"),
        (LinkTarget(), InvalidInput, "link"),
    ]
    for target, error, field in cases:
        with pytest.raises(error) as raised:
            add_link(db_session, LAN, ref, target)
        assert raised.value.field == field  # type: ignore[attr-defined]
        db_session.rollback()
    with pytest.raises(NotFound):
        remove_link(db_session, LAN, ref, LinkTarget(report_id=two_reports[1].id))
    partner = Principal(2, "p", Role.PARTNER, "token", partner_id=1)
    with pytest.raises(NotFound):
        add_link(db_session, partner, ref, LinkTarget(report_id=two_reports[1].id))
    service.change_status(db_session, LAN, ref, "closed")
    with pytest.raises(Conflict):
        add_link(db_session, LAN, ref, LinkTarget(report_id=two_reports[1].id))


def test_the_api_links_and_unlinks(client_as: Any, client: Any, two_reports: list[Report]) -> None:
    analyst = client_as("analyst")
    body = {"direction": "outgoing", "type": "disclosure", "requesting_authority": "A05",
            "requested_authority": "FBI"}  # fmt: skip
    ref = analyst.post("/api/v1/cooperation", json=body).json()["reference"]
    first, second = two_reports
    linked = analyst.post(f"/api/v1/cooperation/{ref}/links", json={"report_code": first.code})
    assert (linked.status_code, linked.json()["report_ids"]) == (200, [first.id])
    found = analyst.post(f"/api/v1/cooperation/{ref}/links", json={"indicator": "VCB:0123456789"})
    (indicator_id,) = found.json()["indicator_ids"]
    again = analyst.post(f"/api/v1/cooperation/{ref}/links", json={"report_id": first.id})
    assert again.status_code == 409
    two = analyst.post(
        f"/api/v1/cooperation/{ref}/links", json={"report_id": second.id, "indicator_id": 1}
    )
    assert two.status_code == 422
    removed = analyst.delete(f"/api/v1/cooperation/{ref}/links?indicator_id={indicator_id}")
    assert (removed.status_code, removed.json()["indicator_ids"]) == (200, [])
    gone = analyst.delete(f"/api/v1/cooperation/{ref}/links?indicator_id={indicator_id}")
    assert gone.status_code == 404
    events = [e["action"] for e in analyst.get(f"/api/v1/cooperation/{ref}").json()["events"]]
    assert events == ["create", "link", "link", "unlink"]
    made = analyst.post("/api/v1/cooperation", json=body | {"indicator_ids": [indicator_id]})
    assert made.json()["indicator_ids"] == [indicator_id]
    for role in ("partner", "platform"):
        other = client_as(role, username=role)
        answer = other.post(f"/api/v1/cooperation/{ref}/links", json={"report_id": second.id})
        assert answer.status_code == 403
        assert other.delete(f"/api/v1/cooperation/{ref}/links?report_id=1").status_code == 403
    anonymous = client.post(f"/api/v1/cooperation/{ref}/links", json={"report_id": second.id})
    assert anonymous.status_code == 401
    schema = client.get("/api/v1/openapi.json").json()
    assert {"post", "delete"} <= set(schema["paths"]["/api/v1/cooperation/{reference}/links"])


def csrf_of(client: Any, path: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match is not None
    return match.group(1)


def test_the_page_links_and_unlinks_in_both_languages(
    client_as: Any, db_session: Session, two_reports: list[Report]
) -> None:
    client = client_as("analyst")
    made = service.create_request(db_session, LAN, preservation(requested_authority="FBI"))
    ref = made.reference
    path = f"/cooperation/{ref}"
    token = csrf_of(client, path)
    code = two_reports[0].code
    done = client.post(f"{path}/links", data={"csrf_token": token, "kind": "report", "value": code})
    assert done.status_code == 200  # followed to the page
    assert f'href="/reports/{two_reports[0].id}">Tin báo {code}</a>' in done.text
    assert "Đã liên kết." in done.text
    phone = {"csrf_token": token, "kind": "indicator", "value": "0981 234 567"}
    page = client.post(f"{path}/links", data=phone).text
    assert "phone: +84981234567" in page
    refused = client.post(f"{path}/links", data=phone)
    assert refused.status_code == 409
    assert "Mục này đã được liên kết với yêu cầu." in refused.text
    missing = {"csrf_token": token, "kind": "indicator", "value": "VCB:1111111111"}
    client.cookies.set("tipline_lang", "en")
    said = client.post(f"{path}/links", data=missing)
    assert said.status_code == 404
    assert 'id="coop-link-error" role="alert"' in said.text
    assert "That indicator is not on file: no report names it yet." in said.text
    assert 'value="VCB:1111111111"' in said.text  # what was typed is kept
    key = re.search(r'name="kind" value="indicator"><input type="hidden" name="key" value="(\d+)"',
                    page)  # fmt: skip
    assert key is not None
    form = {"csrf_token": token, "kind": "indicator", "key": key.group(1)}
    removed = client.post(f"{path}/links/removal", data=form)
    assert "The link is removed." in removed.text
    assert "+84981234567" not in removed.text.split('id="coop-history"')[0]
    history = removed.text.split('id="coop-history"')[1]
    assert (history.count(">Linked"), history.count(">Link removed")) == (2, 1)
