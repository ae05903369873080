"""Every query on alerts. Who may read which alert is decided here, from the caller: staff read
every alert; anyone else only published ones."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    delete,
    false,
    func,
    or_,
    select,
    true,
    tuple_,
)
from sqlalchemy.orm import Session

from tipline.alerts.core import PUBLISHED, Candidate, Value
from tipline.alerts.models import Alert, AlertIndicator
from tipline.campaigns.models import CampaignHub, CampaignReport
from tipline.indicators.models import IndicatorRecord, IndicatorReview, ReportIndicator
from tipline.principals import Caller, is_staff
from tipline.reports.models import Report

CANDIDATES = 60  # the campaign's most named values an analyst may choose from


def alert_scope(caller: Caller) -> ColumnElement[bool]:
    """Staff read every alert; anyone else (a citizen, a partner, anonymous) published ones."""
    return true() if is_staff(caller) else Alert.status == PUBLISHED


def readable_alerts(caller: Caller) -> Select[Alert]:
    return select(Alert).where(alert_scope(caller))


def readable_alert(session: Session, caller: Caller, uid: UUID) -> Alert | None:
    return session.scalars(readable_alerts(caller).where(Alert.uid == uid)).first()


def alert_for_update(session: Session, caller: Caller, uid: UUID) -> Alert | None:
    """The alert to change, locked until the transaction ends (staff only: None otherwise)."""
    stmt = readable_alerts(caller).where(Alert.uid == uid, true() if is_staff(caller) else false())
    return session.scalars(stmt.with_for_update()).first()


def published(session: Session, caller: Caller, limit: int, offset: int = 0) -> list[Alert]:
    """Published alerts, most recently published (or updated) first."""
    stmt = (
        readable_alerts(caller)
        .where(Alert.status == PUBLISHED)
        .order_by(Alert.published_at.desc(), Alert.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(stmt))


def published_in(
    session: Session, caller: Caller, categories: Sequence[str], limit: int
) -> list[Alert]:
    """The latest published alerts of these categories (a lesson's real examples)."""
    stmt = (
        readable_alerts(caller)
        .where(Alert.status == PUBLISHED, Alert.category.in_(categories))
        .order_by(Alert.published_at.desc(), Alert.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def count_published(session: Session, caller: Caller) -> int:
    stmt = select(func.count()).where(alert_scope(caller), Alert.status == PUBLISHED)
    return int(session.scalar(stmt) or 0)


def staff_alerts(session: Session, caller: Caller, limit: int) -> list[Alert]:
    """Every alert the caller may read, the latest changed first (the analysts' list)."""
    stmt = readable_alerts(caller).order_by(Alert.updated_at.desc(), Alert.id.desc()).limit(limit)
    return list(session.scalars(stmt))


def alerts_of_campaign(session: Session, caller: Caller, campaign_uid: UUID) -> list[Alert]:
    stmt = readable_alerts(caller).where(Alert.campaign_uid == campaign_uid).order_by(Alert.id)
    return list(session.scalars(stmt))


class Named(NamedTuple):
    """A published alert as the check's banner names it: its uid and its published copy."""

    uid: UUID
    public: dict[str, Any] | None


def alerts_naming(session: Session, caller: Caller, values: Sequence[Value]) -> list[Named]:
    """Published alerts that name any of these values (the check's banner): two columns, not
    whole alerts, since every check asks."""
    if not values:
        return []
    pairs = sorted({(v.kind, v.value) for v in values})
    statement = _naming_publicly() if caller is None else _naming(caller)
    return [Named(row.uid, row.public) for row in session.execute(statement, {"pairs": pairs})]


def _naming(caller: Caller) -> Select[Any]:
    """`alerts_naming`' query, the (kind, value) pairs a parameter."""
    named = tuple_(AlertIndicator.kind, AlertIndicator.value).in_(
        bindparam("pairs", expanding=True)
    )
    ids = select(AlertIndicator.alert_id).where(named)
    return (
        readable_alerts(caller)
        .with_only_columns(Alert.uid, Alert.public)
        .where(Alert.status == PUBLISHED, Alert.id.in_(ids))
        .order_by(Alert.published_at.desc())
    )


@lru_cache(maxsize=1)
def _naming_publicly() -> Select[Any]:
    """The same for an anonymous caller (every check), built once: building it per check took
    longer than the check."""
    return _naming(None)


def replace_indicators(session: Session, alert_id: int, values: Sequence[Value]) -> None:
    """The values the check finds the alert by: its published ones (none once withdrawn)."""
    session.execute(delete(AlertIndicator).where(AlertIndicator.alert_id == alert_id))
    session.add_all(AlertIndicator(alert_id=alert_id, kind=v.kind, value=v.value) for v in values)


def _own_links() -> ColumnElement[bool]:
    """Indicators anybody called her own, in any report: a victim's phone, email or account
    (by a cue in her narrative or an analyst's `victim` decision)."""
    own = select(ReportIndicator.indicator_id).where(ReportIndicator.reporter_own.is_(True))
    victim = select(IndicatorReview.indicator_id).where(IndicatorReview.state == "victim")
    return or_(IndicatorRecord.id.in_(own), IndicatorRecord.id.in_(victim))


def candidates(session: Session, campaign_label: int) -> list[Candidate]:
    """The campaign's values most of its reports name through links that stand (not rejected,
    not the reporter's own), leaving out hubs, allowlisted values and any value that is anyone's
    own anywhere."""
    rejected = select(IndicatorReview.indicator_id).where(
        IndicatorReview.report_id == ReportIndicator.report_id,
        IndicatorReview.indicator_id == ReportIndicator.indicator_id,
        IndicatorReview.state.in_(("rejected", "victim")),
    )
    reports = func.count().label("reports")
    stmt = (
        select(IndicatorRecord.kind, IndicatorRecord.value, reports)
        .join(ReportIndicator, ReportIndicator.indicator_id == IndicatorRecord.id)
        .join(CampaignReport, CampaignReport.report_id == ReportIndicator.report_id)
        .where(
            CampaignReport.campaign_id == campaign_label,
            IndicatorRecord.allowlisted.is_(False),
            ReportIndicator.reporter_own.is_(False),
            ~rejected.exists(),
            IndicatorRecord.id.not_in(select(CampaignHub.indicator_id)),
            ~_own_links(),
        )
        .group_by(IndicatorRecord.id, IndicatorRecord.kind, IndicatorRecord.value)
        .order_by(reports.desc(), IndicatorRecord.id)
        .limit(CANDIDATES)
    )
    return [Candidate(kind, value, n) for kind, value, n in session.execute(stmt)]


def reporter_contacts(session: Session, campaign_label: int) -> list[str]:
    """The contacts the campaign's reporters left (to keep them out of an alert's texts)."""
    stmt = (
        select(Report.reporter_contact)
        .join(CampaignReport, CampaignReport.report_id == Report.id)
        .where(CampaignReport.campaign_id == campaign_label, Report.reporter_contact.is_not(None))
        .distinct()
    )
    return [c for c in session.scalars(stmt) if c]


def own_values(session: Session, campaign_label: int) -> list[Value]:
    """Values the campaign's reporters called their own."""
    stmt = (
        select(IndicatorRecord.kind, IndicatorRecord.value)
        .join(ReportIndicator, ReportIndicator.indicator_id == IndicatorRecord.id)
        .join(CampaignReport, CampaignReport.report_id == ReportIndicator.report_id)
        .where(CampaignReport.campaign_id == campaign_label, ReportIndicator.reporter_own)
        .distinct()
    )
    return [Value(kind, value) for kind, value in session.execute(stmt)]


def campaign_figures(session: Session, campaign_label: int) -> tuple[int, datetime | None]:
    """(reports, the latest report's arrival) of a campaign."""
    stmt = (
        select(func.count(), func.max(Report.created_at))
        .join(CampaignReport, CampaignReport.report_id == Report.id)
        .where(CampaignReport.campaign_id == campaign_label)
    )
    count, last = session.execute(stmt).one()
    return int(count or 0), last


def live_alerts(session: Session) -> list[Alert]:
    """Published alerts, to refresh their figures (a system task: no caller)."""
    return list(session.scalars(select(Alert).where(Alert.status == PUBLISHED)))
