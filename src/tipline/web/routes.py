"""The citizen pages: home, report (and its receipt), follow and check. Thin: no queries here."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from tipline.about.service import operator_profile
from tipline.access import PUBLIC
from tipline.alerts.service import alerts_for_check, public_read, published_alerts
from tipline.dependencies import DbSession, ReadSession
from tipline.errors import InvalidInput, NotFound
from tipline.html.protection import CSRF, FormExpired, check_form
from tipline.html.rendering import SCRIPTED_SECURITY_HEADERS, render, render_form, translator
from tipline.indicators.banks import BANKS
from tipline.indicators.service import check_value
from tipline.orgrequests.outcomes import follow_lines
from tipline.ratelimits.dependencies import limited
from tipline.settings import Settings
from tipline.web import verdicts
from tipline.web.attachments import (
    ACCEPT_ATTRIBUTE,
    MAX_FILES,
    MAX_TOTAL_MB,
    attach,
    read_attachments,
)
from tipline.web.filing import MAX_BODY_BYTES, file_with_files, read_filing
from tipline.web.forms import (
    AGE_GROUPS,
    CHILD_AGE_GROUPS,
    CURRENCIES,
    FIELD_ORDER,
    PROVINCES,
    ReportInput,
)
from tipline.web.holding import Held, forget, held_by, hold
from tipline.web.receipts import HeldReport, held, page_values, receipt_file_name, receipt_text
from tipline.workspace.core import MAX_NOTE_LENGTH
from tipline.workspace.service import add_reporter_note

pages = APIRouter(include_in_schema=False)

MAX_FORM_FIELDS = 30
HOME_ALERTS = 3  # the latest published alerts on the home page


STATIC_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,80}\.(css|js)")
STATIC_FOLDERS = ("", "workspace/", "vendor/")  # vendor/: built by scripts/build-assets.sh
MEDIA_TYPES = {"css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8"}


@lru_cache(maxsize=64)
def _static_file(path: str) -> bytes | None:
    entry = resources.files("tipline.html").joinpath(f"static/{path}")
    return entry.read_bytes() if entry.is_file() else None


@pages.get("/static/{folder_or_name}", dependencies=[Depends(PUBLIC)])
@pages.get("/static/{folder_or_name}/{name}", dependencies=[Depends(PUBLIC)])
def static_file(folder_or_name: str, name: str = "") -> Response:
    """tipline's stylesheets and scripts and the vendored libraries; nothing else."""
    folder, name = (f"{folder_or_name}/", name) if name else ("", folder_or_name)
    match = STATIC_NAME.fullmatch(name)
    body = _static_file(folder + name) if match and folder in STATIC_FOLDERS else None
    if body is None:
        raise NotFound("No such file.")
    headers = {"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"}
    return Response(body, media_type=MEDIA_TYPES[match.group(1)], headers=headers)  # type: ignore[union-attr]


@pages.get("/", response_class=HTMLResponse, dependencies=[Depends(PUBLIC)])
def home(request: Request, session: DbSession) -> HTMLResponse:
    profile = operator_profile(request.app.state.settings)
    base = str(request.base_url).rstrip("/")
    alerts = [public_read(a, base) for a in published_alerts(session, None, HOME_ALERTS)]
    return render(request, "web/home.html", "home", {"profile": profile, "alerts": alerts})


def in_form_order(errors: dict[str, str]) -> dict[str, str]:
    """The errors in the order of the form's fields, so that the first one takes the focus."""
    ordered = {name: errors[name] for name in FIELD_ORDER if name in errors}
    return ordered | errors


def report_page(
    request: Request,
    form: ReportInput,
    errors: dict[str, str],
    form_error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    values = {
        "form": form,
        "errors": in_form_order(errors),
        "form_error": form_error,
        "currencies": CURRENCIES,
        "age_groups": CHILD_AGE_GROUPS if form.about_child else AGE_GROUPS,
        "provinces": PROVINCES,
        "banks": BANKS,
        "max_files": MAX_FILES,
        "max_mb": MAX_TOTAL_MB,
        "accept": ACCEPT_ATTRIBUTE,
    }
    return render_form(request, "web/report.html", "report", values, status)


@pages.get("/report", response_class=HTMLResponse, dependencies=[Depends(PUBLIC)])
def report_form(request: Request, child: str = "") -> HTMLResponse:
    return report_page(request, ReportInput(about_child=child in ("1", "yes", "true")), {})


async def _report_form_data(request: Request) -> FormData | None:
    """The posted form, or None when the body is larger than any report may be."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return None
    return await request.form(max_files=1 + MAX_FILES, max_fields=MAX_FORM_FIELDS + MAX_FILES)


@pages.post(
    "/report", response_class=HTMLResponse, dependencies=[Depends(PUBLIC), limited("reports")]
)
async def report_submit(request: Request, session: DbSession) -> Response:
    form = await _report_form_data(request)
    if form is None:
        t = translator(request)
        message = t("upload.body_too_large", mb=MAX_BODY_BYTES // (1024 * 1024))
        return report_page(request, ReportInput(), {}, message, status=413)
    try:
        return await _take_report(request, session, form)
    finally:
        await form.close()  # the uploaded files' temporary files


async def _take_report(request: Request, session: Session, form: FormData) -> Response:
    t = translator(request)
    raw = ReportInput.from_form(form)
    try:  # not the CSRF dependency: a citizen's expired form keeps what she typed
        check_form(request, form)
    except FormExpired:
        return report_page(request, raw, {}, t("form.csrf"), status=403)
    filing = await read_filing(raw, form.get("qr_image"), t)
    files, refused = (
        ([], None) if raw.about_child else await read_attachments(form.getlist("files"), t)
    )
    if refused:
        filing.errors["files"] = refused
    if filing.errors:
        return report_page(request, raw, filing.errors, t("form.errors"), status=422)
    filed, files_filed = await run_in_threadpool(
        file_with_files, session, _settings(request), filing, t.language, files
    )
    if filed.errors or filed.receipt is None:
        return report_page(request, raw, filed.errors, t("form.errors"), status=422)
    code, secret = filed.receipt.code, filed.receipt.secret
    screen = request.app.state.screen_evidence
    await run_in_threadpool(files_filed.screen, session, _settings(request), screen)
    # Post/Redirect/Get: reloading the receipt reads the report again, it never files it again.
    answer = RedirectResponse("/report/receipt", status_code=303)
    hold(request, answer, code, secret)
    return answer


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _held_report(session: Session, held_codes: Held | None) -> HeldReport | None:
    if held_codes is None:
        return None
    try:
        return held(session, held_codes.code, held_codes.secret)
    except (NotFound, InvalidInput):
        return None


@pages.get("/report/receipt", response_class=HTMLResponse, dependencies=[Depends(PUBLIC)])
def receipt_page(request: Request, session: DbSession) -> HTMLResponse:
    """The receipt of the report this browser filed, for as long as it holds the codes."""
    codes = held_by(request)
    report = _held_report(session, codes)
    if report is None or codes is None:
        return render(request, "web/receipt_gone.html", "report", {}, status=404)
    values = page_values(report, codes.secret, translator(request).language)
    response = render_form(request, "web/receipt.html", "report", values)
    response.headers.update(SCRIPTED_SECURITY_HEADERS)  # the copy and print buttons
    return response


@pages.get("/report/receipt/download", dependencies=[Depends(PUBLIC)])
def receipt_download(request: Request, session: DbSession) -> Response:
    """The receipt as a small text file: code, secret, when, and where to follow it."""
    codes = held_by(request)
    report = _held_report(session, codes)
    if report is None or codes is None:
        return render(request, "web/receipt_gone.html", "report", {}, status=404)
    t = translator(request)
    body = receipt_text(report, codes.secret, t, str(request.base_url).rstrip("/"))
    headers = {
        "Content-Disposition": f'attachment; filename="{receipt_file_name(report)}"',
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    return Response(body, media_type="text/plain; charset=utf-8", headers=headers)


@pages.post("/report/receipt/forget", dependencies=[Depends(PUBLIC), CSRF])
def receipt_forget(request: Request) -> Response:
    """Forget the codes on this browser (a shared phone): the receipt is gone from it."""
    answer = RedirectResponse("/follow", status_code=303)
    forget(request, answer)
    return answer


def _follow_values(code: str) -> dict[str, Any]:
    return {
        "report": None, "code": code, "not_found": False, "form_error": None, "added": False,
        "add_errors": {}, "more": "", "max_files": MAX_FILES, "max_mb": MAX_TOTAL_MB,
        "accept": ACCEPT_ATTRIBUTE, "requests": [],
    }  # fmt: skip


@pages.get("/follow", response_class=HTMLResponse, dependencies=[Depends(PUBLIC)])
def follow_form(request: Request, session: DbSession, added: str = "") -> HTMLResponse:
    """The held report's status (and a form to add to it), or the code and secret form."""
    report = _held_report(session, held_by(request))
    values = _follow_values("") | ({"report": report, "added": added == "1"} if report else {})
    if report is not None:  # what banks and platforms were asked, and what came of it
        values["requests"] = follow_lines(session, report.holder)
    return render_form(request, "web/follow.html", "follow", values)


@pages.post("/follow/add", response_class=HTMLResponse, dependencies=[Depends(PUBLIC)])
async def follow_add(request: Request, session: DbSession) -> Response:
    """Add a message and files to the held report: a note for the analysts, and evidence."""
    form = await request.form(max_files=MAX_FILES, max_fields=5)
    try:
        return await _add_to_report(request, session, form)
    finally:
        await form.close()


async def _add_to_report(request: Request, session: Session, form: FormData) -> Response:
    t = translator(request)
    check_form(request, form)  # FormExpired: the app's "page expired" page
    report = await run_in_threadpool(_held_report, session, held_by(request))
    if report is None:
        return RedirectResponse("/follow", status_code=303)
    more = str(form.get("more", "")).strip()
    files, refused = (
        ([], None) if report.about_child else await read_attachments(form.getlist("files"), t)
    )
    errors = ({"files": refused} if refused else {}) | (
        {"more": t("follow.add.empty")} if not (more or files or refused) else {}
    )
    if len(more) > MAX_NOTE_LENGTH:
        errors["more"] = t("follow.add.too_long", max=MAX_NOTE_LENGTH)
    if errors:
        values = _follow_values("") | {"report": report, "add_errors": errors, "more": more}
        return render_form(request, "web/follow.html", "follow", values, 422)
    if more:
        await run_in_threadpool(add_reporter_note, session, report.holder, more)
    await run_in_threadpool(attach, session, _settings(request), report.holder, files)
    return RedirectResponse("/follow?added=1", status_code=303)


@pages.post("/follow", response_class=HTMLResponse, dependencies=[Depends(PUBLIC), CSRF])
async def follow_submit(request: Request, session: DbSession) -> Response:
    form = await request.form(max_files=0, max_fields=5)
    code, secret = str(form.get("code", "")).strip()[:40], str(form.get("secret", "")).strip()
    report = await run_in_threadpool(_held_report, session, Held(code, secret[:200]))
    if report is None:
        # A wrong code and a wrong secret answer the same, so neither can be guessed apart.
        values = _follow_values(code) | {"not_found": True}
        return render_form(request, "web/follow.html", "follow", values, 404)
    answer = RedirectResponse("/follow", status_code=303)
    hold(request, answer, report.code, secret[:200])
    return answer


@pages.get("/check", response_class=HTMLResponse, dependencies=[Depends(PUBLIC), limited("checks")])
def check_page(request: Request, session: ReadSession, value: str | None = None) -> HTMLResponse:
    """The check form; with a value, its verdict. An empty check says what to type."""
    typed = (value or "")[:2048]
    values: dict[str, Any] = {"value": typed, "result": None, "value_error": None, "alerts": []}
    if value is None:
        return render(request, "web/check.html", "check", values)
    if not typed.strip():
        values["value_error"] = translator(request)("check.empty")
        return render(request, "web/check.html", "check", values, status=422)
    value = typed
    try:
        result = check_value(session, value)
    except InvalidInput:
        values["value_error"] = translator(request)("error.check_value")
        return render(request, "web/check.html", "check", values, status=422)
    values["alerts"] = alerts_for_check(session, result, translator(request).language)
    return render(
        request, "web/check.html", "check", values | verdicts.page_values(result, request)
    )
