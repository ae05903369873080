"""Requests to organisations: draft one (the organisation proposed from the indicator), send
it, the organisation sees it and answers, an analyst cancels it; reminders for overdue ones.

Every step is an `OrgRequestEvent` and an audit entry, in the same transaction. Who may read
a request is decided in the repository's query from the caller; a request the caller may not
read is answered NotFound, as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import uuid4

from sqlalchemy.orm import Session

from tipline.audit.service import record
from tipline.db_types import utc_now
from tipline.errors import Conflict, InvalidInput, NotFound
from tipline.evidence.service import Upload, keep_answer_file, store_of
from tipline.orgrequests import core, repository
from tipline.orgrequests.delivery import enqueue
from tipline.orgrequests.models import OrgRequest, OrgRequestEvent, OrgRequestFile, OrgRequestLine
from tipline.orgrequests.repository import Named
from tipline.orgrequests.schemas import AnswerCreate, RequestCreate
from tipline.partners.models import Organisation
from tipline.principals import Caller, Principal
from tipline.settings import Settings

LIST_LIMIT = 200  # reminders a round
PAGE_SIZE = 50  # requests a list shows


@dataclass(frozen=True, slots=True)
class RequestView:
    request: OrgRequest
    organisation: str
    lines: list[OrgRequestLine]
    events: list[OrgRequestEvent]
    files: list[tuple[OrgRequestFile, str]]  # the file and its content's SHA-256
    overdue: bool


def record_step(
    session: Session, request: OrgRequest, action: str, actor: str, details: dict[str, Any],
    at: datetime | None = None,
) -> None:  # fmt: skip
    """One step of a request: its history and the audit log (never a victim's data)."""
    moment = at or utc_now()
    repository.add(session, OrgRequestEvent(
        request_id=request.id, action=action, status=request.status, actor=actor, at=moment,
        details=details,
    ))  # fmt: skip
    audit = {"reference": request.reference, "status": request.status, **details}
    record(session, actor, f"request.{action}", "org_request", request.id, audit, now=moment)


def _enqueue_webhook(session: Session, request: OrgRequest, event: str) -> None:
    """Queue the organisation's webhook for this step (an outbox row in this transaction; none
    when it takes no webhooks): what is asked, never a victim's name or contact."""
    organisation = repository.organisation(session, request.organisation_id)
    assert organisation is not None
    lines = [
        {"kind": line.kind, "value": line.value, "transfer_times": line.transfer_times,
         "amount": str(line.amount) if line.amount is not None else None}
        for line in repository.lines_of(session, request.id)
    ]  # fmt: skip
    payload = {
        "reference": request.reference, "type": request.type, "status": request.status,
        "due_at": request.due_at.isoformat() if request.due_at else None,
        "legal_basis": request.legal_basis, "details": request.details, "lines": lines,
    }  # fmt: skip
    enqueue(session, organisation, event, payload, request_id=request.id)


# --- which organisation answers for an indicator -----------------------------------------------


def propose(session: Session, kind: str, value: str) -> Organisation | None:
    """The organisation that answers for an indicator: a bank by its code (`VCB:…`), a telecom
    by its number prefixes, a platform by its domains and social platforms."""
    if (code := core.bank_code_of(kind, value)) is not None:
        return repository.bank_by_code(session, [code]).get(code)
    for organisation in repository.answering_organisations(session):
        if core.answers_for(kind, value, organisation.phone_prefixes, organisation.domains):
            return organisation
    return None


@dataclass(frozen=True, slots=True)
class Proposal:
    """An indicator of a source, and the organisation tipline proposes to ask about it."""

    indicator: Named
    organisation: Organisation | None
    type: str


def source_indicators(session: Session, data: RequestCreate) -> list[Named]:
    if data.report_id is not None:
        return repository.report_indicators(session, data.report_id)
    if data.case_id is not None:
        return repository.case_indicators(session, data.case_id)
    assert data.campaign_uid is not None
    label = repository.campaign_label(session, data.campaign_uid)
    if label is None:
        raise NotFound(f"no campaign {data.campaign_uid}", field="campaign_uid")
    return repository.campaign_indicators(session, label)


def proposals(session: Session, caller: Principal, data: RequestCreate) -> list[Proposal]:
    """Every indicator of a report, campaign or case, with the organisation to ask (staff)."""
    _staff_only(caller)
    found = []
    for named in source_indicators(session, data):
        kind_type = core.TYPE_FOR_KIND.get(named.kind, core.RequestType.PRESERVE)
        found.append(Proposal(named, propose(session, named.kind, named.value), str(kind_type)))
    return found


def _staff_only(caller: Caller) -> None:
    if not (isinstance(caller, Principal) and caller.is_staff):
        raise NotFound("no such request", field="reference")


# --- drafting ----------------------------------------------------------------------------------


def _chosen(
    session: Session, data: RequestCreate, named: list[Named]
) -> tuple[Organisation, list[Named]]:
    """The organisation and the lines of a new request (see RequestCreate)."""
    organisation = (
        repository.organisation(session, data.organisation_id) if data.organisation_id else None
    )
    if data.organisation_id and organisation is None:
        raise NotFound(f"no organisation {data.organisation_id}", field="organisation_id")
    if data.indicator_ids:
        wanted = set(data.indicator_ids)
        chosen = [n for n in named if n.indicator_id in wanted]
        if len(chosen) != len(wanted):
            raise InvalidInput("an indicator named is not of this source", field="indicator_ids")
    elif organisation is not None and organisation.bank_code:
        chosen = [n for n in named if core.bank_code_of(n.kind, n.value) == organisation.bank_code]
    else:
        chosen = []
    if not chosen:
        raise InvalidInput("name the indicators to ask about", field="indicator_ids")
    organisation = organisation or propose(session, chosen[0].kind, chosen[0].value)
    if organisation is None:
        raise InvalidInput("no organisation answers for this indicator", field="organisation_id")
    return organisation, chosen


def draft_request(
    session: Session, caller: Principal, data: RequestCreate, *, auto: bool = False
) -> OrgRequest:
    """A draft request to one organisation about indicators of a report, campaign or case."""
    _staff_only(caller)
    organisation, chosen = _chosen(session, data, source_indicators(session, data))
    request_type = data.type or str(core.TYPE_FOR_KIND.get(chosen[0].kind, "preserve"))
    if request_type == core.RequestType.DISCLOSE and not data.legal_basis.strip():
        raise InvalidInput("a disclosure needs its legal basis", field="legal_basis")
    request = _new_request(session, caller.actor, organisation.id, request_type, data, auto)
    _add_lines(session, request, chosen)
    record_step(session, request, "drafted", caller.actor,
          {"organisation_id": organisation.id, "lines": len(chosen), "auto": auto})  # fmt: skip
    session.commit()
    return request


def _new_request(
    session: Session, actor: str, organisation_id: int, request_type: str, data: RequestCreate,
    auto: bool,
) -> OrgRequest:  # fmt: skip
    now = utc_now()
    request = OrgRequest(
        reference=f"draft-{uuid4().hex[:24]}", organisation_id=organisation_id,
        type=request_type, status=core.RequestStatus.DRAFT.value,
        legal_basis=data.legal_basis.strip(), details=data.details.strip(),
        report_id=data.report_id, campaign_uid=data.campaign_uid, case_id=data.case_id,
        auto_drafted=auto, created_by=actor, created_at=now,
    )  # fmt: skip
    repository.add(session, request)
    request.reference = core.reference_of(now.year, request.id)
    return request


def _add_lines(session: Session, request: OrgRequest, chosen: Sequence[Named]) -> None:
    repository.add(session, *[
        OrgRequestLine(
            request_id=request.id, indicator_id=n.indicator_id, kind=n.kind, value=n.value,
            amount=n.amount, transfer_times=[t.isoformat() for t in n.transfer_times],
        )
        for n in chosen
    ])  # fmt: skip


# --- reading -----------------------------------------------------------------------------------


def find(session: Session, caller: Caller, reference: str) -> OrgRequest:
    request = repository.readable_request(session, caller, reference)
    if request is None:
        raise NotFound(f"no request {reference}", field="reference")
    return request


def list_requests(
    session: Session, caller: Caller, status: str | None = None,
    organisation_id: int | None = None,
) -> list[tuple[OrgRequest, str, bool]]:  # fmt: skip
    """The caller's requests (an organisation: its own), newest first, tipline's drafts first
    of all for staff (they wait for one click): each with its organisation's name and whether
    it is overdue."""
    now = utc_now()
    found = repository.listed_requests(session, caller, status, organisation_id, PAGE_SIZE, now)
    if status in (None, core.RequestStatus.DRAFT.value) and organisation_id is None:
        waiting = [r for r, _ in waiting_drafts(session, caller, PAGE_SIZE)]
        found = waiting + [r for r in found if r not in waiting]
    names = repository.organisation_names(session, sorted({r.organisation_id for r in found}))
    return [
        (r, names.get(r.organisation_id, ""), core.is_overdue(r.status, r.due_at, now))
        for r in found[:PAGE_SIZE]
    ]


def view_request(session: Session, caller: Caller, reference: str) -> RequestView:
    """One request with its lines, history and files; the organisation opening a request sent
    to it marks it seen."""
    request = find(session, caller, reference)
    if _is_organisation(caller) and request.status == core.RequestStatus.SENT.value:
        assert isinstance(caller, Principal)
        request.status, request.seen_at = core.RequestStatus.SEEN.value, utc_now()
        record_step(session, request, "seen", caller.actor, {}, request.seen_at)
        session.commit()
    names = repository.organisation_names(session, [request.organisation_id])
    files = [(f, sha) for f, sha in repository.files_with_hashes(session, request.id)]
    return RequestView(
        request, names.get(request.organisation_id, ""), repository.lines_of(session, request.id),
        repository.events_of(session, request.id), files,
        core.is_overdue(request.status, request.due_at, utc_now()),
    )  # fmt: skip


def _is_organisation(caller: Caller) -> bool:
    return isinstance(caller, Principal) and caller.organisation_id is not None


# --- steps -------------------------------------------------------------------------------------


def _expect(request: OrgRequest, statuses: Sequence[str], doing: str) -> None:
    if request.status not in statuses:
        raise Conflict(f"a {request.status} request cannot be {doing}", field="status")


def send_request(session: Session, caller: Principal, reference: str) -> OrgRequest:
    """Send a draft: due by the organisation's promised hours for its type; its webhook queued."""
    _staff_only(caller)
    request = find(session, caller, reference)
    _expect(request, (core.RequestStatus.DRAFT.value,), "sent")
    organisation = repository.organisation(session, request.organisation_id)
    assert organisation is not None
    now = utc_now()
    request.status, request.sent_at = core.RequestStatus.SENT.value, now
    request.due_at = core.due_at(now, request.type, organisation.response_hours)
    record_step(session, request, "sent", caller.actor, {"due_at": request.due_at.isoformat()}, now)
    _enqueue_webhook(session, request, "request.sent")
    session.commit()
    return request


def cancel_request(session: Session, caller: Principal, reference: str) -> OrgRequest:
    _staff_only(caller)
    request = find(session, caller, reference)
    _expect(request, (core.RequestStatus.DRAFT.value, *core.OPEN_STATUSES), "cancelled")
    was_sent = request.status != core.RequestStatus.DRAFT.value
    request.status = core.RequestStatus.CANCELLED.value
    record_step(session, request, "cancelled", caller.actor, {})
    if was_sent:
        _enqueue_webhook(session, request, "request.cancelled")
    session.commit()
    return request


def answer_request(
    session: Session, caller: Principal, reference: str, answer: AnswerCreate,
    files: Sequence[Upload] = (), settings: Settings | None = None,
) -> OrgRequest:  # fmt: skip
    """The organisation's answer, its files kept in the evidence store with their custody."""
    if not _is_organisation(caller):
        raise NotFound(f"no request {reference}", field="reference")
    request = find(session, caller, reference)
    _expect(request, core.OPEN_STATUSES, "answered")
    now = utc_now()
    request.status, request.answered_at = core.RequestStatus.ANSWERED.value, now
    request.seen_at = request.seen_at or now
    request.outcome, request.org_reference = answer.outcome, answer.org_reference.strip() or None
    request.amount_frozen, request.preserved = answer.amount_frozen, answer.preserved.strip()
    request.answer_note = answer.note.strip()
    _answer_lines(session, request, answer)
    if files:
        assert settings is not None
        _keep_files(session, request, caller.actor, files, settings)
    details = {
        "outcome": answer.outcome,
        "lines": {str(line.line_id): line.outcome for line in answer.lines},
        "files": len(files),
        "amount_frozen": str(answer.amount_frozen) if answer.amount_frozen else None,
    }
    record_step(session, request, "answered", caller.actor, details, now)  # fmt: skip
    session.commit()
    return request


def _answer_lines(session: Session, request: OrgRequest, answer: AnswerCreate) -> None:
    """Each line's outcome, amount and note; a line not of this request is invalid input.
    Without a total, the amount frozen is the lines' sum."""
    lines = {line.id: line for line in repository.lines_of(session, request.id)}
    for index, given in enumerate(answer.lines):
        line = lines.get(given.line_id)
        if line is None:
            raise InvalidInput(f"no line {given.line_id} in {request.reference}",
                               field=f"lines.{index}.line_id")  # fmt: skip
        line.outcome, line.amount_frozen = given.outcome, given.amount_frozen
        line.note = given.note.strip() or None
    amounts = [given.amount_frozen for given in answer.lines if given.amount_frozen is not None]
    if request.amount_frozen is None and amounts:
        request.amount_frozen = sum(amounts, Decimal(0))


def add_answer_file(
    session: Session, caller: Principal, reference: str, upload: Upload, settings: Settings
) -> OrgRequest:
    """A file the organisation adds to its answer (or sends before it), kept in the evidence
    store with its custody; a step of the request's history."""
    if not _is_organisation(caller):
        raise NotFound(f"no request {reference}", field="reference")
    request = find(session, caller, reference)
    _expect(request, (*core.OPEN_STATUSES, core.RequestStatus.ANSWERED.value), "given files")
    _keep_files(session, request, caller.actor, [upload], settings)
    record_step(session, request, "file_added", caller.actor, {"files": 1})
    session.commit()
    return request


def _keep_files(
    session: Session, request: OrgRequest, actor: str, files: Sequence[Upload], settings: Settings
) -> None:
    store = store_of(settings)
    for upload in files:
        evidence = keep_answer_file(
            session, store, upload, actor, settings.evidence_max_bytes,
            {"org_request": request.reference},
        )  # fmt: skip
        repository.add(session, OrgRequestFile(
            request_id=request.id, evidence_id=evidence.id, file_name=evidence.original_name,
            attached_by=actor, attached_at=utc_now(),
        ))  # fmt: skip


def remind_overdue(session: Session, actor: str, now: datetime | None = None) -> list[str]:
    """A reminder for every open request past due not reminded since: its history, the audit
    log and the organisation's webhook. The references reminded."""
    moment = now or utc_now()
    reminded = []
    for request in repository.overdue_unreminded(session, moment, LIST_LIMIT):
        record_step(session, request, "reminded", actor, {}, moment)
        _enqueue_webhook(session, request, "request.reminder")
        reminded.append(request.reference)
    session.commit()
    return reminded


@dataclass(frozen=True, slots=True)
class ProposalGroup:
    """The indicators of a source one organisation (or nobody known) answers for."""

    organisation: Organisation | None
    type: str
    proposals: list[Proposal]


def proposal_groups(found: Sequence[Proposal]) -> list[ProposalGroup]:
    """Proposals by organisation (and type): one request each; unknown organisations last."""
    groups: dict[tuple[int, str], list[Proposal]] = {}
    for proposal in found:
        key = (proposal.organisation.id if proposal.organisation else 0, proposal.type)
        groups.setdefault(key, []).append(proposal)
    ordered = sorted(groups.items(), key=lambda item: (item[0][0] == 0, item[0]))
    return [ProposalGroup(items[0].organisation, kind, items) for (_, kind), items in ordered]


def waiting_drafts(
    session: Session, caller: Caller, limit: int = 10
) -> list[tuple[OrgRequest, str]]:
    """The requests tipline drafted that wait for one click, with their organisation's name:
    the top of the analysts' queue (staff only; one indexed query)."""
    if not (isinstance(caller, Principal) and caller.is_staff):
        return []
    found = repository.auto_drafts(session, limit)
    if not found:
        return []
    names = repository.organisation_names(session, sorted({r.organisation_id for r in found}))
    return [(r, names.get(r.organisation_id, "")) for r in found]
