"""Evidence for staff: upload to a report or case, view a file's custody, download, transfer.

Downloads are attachments, never rendered: `nosniff`, and a CSP sandbox in case a browser opens
one anyway.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from tipline.access import Principal, Staff
from tipline.dependencies import DbSession
from tipline.errors import InvalidInput, TooLarge, error_responses
from tipline.evidence import service
from tipline.evidence.core import download_name
from tipline.evidence.schemas import AttachmentRead, CustodyRead, EvidenceRead, TransferCreate
from tipline.evidence.service import Download, EvidenceView, Received, Upload
from tipline.evidence.store import chunks_of
from tipline.html.protection import VerifiedForm
from tipline.html.rendering import render_workspace
from tipline.settings import Settings

pages = APIRouter(include_in_schema=False)
router = APIRouter(tags=["evidence"], responses=error_responses(401, 403, 404, 409, 413, 422))
# The upload routes read the multipart body themselves (streamed to the store): its schema.
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}
FILE_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/octet-stream": {}}, "description": "The file, as uploaded."}
}

TargetId = Annotated[int, Path(ge=1, le=2**62)]
EvidenceId = Annotated[int, Path(ge=1, le=2**62)]
DOWNLOAD_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'; frame-ancestors 'none'",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def _receive(
    request: Request,
    session: DbSession,
    principal: Principal,
    *,
    report_id: int | None = None,
    case_id: int | None = None,
) -> Received:
    """Read the multipart form's `file` and hand it to the service, in a worker thread."""
    form = await request.form(max_files=1, max_fields=3)
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("choose a file to upload", field="file")
        settings = _settings(request)
        return await run_in_threadpool(
            service.receive, session, service.store_of(settings),
            Upload(chunks_of(upload.file), upload.filename, upload.content_type),
            principal, settings.evidence_max_bytes, report_id=report_id, case_id=case_id,
            screen=request.app.state.screen_evidence,
        )  # fmt: skip
    finally:
        await form.close()


async def _upload_page(
    request: Request, session: DbSession, principal: Principal, back: str, **target: int
) -> Response:
    try:
        await _receive(request, session, principal, **target)
    except (InvalidInput, TooLarge) as refused:
        values = {"message": refused.message, "back": back}
        return render_workspace(
            request, "evidence/refused.html", "cases", values, principal, refused.status
        )
    return RedirectResponse(back, status_code=303)


@pages.post("/reports/{report_id}/evidence")
async def upload_to_report(
    request: Request, report_id: TargetId, principal: Staff, session: DbSession, form: VerifiedForm
) -> Response:
    back = f"/reports/{report_id}"
    return await _upload_page(request, session, principal, back, report_id=report_id)


@pages.post("/cases/{case_id}/evidence")
async def upload_to_case(
    request: Request, case_id: TargetId, principal: Staff, session: DbSession, form: VerifiedForm
) -> Response:
    return await _upload_page(request, session, principal, f"/cases/{case_id}", case_id=case_id)


@pages.get("/evidence/{evidence_id}", response_class=HTMLResponse)
def evidence_page(
    request: Request, evidence_id: EvidenceId, principal: Staff, session: DbSession
) -> HTMLResponse:
    view = service.view_evidence(session, evidence_id, principal)
    values = {"view": view, "evidence": view.evidence}
    return render_workspace(request, "evidence/evidence.html", "cases", values, principal)


def _file_response(download: Download) -> Response:
    name = download_name(download.file_name, download.media_type)
    headers = DOWNLOAD_HEADERS | {
        "Content-Disposition": f'attachment; filename="{name}"',
        "X-Evidence-SHA256": download.sha256,
    }
    return Response(download.content, media_type=download.media_type, headers=headers)


@pages.get("/evidence/{evidence_id}/download")
def download_page(
    request: Request, evidence_id: EvidenceId, principal: Staff, session: DbSession
) -> Response:
    store = service.store_of(_settings(request))
    return _file_response(service.download(session, store, evidence_id, principal))


@pages.post("/evidence/{evidence_id}/reveal")
def reveal_page(
    evidence_id: EvidenceId, principal: Staff, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    """She asks to see the image: recorded, then the page shows it to her."""
    service.reveal(session, evidence_id, principal)
    return RedirectResponse(f"/evidence/{evidence_id}#image", status_code=303)


@pages.get("/evidence/{evidence_id}/preview")
def preview_page(
    request: Request, evidence_id: EvidenceId, principal: Staff, session: DbSession
) -> Response:
    """The image, inline, for the analyst who asked to see it (never cached)."""
    shown = service.preview(session, service.store_of(_settings(request)), evidence_id, principal)
    headers = DOWNLOAD_HEADERS | {"Content-Disposition": "inline"}
    return Response(shown.content, media_type=shown.media_type, headers=headers)


@pages.post("/evidence/{evidence_id}/transfer")
async def transfer_page(
    request: Request,
    evidence_id: EvidenceId,
    principal: Staff,
    session: DbSession,
    form: VerifiedForm,
) -> RedirectResponse:
    partner, reason = form.get("partner"), form.get("reason")
    await run_in_threadpool(
        service.transfer, session, evidence_id,
        partner if isinstance(partner, str) else "", reason if isinstance(reason, str) else "",
        principal,
    )  # fmt: skip
    return RedirectResponse(f"/evidence/{evidence_id}", status_code=303)


# The JSON API: the same use cases.


def _read(view: EvidenceView, duplicate: bool | None = None) -> EvidenceRead:
    e = view.evidence
    return EvidenceRead(
        id=e.id, sha256=e.sha256, size=e.size, media_type=e.media_type,
        original_name=e.original_name, uploaded_by=e.uploaded_by, uploaded_at=e.uploaded_at,
        duplicate=duplicate,
        attachments=[
            AttachmentRead(report_id=a.report_id, case_id=a.case_id, file_name=a.file_name,
                           attached_by=a.attached_by, attached_at=a.attached_at)
            for a in view.attachments
        ],
        custody=[CustodyRead(action=c.action, actor=c.actor, at=c.at, details=c.details)
                 for c in view.custody],
    )  # fmt: skip


def _received(received: Received) -> EvidenceRead:
    return _read(EvidenceView(received.evidence, [], []), received.duplicate)


@router.post(
    "/reports/{report_id}/evidence",
    response_model=EvidenceRead,
    status_code=201,
    openapi_extra=UPLOAD_BODY,
    responses=error_responses(400),
)
async def upload_to_report_api(
    request: Request, report_id: TargetId, principal: Staff, session: DbSession
) -> EvidenceRead:
    received = await _receive(request, session, principal, report_id=report_id)
    return _received(received)


@router.post(
    "/cases/{case_id}/evidence",
    response_model=EvidenceRead,
    status_code=201,
    openapi_extra=UPLOAD_BODY,
    responses=error_responses(400),
)
async def upload_to_case_api(
    request: Request, case_id: TargetId, principal: Staff, session: DbSession
) -> EvidenceRead:
    received = await _receive(request, session, principal, case_id=case_id)
    return _received(received)


@router.get("/evidence/{evidence_id}", response_model=EvidenceRead)
def evidence_api(evidence_id: EvidenceId, principal: Staff, session: DbSession) -> EvidenceRead:
    return _read(service.view_evidence(session, evidence_id, principal))


@router.get("/evidence/{evidence_id}/content", responses=FILE_CONTENT)
def download_api(
    request: Request, evidence_id: EvidenceId, principal: Staff, session: DbSession
) -> Response:
    store = service.store_of(_settings(request))
    return _file_response(service.download(session, store, evidence_id, principal))


@router.post("/evidence/{evidence_id}/transfers", response_model=CustodyRead, status_code=201)
def transfer_api(
    evidence_id: EvidenceId, body: TransferCreate, principal: Staff, session: DbSession
) -> CustodyRead:
    entry = service.transfer(session, evidence_id, body.partner, body.reason, principal)
    return CustodyRead(action=entry.action, actor=entry.actor, at=entry.at, details=entry.details)
