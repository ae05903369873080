"""The lessons' pages: the list by audience, a lesson with its quiz (a plain form: POST, then a
redirect to the feedback page, so it works without JavaScript and a reload never counts twice),
and the trainer's view (staff): session codes, their totals, a lesson as a PDF handout."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from tipline.access import PUBLIC, Staff
from tipline.dependencies import DbSession
from tipline.html.protection import VerifiedForm
from tipline.html.rendering import render, render_form, render_workspace, translator
from tipline.lessons import service
from tipline.lessons.content import AUDIENCES, library
from tipline.ratelimits.dependencies import limited
from tipline.vocabulary import VIETNAM_TIME

pages = APIRouter(include_in_schema=False)

LessonSlug = Annotated[str, Path(pattern=r"^[a-z0-9-]{1,80}$")]
LESSON = "lessons/lesson.html"


def _today() -> Any:
    return datetime.now(VIETNAM_TIME).date()


@pages.get("/lessons", response_class=HTMLResponse, dependencies=[Depends(PUBLIC)])
def lessons_page(request: Request, audience: str | None = None) -> HTMLResponse:
    shown = [audience] if audience in AUDIENCES else list(AUDIENCES)
    groups = [(a, library().for_audience(a)) for a in shown]
    values = {"groups": groups, "audiences": AUDIENCES, "audience": audience}
    return render(request, "lessons/index.html", "lessons", values)


def _lesson_values(
    request: Request,
    db: Session,
    slug: str,
    code: str,
    errors: dict[str, str],
    chosen: dict[str, str],
) -> dict[str, Any]:
    lesson = service.lesson(slug)
    topic = library().topic(lesson.topic)
    alerts = service.real_examples(db, lesson, translator(request).language)
    return {"lesson": lesson, "topic": topic, "session_code": code, "errors": errors,
            "chosen": chosen, "alerts": alerts}  # fmt: skip


@pages.get("/lessons/{slug}", response_class=HTMLResponse, dependencies=[Depends(PUBLIC)])
def lesson_page(
    request: Request,
    slug: LessonSlug,
    db: DbSession,
    session: Annotated[str, Query(max_length=20)] = "",
) -> HTMLResponse:
    values = _lesson_values(request, db, slug, session, {}, {})
    return render_form(request, LESSON, "lessons", values)


@pages.post(
    "/lessons/{slug}/quiz",
    response_class=HTMLResponse,
    dependencies=[Depends(PUBLIC), limited("checks")],
)
def answer_quiz(request: Request, slug: LessonSlug, form: VerifiedForm, db: DbSession) -> Response:
    """Counts the answers in the anonymous totals, then sends the reader to the feedback."""
    typed = str(form.get("session", ""))[:20]
    try:
        answers = service.answer_quiz(db, slug, form, typed, _today())
    except (service.QuizIncomplete, service.UnknownSession) as refused:
        t = translator(request)
        errors = {refused.field or "quiz": t(f"lessons.error.{refused.code}")}
        chosen = {k: str(v) for k, v in form.items() if k.startswith("q")}
        values = _lesson_values(request, db, slug, typed, errors, chosen)
        return render_form(request, LESSON, "lessons", values, 422)
    query = urlencode(
        {"answers": answers.text} | ({"session": answers.code} if answers.code else {})
    )
    return RedirectResponse(f"/lessons/{slug}/result?{query}", status_code=303)


@pages.get("/lessons/{slug}/result", response_class=HTMLResponse, dependencies=[Depends(PUBLIC)])
def result_page(
    request: Request,
    slug: LessonSlug,
    answers: Annotated[str, Query(max_length=20)] = "",
    session: Annotated[str, Query(max_length=20)] = "",
) -> HTMLResponse:
    lesson, result = service.feedback(slug, answers)
    values = {"lesson": lesson, "result": result, "session_code": session}
    return render(request, "lessons/result.html", "lessons", values)


@pages.get("/trainer", response_class=HTMLResponse)
def trainer_page(request: Request, principal: Staff, db: DbSession) -> HTMLResponse:
    values = {"sessions": service.sessions(db, principal), "lessons": library().lessons}
    return render_workspace(request, "lessons/trainer.html", "trainer", values, principal)


@pages.post("/trainer/sessions")
def create_session(principal: Staff, form: VerifiedForm, db: DbSession) -> Response:
    label = str(form.get("label", ""))
    code = service.create_session(db, principal, label, _today())
    return RedirectResponse(f"/trainer/sessions/{code}", status_code=303)


@pages.get("/trainer/sessions/{code}", response_class=HTMLResponse)
def session_page(
    request: Request, code: Annotated[str, Path(max_length=20)], principal: Staff, db: DbSession
) -> HTMLResponse:
    report = service.session_report(db, principal, code)
    values = {"report": report}
    return render_workspace(request, "lessons/session.html", "trainer", values, principal)


@pages.get("/trainer/lessons/{slug}/handout")
def handout(
    slug: LessonSlug,
    principal: Staff,
    lang: Annotated[str, Query(pattern="^(vi|en)$")] = "vi",
) -> Response:
    """The lesson as a PDF handout, in `lang`, to print for a workshop."""
    pdf = service.handout(slug, lang, _today())
    headers = {
        "Content-Disposition": f'attachment; filename="{slug}-{lang}.pdf"',
        "Cache-Control": "no-store",
    }
    return Response(pdf, media_type="application/pdf", headers=headers)
