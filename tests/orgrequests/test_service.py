"""Requests to organisations through the service: proposed organisations, drafts (one report,
a whole campaign at one bank), send, seen, answer with files, cancel, reminders, the audit."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.orgrequests.conftest import Desk
from tests.principals import staff

from tipline.audit.models import AuditEntry
from tipline.db_types import utc_now
from tipline.errors import Conflict, InvalidInput, NotFound
from tipline.evidence.models import CustodyEntry, Evidence
from tipline.evidence.service import Upload
from tipline.orgrequests import service
from tipline.orgrequests.core import answers_for, bank_code_of, host_of
from tipline.orgrequests.models import WebhookDelivery
from tipline.orgrequests.organisations import set_answers_for
from tipline.orgrequests.outcomes import follow_lines, organisation_figures
from tipline.orgrequests.schemas import AnswerCreate, RequestCreate
from tipline.principals import Principal, ReportHolder, Role
from tipline.settings import Settings

LAN = staff("analyst:lan")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)


def bank_user(organisation_id: int, name: str = "vcb") -> Principal:
    return Principal(7, name, Role.PLATFORM, "session", organisation_id=organisation_id)


def test_which_organisation_answers_for_what() -> None:
    assert bank_code_of("bank_account", "VCB:0123456789") == "VCB"
    assert bank_code_of("bank_account", "UNKNOWN:0123456789") is None
    assert host_of("url", "https://m.facebook.com/x/y") == "m.facebook.com"
    assert host_of("social", "facebook:lua.dao") == "facebook"
    assert answers_for("url", "https://m.facebook.com/x", "", "facebook.com,facebook")
    assert answers_for("social", "facebook:lua.dao", "", "facebook.com,facebook")
    assert not answers_for("url", "https://notfacebook.com/x", "", "facebook.com")
    assert answers_for("phone", "+84981234567", "+8498,+8496", "")
    assert not answers_for("phone", "+84912345678", "+8498,+8496", "")


def test_the_organisation_is_proposed_from_the_indicator(db_session: Session, desk: Desk) -> None:
    found = service.proposals(db_session, LAN, RequestCreate(campaign_uid=desk.campaign))
    proposed = {p.indicator.value: (p.organisation.name if p.organisation else None, p.type)
                for p in found}  # fmt: skip
    assert proposed == {
        "+84981234567": ("Viettel", "suspend"),
        "VCB:0123456789": ("Vietcombank", "freeze"),
        "VCB:9988776655": ("Vietcombank", "freeze"),
        "TCB:5566778899": ("Techcombank", "freeze"),
    }
    assert service.propose(db_session, "social", "facebook:lua.dao") == desk.meta


def test_every_account_of_a_campaign_at_one_bank_in_one_request(
    db_session: Session, desk: Desk
) -> None:
    data = RequestCreate(campaign_uid=desk.campaign, organisation_id=desk.vcb.id)
    request = service.draft_request(db_session, LAN, data)
    view = service.view_request(db_session, LAN, request.reference)
    lines = {line.value: line.amount for line in view.lines}
    # 0123456789 is named by both victims: their losses summed; 9988776655 by the first only.
    assert lines == {"VCB:0123456789": Decimal("28000000.00"),
                     "VCB:9988776655": Decimal("15000000.00")}  # fmt: skip
    assert (request.type, request.status, view.organisation) == ("freeze", "draft", "Vietcombank")
    assert request.reference.startswith("YC-")
    assert [e.action for e in view.events] == ["drafted"]


def test_a_draft_from_a_report_proposes_the_telecom(db_session: Session, desk: Desk) -> None:
    phone = next(
        p.indicator.indicator_id
        for p in service.proposals(db_session, LAN, RequestCreate(report_id=desk.first.id))
        if p.indicator.kind == "phone"
    )
    data = RequestCreate(report_id=desk.first.id, indicator_ids=[phone])
    request = service.draft_request(db_session, LAN, data)
    assert (request.organisation_id, request.type) == (desk.viettel.id, "suspend")
    with pytest.raises(InvalidInput) as nothing:
        service.draft_request(db_session, LAN, RequestCreate(report_id=desk.first.id))
    assert nothing.value.field == "indicator_ids"
    with pytest.raises(InvalidInput) as basis:
        service.draft_request(db_session, LAN, data.model_copy(update={"type": "disclose"}))
    assert basis.value.field == "legal_basis"


def test_send_seen_answer_with_a_file(db_session: Session, desk: Desk, settings: Settings) -> None:
    data = RequestCreate(campaign_uid=desk.campaign, organisation_id=desk.vcb.id)
    reference = service.draft_request(db_session, LAN, data).reference
    bank, other = bank_user(desk.vcb.id), bank_user(desk.tcb.id, "tcb")
    with pytest.raises(NotFound):  # a draft is not the bank's to read
        service.view_request(db_session, bank, reference)
    sent = service.send_request(db_session, LAN, reference)
    assert sent.sent_at is not None
    assert sent.due_at == sent.sent_at + timedelta(hours=1)  # VCB promised an hour
    with pytest.raises(NotFound):
        service.view_request(db_session, other, reference)
    assert service.view_request(db_session, bank, reference).request.status == "seen"
    answer = AnswerCreate(outcome="done", org_reference="VCB-77", amount_frozen=Decimal(21e6))
    upload = Upload([PNG], "phong-toa.png", "image/png")
    with pytest.raises(NotFound):  # staff do not answer for the bank
        service.answer_request(db_session, LAN, reference, answer)
    done = service.answer_request(db_session, bank, reference, answer, [upload], settings)
    assert (done.status, done.outcome, done.amount_frozen) == ("answered", "done", Decimal(21e6))
    view = service.view_request(db_session, LAN, reference)
    assert [e.action for e in view.events] == ["drafted", "sent", "seen", "answered"]
    assert [e.actor for e in view.events] == ["analyst:lan"] * 2 + ["platform:vcb"] * 2
    ((kept, sha256),) = view.files
    evidence = db_session.get(Evidence, kept.evidence_id)
    assert evidence is not None
    assert evidence.sha256 == sha256
    custody = db_session.scalars(
        select(CustodyEntry).where(CustodyEntry.evidence_id == evidence.id)
    ).one()
    assert (custody.action, custody.actor, custody.details["org_request"]) == (
        "received", "platform:vcb", reference)  # fmt: skip
    actions = db_session.scalars(
        select(AuditEntry.action).where(AuditEntry.target_type == "org_request")
        .order_by(AuditEntry.sequence)
    ).all()  # fmt: skip
    assert actions == ["request.drafted", "request.sent", "request.seen", "request.answered"]
    with pytest.raises(Conflict):
        service.cancel_request(db_session, LAN, reference)


def test_the_follow_line_is_the_victims_own(db_session: Session, desk: Desk) -> None:
    data = RequestCreate(campaign_uid=desk.campaign, organisation_id=desk.tcb.id)
    reference = service.draft_request(db_session, LAN, data).reference
    assert follow_lines(db_session, ReportHolder(desk.second.id)) == []  # a draft says nothing yet
    service.send_request(db_session, LAN, reference)
    (line,) = follow_lines(db_session, ReportHolder(desk.second.id))
    assert (line.type, line.organisation, line.status) == ("freeze", "Techcombank", "sent")
    assert follow_lines(db_session, ReportHolder(desk.first.id)) == []  # her accounts are at VCB
    answer = AnswerCreate(outcome="done", amount_frozen=Decimal(5e6))
    service.answer_request(db_session, bank_user(desk.tcb.id), reference, answer)
    (line,) = follow_lines(db_session, ReportHolder(desk.second.id))
    # A request about the campaign: the bank's total is not hers to see.
    assert (line.status, line.outcome, line.amount_frozen) == ("answered", "done", None)


def test_overdue_requests_are_reminded_once(db_session: Session, desk: Desk) -> None:
    data = RequestCreate(campaign_uid=desk.campaign, organisation_id=desk.vcb.id)
    request = service.send_request(
        db_session, LAN, service.draft_request(db_session, LAN, data).reference
    )
    assert request.due_at is not None
    assert service.remind_overdue(db_session, "cli:t", request.due_at) == []
    late = request.due_at + timedelta(minutes=5)
    assert service.remind_overdue(db_session, "cli:t", late) == [request.reference]
    assert service.remind_overdue(db_session, "cli:t", late + timedelta(hours=1)) == []
    assert service.list_requests(db_session, LAN, "overdue") == []  # due in an hour
    request.due_at = utc_now() - timedelta(minutes=1)
    other = RequestCreate(campaign_uid=desk.campaign, organisation_id=desk.tcb.id)
    service.draft_request(db_session, LAN, other)
    overdue = service.list_requests(db_session, LAN, "overdue")
    assert [(r.reference, late_now) for r, _, late_now in overdue] == [(request.reference, True)]
    mine = service.list_requests(db_session, bank_user(desk.vcb.id), "overdue")
    assert [r.reference for r, _, _ in mine] == [request.reference]
    assert service.list_requests(db_session, bank_user(desk.tcb.id), "overdue") == []
    (figures,) = organisation_figures(db_session, desk.vcb.id, late)
    assert (figures.sent, figures.open, figures.overdue, figures.answered) == (1, 1, 1, 0)


def test_cancel_and_who_may_not(db_session: Session, desk: Desk) -> None:
    data = RequestCreate(campaign_uid=desk.campaign, organisation_id=desk.vcb.id)
    reference = service.draft_request(db_session, LAN, data).reference
    for outsider in (bank_user(desk.vcb.id), None):
        with pytest.raises(NotFound):
            service.send_request(db_session, outsider, reference)  # type: ignore[arg-type]
    assert service.cancel_request(db_session, LAN, reference).status == "cancelled"
    with pytest.raises(Conflict):
        service.send_request(db_session, LAN, reference)


def test_sending_queues_the_banks_webhook(db_session: Session, desk: Desk) -> None:
    desk.vcb.webhook_url = "https://bank.example/tipline"
    data = RequestCreate(campaign_uid=desk.campaign, organisation_id=desk.vcb.id)
    reference = service.draft_request(db_session, LAN, data).reference
    service.send_request(db_session, LAN, reference)
    service.cancel_request(db_session, LAN, reference)
    queued = db_session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()
    assert [(d.event, d.organisation_id) for d in queued] == [
        ("request.sent", desk.vcb.id), ("request.cancelled", desk.vcb.id)]  # fmt: skip
    body = json.loads(queued[0].body)
    assert body["data"]["reference"] == reference
    assert sorted(line["value"] for line in body["data"]["lines"]) == [
        "VCB:0123456789", "VCB:9988776655"]  # fmt: skip
    assert "Người gọi" not in queued[0].body  # no victim's words


def test_what_an_organisation_answers_for_is_set_and_checked(
    db_session: Session, desk: Desk
) -> None:
    meta = set_answers_for(db_session, "cli:t", "Meta", domains="Instagram.com, instagram",
                                   hours={"takedown": 6})  # fmt: skip
    assert (meta.domains, meta.response_hours) == ("instagram.com,instagram", {"takedown": 6})
    assert service.propose(db_session, "social", "instagram:shop.lua") == meta
    with pytest.raises(Conflict) as taken:
        set_answers_for(db_session, "cli:t", "Techcombank", bank_code="vcb")
    assert taken.value.field == "bank_code"
    with pytest.raises(InvalidInput):
        set_answers_for(db_session, "cli:t", "Meta", hours={"unfreeze": 1})
