"""Alert use cases: an analyst drafts from a campaign and edits, submits for review; a supervisor
(never the author or the last editor) publishes or sends back; a published alert is updated
through the same review, its figures refresh by themselves, and it is withdrawn when over.
Every change is in the audit log."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy.orm import Session

from tipline.alerts import core, repository
from tipline.alerts.core import DRAFT, IN_REVIEW, PUBLISHED, WITHDRAWN, Candidate, Value
from tipline.alerts.models import Alert
from tipline.alerts.schemas import AlertBrief, AlertEdit, AlertPageRead, AlertRead, AlertStaffRead
from tipline.audit.service import record
from tipline.campaigns import repository as campaigns
from tipline.campaigns.summary import summarise_totals
from tipline.db_types import utc_now
from tipline.errors import InvalidInput, NotFound
from tipline.html.i18n import Translator
from tipline.indicators import extract
from tipline.indicators.schemas import AlertMention, CheckResult
from tipline.principals import Caller, Principal, is_staff

PAGE_SIZE = 20
SYSTEM = "system:alerts"
REFRESH_SECONDS = 300  # how often `tipline serve` brings published alerts' figures up to date
log = logging.getLogger("tipline.alerts")


def _translate(language: str, key: str) -> str:
    return Translator(language)(key)


@dataclass(frozen=True)
class CampaignFacts:
    """What an alert needs of its campaign, read as staff."""

    uid: UUID
    label: int
    category: str
    candidates: list[Candidate]
    private: frozenset[Value]
    contacts: list[str]


def _campaign(session: Session, caller: Principal, uid: UUID) -> CampaignFacts:
    current = campaigns.current_campaigns(session, [uid]).get(uid)
    if current is None or campaigns.campaign_size(session, caller, current.label) == 0:
        raise NotFound("no such campaign", field="campaign_uid")
    totals = summarise_totals(campaigns.campaign_totals(session, caller, [current.label]))
    common = totals[current.label].categories.most_common(1)
    contacts = repository.reporter_contacts(session, current.label)
    found = [Value(str(i.kind), i.value) for c in contacts for i in extract(c)]
    private = core.private_values(repository.own_values(session, current.label), found)
    allowed = core.eligible(repository.candidates(session, current.label), private)
    category = common[0][0] if common else "other"
    return CampaignFacts(current.uid, current.label, category, allowed, private, contacts)


def _private_texts(facts: CampaignFacts) -> list[str]:
    return [*facts.contacts, *(v.value for v in facts.private)]


def draft_alert(session: Session, caller: Principal, campaign_uid: UUID) -> Alert:
    """A new draft from a campaign: its dominant category, tipline's own words for that kind of
    scam and its advice, and the campaign's most named values that may be shown (audited)."""
    facts = _campaign(session, caller, campaign_uid)
    top = facts.candidates[:10]
    now = utc_now()
    count, last = repository.campaign_figures(session, facts.label)
    alert = Alert(
        uid=uuid4(), campaign_uid=facts.uid, category=facts.category, status=DRAFT,
        texts=core.prefill(_translate, facts.category, (c.kind for c in top)),
        indicators=[Value(c.kind, c.value).as_dict() for c in top], public=None, version=0,
        report_count=count, last_report_at=last, author=caller.actor, editor=caller.actor,
        created_at=now, updated_at=now,
    )  # fmt: skip
    session.add(alert)
    session.flush()
    details = {"campaign": str(facts.uid), "indicators": len(top)}
    record(session, caller.actor, "alert.draft", "alert", str(alert.uid), details)
    session.commit()
    return alert


def _changeable(session: Session, caller: Principal, uid: UUID, step: str) -> Alert:
    alert = repository.alert_for_update(session, caller, uid)
    if alert is None:
        raise NotFound("no such alert", field="uid")
    core.check_step(alert.status, alert.pending, step)
    return alert


def edit_alert(session: Session, caller: Principal, uid: UUID, edit: AlertEdit) -> Alert:
    """Change the working copy's words and values. A published alert keeps showing its
    published copy: the change waits as a draft for its own review (audited)."""
    alert = _changeable(session, caller, uid, "edit")
    facts = _campaign(session, caller, alert.campaign_uid)
    texts = core.clean_texts(edit.texts)
    if core.leaked(texts, _private_texts(facts)) is not None:
        raise InvalidInput("the texts hold a reporter's own contact or value", field="texts")
    wanted = [Value(v.kind, v.value) for v in edit.indicators]
    values = core.chosen(wanted, facts.candidates)
    alert.texts, alert.indicators = texts, [v.as_dict() for v in values]
    alert.campaign_uid, alert.editor, alert.updated_at = facts.uid, caller.actor, utc_now()
    if alert.status == PUBLISHED:
        alert.pending = DRAFT
    elif alert.status == IN_REVIEW:
        alert.status = DRAFT  # a change after submission needs submitting again
    details = {"indicators": len(values), "fields": sorted(core.FIELDS)}
    record(session, caller.actor, "alert.edit", "alert", str(uid), details)
    session.commit()
    return alert


def _move(alert: Alert, state: str) -> None:
    if alert.status == PUBLISHED:
        alert.pending = state
    else:
        alert.status = state


def submit_alert(session: Session, caller: Principal, uid: UUID) -> Alert:
    """Ask a supervisor to review the draft (or a published alert's change); audited."""
    alert = _changeable(session, caller, uid, "submit")
    _move(alert, IN_REVIEW)
    alert.updated_at = utc_now()
    record(session, caller.actor, "alert.submit", "alert", str(uid), {"version": alert.version})
    session.commit()
    return alert


def return_alert(session: Session, caller: Principal, uid: UUID) -> Alert:
    """A reviewer sends the alert back to its author as a draft; audited."""
    alert = _changeable(session, caller, uid, "return")
    _move(alert, DRAFT)
    alert.reviewer, alert.updated_at = caller.actor, utc_now()
    record(session, caller.actor, "alert.return", "alert", str(uid), {"version": alert.version})
    session.commit()
    return alert


def _snapshot(alert: Alert, at: datetime) -> dict[str, Any]:
    return {
        "category": alert.category,
        "texts": alert.texts,
        "indicators": alert.indicators,
        "at": at.isoformat(),
    }


def publish_alert(session: Session, caller: Principal, uid: UUID) -> Alert:
    """A supervisor who neither wrote nor last changed it publishes the reviewed copy: the
    public reads it from now on, and the check finds it by its values (audited)."""
    alert = _changeable(session, caller, uid, "publish")
    core.check_publisher(alert.author, alert.editor, caller.actor)
    facts = _campaign(session, caller, alert.campaign_uid)
    values = core.chosen(
        [Value(v["kind"], v["value"]) for v in alert.indicators], facts.candidates
    )  # a value that became someone's own since the draft stops the publication
    if core.leaked(alert.texts, _private_texts(facts)) is not None:
        raise InvalidInput("the texts hold a reporter's own contact or value", field="texts")
    now = utc_now()
    alert.public, alert.version = _snapshot(alert, now), alert.version + 1
    alert.status, alert.pending, alert.reviewer = PUBLISHED, None, caller.actor
    alert.published_at = alert.published_at or now
    alert.updated_at = now
    repository.replace_indicators(session, alert.id, values)
    details = {"version": alert.version, "indicators": len(values)}
    record(session, caller.actor, "alert.publish", "alert", str(uid), details)
    session.commit()
    return alert


def withdraw_alert(session: Session, caller: Principal, uid: UUID) -> Alert:
    """The campaign is over: the alert leaves the public pages, feed, API and check (audited)."""
    alert = _changeable(session, caller, uid, "withdraw")
    now = utc_now()
    alert.status, alert.pending, alert.withdrawn_at, alert.updated_at = WITHDRAWN, None, now, now
    repository.replace_indicators(session, alert.id, [])
    record(session, caller.actor, "alert.withdraw", "alert", str(uid), {"version": alert.version})
    session.commit()
    return alert


def refresh_figures(session: Session) -> int:
    """Bring each published alert's figures (reports, the latest one) and campaign identifier
    (after a merge) up to date, with no review: they are counts, not words. Returns how many
    changed; audited once when any did."""
    alerts = repository.live_alerts(session)
    current = campaigns.current_campaigns(session, [a.campaign_uid for a in alerts])
    changed = []
    for alert in alerts:
        found = current.get(alert.campaign_uid)
        if found is None:
            continue  # a campaign whose reports are gone: the alert keeps its last figures
        count, last = repository.campaign_figures(session, found.label)
        if (found.uid, count, last) != (
            alert.campaign_uid,
            alert.report_count,
            alert.last_report_at,
        ):
            alert.campaign_uid, alert.report_count, alert.last_report_at = found.uid, count, last
            changed.append(str(alert.uid))
    if changed:
        record(session, SYSTEM, "alert.refresh", "alert", "*", {"alerts": changed})
    session.commit()
    return len(changed)


def new_values(session: Session, caller: Principal, alert: Alert) -> list[Candidate]:
    """The campaign's values the alert does not name yet (it grew): an analyst adds them
    through an edit and a review."""
    facts = _campaign(session, caller, alert.campaign_uid)
    named = {(v["kind"], v["value"]) for v in alert.indicators}
    return [c for c in facts.candidates if (c.kind, c.value) not in named]


def candidates_of(session: Session, caller: Principal, alert: Alert) -> list[Candidate]:
    return _campaign(session, caller, alert.campaign_uid).candidates


# --- reads -----------------------------------------------------------------------------------


def public_read(alert: Alert, base_url: str) -> AlertRead:
    """What the public reads of an alert: its published copy, never the working one."""
    public = alert.public or {}
    assert alert.published_at is not None
    return AlertRead.model_validate(
        {
            "uid": alert.uid,
            "campaign_uid": alert.campaign_uid,
            "category": public.get("category", alert.category),
            "version": alert.version,
            "texts": public.get("texts", {}),
            "indicators": public.get("indicators", []),
            "report_count": alert.report_count,
            "last_report_at": alert.last_report_at,
            "published_at": alert.published_at,
            "updated_at": datetime.fromisoformat(public["at"])
            if "at" in public
            else alert.published_at,
            "url": f"{base_url}/alerts/{alert.uid}",
        }  # fmt: skip
    )


def staff_read(alert: Alert) -> AlertStaffRead:
    return AlertStaffRead.model_validate(
        {
            "uid": alert.uid,
            "campaign_uid": alert.campaign_uid,
            "category": alert.category,
            "status": alert.status,
            "pending": alert.pending,
            "version": alert.version,
            "texts": alert.texts,
            "indicators": alert.indicators,
            "author": alert.author,
            "editor": alert.editor,
            "reviewer": alert.reviewer,
            "created_at": alert.created_at,
            "updated_at": alert.updated_at,
            "published_at": alert.published_at,
            "withdrawn_at": alert.withdrawn_at,
        }  # fmt: skip
    )


def published_alerts(
    session: Session, caller: Caller, limit: int = PAGE_SIZE, offset: int = 0
) -> list[Alert]:
    """Published alerts, newest first."""
    return repository.published(session, caller, limit, offset)


def latest_of_categories(
    session: Session, caller: Caller, categories: list[str], limit: int
) -> list[AlertRead]:
    """The latest published alerts of these categories, as the public reads them (addresses
    relative to the site: `/alerts/<uid>`)."""
    return [public_read(a, "") for a in repository.published_in(session, caller, categories, limit)]


def alerts_page(
    session: Session, caller: Caller, base_url: str, limit: int, offset: int
) -> AlertPageRead:
    """A page of published alerts as the API answers it."""
    items = [public_read(a, base_url) for a in repository.published(session, caller, limit, offset)]
    total = repository.count_published(session, caller)
    return AlertPageRead(items=items, total=total, offset=offset, limit=limit)


def published_alert(session: Session, caller: Caller, uid: UUID) -> Alert:
    """One published alert (staff too read only published ones through the public doors)."""
    alert = repository.readable_alert(session, caller, uid)
    if alert is None or alert.status != PUBLISHED:
        raise NotFound("no such alert", field="uid")
    return alert


def staff_alert(session: Session, caller: Principal, uid: UUID) -> Alert:
    """One alert in any state, for staff (audited as a read of the working copy is not: it
    holds no personal data)."""
    alert = repository.readable_alert(session, caller, uid) if is_staff(caller) else None
    if alert is None:
        raise NotFound("no such alert", field="uid")
    return alert


def staff_alerts(session: Session, caller: Principal, limit: int = 100) -> list[Alert]:
    return repository.staff_alerts(session, caller, limit)


def alerts_of_campaign(session: Session, caller: Principal, campaign_uid: UUID) -> list[Alert]:
    return repository.alerts_of_campaign(session, caller, campaign_uid)


def alerts_naming(
    session: Session, caller: Caller, values: list[tuple[str, str]], language: str
) -> list[AlertBrief]:
    """Published alerts naming any of these (kind, canonical value): the check's banner."""
    found = repository.alerts_naming(session, caller, [Value(k, v) for k, v in values])
    return [
        AlertBrief(uid=a.uid, title=title_in(a.public, language), url=f"/alerts/{a.uid}")
        for a in found
    ]


def title_of(alert: Alert, language: str) -> str:
    """The published title in `language` (Vietnamese when it has none)."""
    return title_in(alert.public, language)


def title_in(public: dict[str, Any] | None, language: str) -> str:
    """The title in `language` of a published copy (Vietnamese when it has none)."""
    texts = (public or {}).get("texts", {})
    chosen = texts.get(language) or texts.get("vi") or {}
    return str(chosen.get("title", ""))


def checked_values(result: CheckResult) -> list[tuple[str, str]]:
    """The (kind, canonical value) a check answered about: the value, the reported host of a
    link, the account at each bank it was found."""
    values = [(result.kind, result.value)]
    if result.reported_host:
        values += [("domain", result.reported_host), ("ip", result.reported_host)]
    values += [("bank_account", at.value) for at in result.accounts]
    return values


def alerts_for_check(session: Session, result: CheckResult, language: str) -> list[AlertBrief]:
    """Published alerts naming the checked value: the banner beside the check's answer."""
    return alerts_naming(session, None, checked_values(result), language)


def alert_mentions(session: Session, result: CheckResult, language: str) -> list[AlertMention]:
    """The same, as the check API's answer carries them."""
    return [
        AlertMention(uid=str(a.uid), title=a.title, url=a.url)
        for a in alerts_for_check(session, result, language)
    ]
