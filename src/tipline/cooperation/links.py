"""What a cooperation request is about: the reports (by tracking code), campaigns and
indicators (accounts, numbers, domains) linked to it, added and removed by an analyst.

The API (`POST`/`DELETE /api/v1/cooperation/{reference}/links`) and the request's page both
call `add_link` and `remove_link`; each change is a step of the request's history and an audit
entry, with who and when. A step names a report by its id and code and an indicator by its id
and kind, never by its value: a linked value may be a victim's own number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session

from tipline.campaigns.repository import current_campaigns
from tipline.cooperation import repository
from tipline.cooperation.models import CooperationLink, CooperationRequest
from tipline.cooperation.service import get_request, record_step
from tipline.db_types import utc_now
from tipline.errors import Conflict, InvalidInput, NotFound
from tipline.indicators.defaults import default_allowlist
from tipline.indicators.read import read_value
from tipline.principals import Caller, Principal
from tipline.reports.core import normalise_code
from tipline.reports.repository import readable_report, readable_report_by_code

LINK_KINDS = ("report", "campaign", "indicator")


@dataclass(frozen=True, slots=True)
class LinkTarget:
    """One thing to link or unlink, named one way: a report by its tracking code or id, a
    campaign by its identifier, an indicator by its id or as a person types it."""

    report_code: str | None = None
    report_id: int | None = None
    campaign_uid: UUID | None = None
    indicator_id: int | None = None
    indicator: str | None = None

    def named(self) -> int:
        return sum(value not in (None, "") for value in (
            self.report_code, self.report_id, self.campaign_uid, self.indicator_id, self.indicator
        ))  # fmt: skip


@dataclass(frozen=True, slots=True)
class Resolved:
    """A target as the link row stores it, and the step's details."""

    columns: dict[str, Any]
    details: dict[str, Any]


def _report(session: Session, caller: Caller, target: LinkTarget) -> Resolved:
    if target.report_id is not None:
        report = readable_report(session, caller, target.report_id)
    else:
        code = normalise_code(target.report_code or "")
        report = readable_report_by_code(session, caller, code) if code else None
    if report is None:
        shown = target.report_code or target.report_id
        raise NotFound(f"no report {shown}", field="report_code")
    return Resolved({"report_id": report.id}, {"report_id": report.id, "code": report.code})


def _campaign(session: Session, uid: UUID, adding: bool) -> Resolved:
    # A link may be removed from a campaign that has since merged or dissolved.
    if adding and uid not in current_campaigns(session, [uid]):
        raise NotFound(f"no campaign {uid}", field="campaign_uid")
    return Resolved({"campaign_uid": uid}, {"campaign_uid": str(uid)})


def _indicator(session: Session, caller: Caller, target: LinkTarget) -> Resolved:
    if target.indicator_id is not None:
        found = repository.readable_indicator_id(session, caller, target.indicator_id)
        details: dict[str, Any] = {}
    else:
        typed = read_value((target.indicator or "").strip(), default_allowlist())
        if typed is None:
            raise InvalidInput("not an account, number, domain or link", field="indicator")
        details = {"kind": typed.kind.value}
        found = repository.indicator_id_of(session, caller, typed.kind.value, typed.value)
    if found is None:
        raise NotFound("no such indicator on file: a report must name it first", field="indicator")
    return Resolved({"indicator_id": found}, {"indicator_id": found, **details})


def resolve(session: Session, caller: Caller, target: LinkTarget, *, adding: bool) -> Resolved:
    """The report, campaign or indicator `target` names, if the caller may read it."""
    if target.named() != 1:
        raise InvalidInput("name one report, campaign or indicator", field="link")
    if target.report_code or target.report_id is not None:
        return _report(session, caller, target)
    if target.campaign_uid is not None:
        return _campaign(session, target.campaign_uid, adding)
    return _indicator(session, caller, target)


def _change(
    session: Session, caller: Principal, reference: str, target: LinkTarget, adding: bool
) -> tuple[CooperationRequest, Resolved, CooperationLink | None]:
    """The request (not closed), what `target` names, and the link to it if there is one."""
    request = get_request(session, caller, reference)
    if request.status == "closed":
        raise Conflict("a closed request keeps its links", field="status")
    resolved = resolve(session, caller, target, adding=adding)
    return request, resolved, repository.link_of(session, request.id, **resolved.columns)


def add_link(
    session: Session,
    caller: Principal,
    reference: str,
    target: LinkTarget,
    *,
    now: datetime | None = None,
) -> CooperationRequest:
    """Link a report, a campaign or an indicator to the request (Conflict if it already is,
    or the request is closed)."""
    request, resolved, link = _change(session, caller, reference, target, adding=True)
    if link is not None:
        raise Conflict("already linked", field="link")
    session.add(CooperationLink(request_id=request.id, **resolved.columns))
    record_step(session, caller.actor, request, "link", resolved.details, now or utc_now())
    return request


def remove_link(
    session: Session,
    caller: Principal,
    reference: str,
    target: LinkTarget,
    *,
    now: datetime | None = None,
) -> CooperationRequest:
    """Unlink a report, a campaign or an indicator from the request (NotFound if it is not
    linked)."""
    request, resolved, link = _change(session, caller, reference, target, adding=False)
    if link is None:
        raise NotFound("not linked to this request", field="link")
    session.delete(link)
    record_step(session, caller.actor, request, "unlink", resolved.details, now or utc_now())
    return request
