"""The alert workflow: drafted from a campaign, reviewed by someone else, published, updated
through a review, refreshed, withdrawn; every change audited."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.alerts.factories import (
    ACCOUNT,
    ANALYST,
    OWN_CANONICAL,
    SCAMMER_CANONICAL,
    SUPERVISOR,
    police_ring,
    published,
)
from tests.conftest import ReportMaker
from tests.principals import staff

from tipline.alerts import service
from tipline.alerts.schemas import AlertEdit, AlertValue
from tipline.audit.models import AuditEntry
from tipline.errors import Conflict, InvalidInput, NotFound, NotPermitted


def actions(session: Session) -> list[tuple[str, str]]:
    entries = session.scalars(select(AuditEntry).order_by(AuditEntry.sequence))
    return [(e.actor, e.action) for e in entries if e.action.startswith("alert.")]


def edit_of(alert: service.Alert, title: str, values: list[tuple[str, str]]) -> AlertEdit:
    texts = {lang: dict(fields) | {"title": title} for lang, fields in alert.texts.items()}
    return AlertEdit(texts=texts, indicators=[AlertValue(kind=k, value=v) for k, v in values])


def test_a_draft_starts_from_the_campaign_without_the_victims_own_phone(
    db_session: Session, make_report: ReportMaker
) -> None:
    ring = police_ring(make_report, db_session)
    alert = service.draft_alert(db_session, ANALYST, ring.campaign_uid)
    assert (alert.status, alert.category, alert.version) == ("draft", "fraud.impersonation", 0)
    values = {(v["kind"], v["value"]) for v in alert.indicators}
    assert ("phone", SCAMMER_CANONICAL) in values
    assert any(kind == "bank_account" and ACCOUNT in value for kind, value in values)
    assert all(value != OWN_CANONICAL for _, value in values)
    assert alert.texts["vi"]["title"].startswith("Cảnh báo")
    assert alert.texts["en"]["title"] == "Warning: Impersonation of officials or banks"
    assert alert.report_count == 3
    assert actions(db_session) == [("analyst:lan", "alert.draft")]


def test_the_author_cannot_publish_her_own_alert(
    db_session: Session, make_report: ReportMaker
) -> None:
    ring = police_ring(make_report, db_session)
    author = staff("supervisor:minh", 3)
    alert = service.draft_alert(db_session, author, ring.campaign_uid)
    service.submit_alert(db_session, author, alert.uid)
    with pytest.raises(NotPermitted):
        service.publish_alert(db_session, author, alert.uid)
    with pytest.raises(NotPermitted):  # the same person in another role
        service.publish_alert(db_session, staff("admin:minh", 3), alert.uid)
    done = service.publish_alert(db_session, staff("supervisor:thu", 4), alert.uid)
    assert (done.status, done.version, done.reviewer) == ("published", 1, "supervisor:thu")


def test_only_a_submitted_alert_is_published(db_session: Session, make_report: ReportMaker) -> None:
    ring = police_ring(make_report, db_session)
    alert = service.draft_alert(db_session, ANALYST, ring.campaign_uid)
    with pytest.raises(Conflict):
        service.publish_alert(db_session, SUPERVISOR, alert.uid)
    with pytest.raises(Conflict):
        service.withdraw_alert(db_session, SUPERVISOR, alert.uid)


def test_anyone_reads_published_alerts_only(db_session: Session, make_report: ReportMaker) -> None:
    ring = police_ring(make_report, db_session)
    draft = service.draft_alert(db_session, ANALYST, ring.campaign_uid)
    with pytest.raises(NotFound):
        service.published_alert(db_session, None, draft.uid)
    assert service.published_alerts(db_session, None) == []
    assert service.staff_alert(db_session, ANALYST, draft.uid).uid == draft.uid
    with pytest.raises(NotFound):
        service.staff_alert(db_session, None, draft.uid)  # type: ignore[arg-type]
    live = published(db_session, ring)
    assert [a.uid for a in service.published_alerts(db_session, None)] == [live.uid]


def test_an_update_waits_for_review_while_the_public_reads_the_published_copy(
    db_session: Session, make_report: ReportMaker
) -> None:
    ring = police_ring(make_report, db_session)
    alert = published(db_session, ring)
    first_title = alert.texts["en"]["title"]
    service.edit_alert(
        db_session, ANALYST, alert.uid, edit_of(alert, "Fake police: new numbers",
                                                 [("phone", SCAMMER_CANONICAL)]),
    )  # fmt: skip
    assert (alert.status, alert.pending) == ("published", "draft")
    public = service.public_read(service.published_alert(db_session, None, alert.uid), "")
    assert (public.texts["en"].title, public.version) == (first_title, 1)
    service.submit_alert(db_session, ANALYST, alert.uid)
    service.publish_alert(db_session, SUPERVISOR, alert.uid)
    public = service.public_read(service.published_alert(db_session, None, alert.uid), "")
    assert (public.texts["en"].title, public.version) == ("Fake police: new numbers", 2)
    assert [v.value for v in public.indicators] == [SCAMMER_CANONICAL]
    assert service.alerts_naming(db_session, None, [("phone", SCAMMER_CANONICAL)], "en")
    bank = [("bank_account", v["value"]) for v in alert.indicators if v["kind"] == "bank_account"]
    assert service.alerts_naming(db_session, None, bank, "en") == []


def test_an_alert_names_only_the_campaigns_shareable_values(
    db_session: Session, make_report: ReportMaker
) -> None:
    ring = police_ring(make_report, db_session)
    alert = service.draft_alert(db_session, ANALYST, ring.campaign_uid)
    with pytest.raises(InvalidInput):
        service.edit_alert(db_session, ANALYST, alert.uid,
                           edit_of(alert, "x", [("phone", OWN_CANONICAL)]))  # fmt: skip
    with pytest.raises(InvalidInput):  # typed by hand into the words
        service.edit_alert(db_session, ANALYST, alert.uid,
                           edit_of(alert, "Call 0905 111 222", []))  # fmt: skip


def test_figures_refresh_by_themselves_and_new_values_wait_for_an_edit(
    db_session: Session, make_report: ReportMaker
) -> None:
    ring = police_ring(make_report, db_session)
    alert = published(db_session, ring)
    make_report("Số 0987 654 321 lại gọi, đòi chuyển vào STK 1122334455 Techcombank.")
    assert service.refresh_figures(db_session) == 1
    assert alert.report_count == 4
    added = service.new_values(db_session, ANALYST, alert)
    assert [c.kind for c in added] == ["bank_account"]
    assert service.refresh_figures(db_session) == 0


def test_withdrawal_takes_the_alert_off_every_public_door(
    db_session: Session, make_report: ReportMaker
) -> None:
    ring = police_ring(make_report, db_session)
    alert = published(db_session, ring)
    service.withdraw_alert(db_session, SUPERVISOR, alert.uid)
    assert service.published_alerts(db_session, None) == []
    assert service.alerts_naming(db_session, None, [("phone", SCAMMER_CANONICAL)], "vi") == []
    with pytest.raises(NotFound):
        service.published_alert(db_session, None, alert.uid)
    assert actions(db_session) == [
        ("analyst:lan", "alert.draft"), ("analyst:lan", "alert.submit"),
        ("supervisor:minh", "alert.publish"), ("supervisor:minh", "alert.withdraw"),
    ]  # fmt: skip
    details = [json.loads(e.details_json) for e in db_session.scalars(select(AuditEntry))]
    assert all(OWN_CANONICAL not in json.dumps(d) for d in details)
