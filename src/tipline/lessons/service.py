"""The lessons' use cases: a lesson for a page, a quiz answered (its totals counted), the
feedback on it, and the trainer's sessions and their totals."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from tipline.alerts.service import latest_of_categories
from tipline.errors import InvalidInput, NotFound, NotPermitted
from tipline.lessons import repository
from tipline.lessons.content import Lesson, library
from tipline.lessons.core import (
    LessonTotal,
    Result,
    clean_code,
    decode_answers,
    encode_answers,
    form_answers,
    is_code,
    lesson_totals,
    new_code,
    result,
)
from tipline.lessons.handout import handout_pdf
from tipline.lessons.models import LABEL_LENGTH, NO_SESSION, TrainingSession
from tipline.principals import Caller, Principal, is_staff

CODE_ATTEMPTS = 5
REAL_EXAMPLES = 3  # the latest published alerts a lesson shows


class QuizIncomplete(InvalidInput):
    code = "quiz_incomplete"


class UnknownSession(InvalidInput):
    code = "unknown_session"


@dataclass(frozen=True, slots=True)
class Answers:
    """A quiz as answered: the lesson, the choices as the result address writes them, and the
    session code they counted in ("" for none)."""

    slug: str
    text: str
    code: str


@dataclass(frozen=True)
class SessionReport:
    session: TrainingSession
    lessons: list[LessonTotal]


def lesson(slug: str) -> Lesson:
    """The lesson of `slug`, or NotFound."""
    found = library().lesson(slug)
    if found is None:
        raise NotFound("No such lesson.")
    return found


@dataclass(frozen=True, slots=True)
class RealExample:
    """A published alert shown beside a lesson's written example."""

    title: str
    summary: str
    href: str


def real_examples(session: Session, found: Lesson, language: str) -> list[RealExample]:
    """The latest published alerts of the lesson's topic's categories, in `language`, as the
    public reads them (the alerts' own access rule, with no caller: published ones only)."""
    topic = library().topic(found.topic)
    if topic is None:
        return []
    examples = []
    for alert in latest_of_categories(session, None, topic.categories, REAL_EXAMPLES):
        text = alert.texts.get(language) or alert.texts.get("vi")
        if text is not None and text.title:
            examples.append(RealExample(text.title, text.summary, alert.url))
    return examples


def session_code(session: Session, typed: str) -> str:
    """The typed session code as stored ("" when none was typed); UnknownSession unless a
    trainer made it."""
    code = clean_code(typed)
    if code and not (is_code(code) and repository.code_exists(session, code)):
        raise UnknownSession("No session has this code.", field="session")
    return code or NO_SESSION


def answer_quiz(
    session: Session, slug: str, form: Mapping[str, object], typed_code: str, today: date
) -> Answers:
    """Count one quiz's answers in the anonymous totals (of the session too, when its code is
    given): QuizIncomplete unless every question has an answer."""
    found = lesson(slug)
    answers = form_answers(found, form)
    if answers is None:
        raise QuizIncomplete("Answer every question.", field="quiz")
    code = session_code(session, typed_code)
    repository.add_answers(session, slug, answers, code, today)
    session.commit()
    return Answers(slug, encode_answers(answers), code)


def feedback(slug: str, answers_text: str) -> tuple[Lesson, Result]:
    """The feedback on a quiz's answers (from the result page's address)."""
    found = lesson(slug)
    answers = decode_answers(found, answers_text)
    if answers is None:
        raise NotFound("These answers do not fit this quiz.")
    return found, result(found, answers)


def create_session(session: Session, principal: Principal, label: str, today: date) -> str:
    """A new session code for a trainer's workshop."""
    if not principal.is_staff:
        raise NotPermitted("Only staff make session codes.")
    label = " ".join(label.split())[:LABEL_LENGTH]
    for _ in range(CODE_ATTEMPTS):
        code = new_code()
        if not repository.code_exists(session, code):
            repository.add_session(session, code, label, principal.actor, today)
            session.commit()
            return code
    raise InvalidInput("No free session code: try again.")


def sessions(session: Session, caller: Caller) -> list[TrainingSession]:
    return repository.readable_sessions(session, caller)


def session_report(session: Session, caller: Caller, typed_code: str) -> SessionReport:
    """A session and the totals of its answers, lesson by lesson (staff only)."""
    found = repository.readable_session(session, caller, clean_code(typed_code))
    if found is None or not is_staff(caller):
        raise NotFound("No session has this code.")
    counts: dict[str, dict[tuple[int, int], int]] = defaultdict(dict)
    for slug, question, choice, answers in repository.totals(session, caller, found.code):
        counts[slug][(question, choice)] = answers
    known = [(library().lesson(slug), by_choice) for slug, by_choice in counts.items()]
    return SessionReport(found, [lesson_totals(x, c) for x, c in known if x is not None])


def handout(slug: str, language: str, today: date) -> bytes:
    """The lesson as a PDF handout to print, in `language`."""
    return handout_pdf(lesson(slug), language, today)
