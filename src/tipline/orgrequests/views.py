"""Requests as the API shows them (`schemas`), from the service's views."""

from __future__ import annotations

from tipline.orgrequests.models import OrgRequest
from tipline.orgrequests.schemas import EventRead, FileRead, LineRead, RequestDetail, RequestRead
from tipline.orgrequests.service import RequestView

_FIELDS = (
    "reference", "organisation_id", "type", "status", "auto_drafted", "legal_basis", "details",
    "campaign_uid", "created_at", "sent_at", "seen_at", "due_at", "answered_at", "outcome",
    "org_reference", "amount_frozen", "currency", "preserved", "answer_note",
)  # fmt: skip


def read_of(request: OrgRequest, organisation: str, overdue: bool) -> RequestRead:
    values = {name: getattr(request, name) for name in _FIELDS}
    return RequestRead(organisation=organisation, overdue=overdue, **values)


def detail_of(view: RequestView) -> RequestDetail:
    summary = read_of(view.request, view.organisation, view.overdue)
    return RequestDetail(
        **summary.model_dump(),
        lines=[
            LineRead(
                id=line.id,
                kind=line.kind,
                value=line.value,
                amount=line.amount,
                transfer_times=line.transfer_times,
                outcome=line.outcome,
                amount_frozen=line.amount_frozen,
                note=line.note,
            )  # fmt: skip
            for line in view.lines
        ],
        history=[
            EventRead(action=e.action, status=e.status, actor=e.actor, at=e.at) for e in view.events
        ],  # fmt: skip
        files=[
            FileRead(file_name=f.file_name, sha256=sha, evidence_id=f.evidence_id)
            for f, sha in view.files
        ],  # fmt: skip
    )
