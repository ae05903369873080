"""Every query on session codes and quiz totals. Only staff read sessions and totals (decided
in the statement, from the caller); anyone may add to the totals and ask whether a code exists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, false, func, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tipline.lessons.models import QuizTally, TrainingSession
from tipline.principals import Caller, is_staff

SESSIONS_SHOWN = 200


def _staff_only(caller: Caller) -> ColumnElement[bool]:
    return true() if is_staff(caller) else false()


def code_exists(session: Session, code: str) -> bool:
    """Whether a trainer made this code (what a participant's answer needs to count in it)."""
    stmt = select(TrainingSession.id).where(TrainingSession.code == code)
    return session.scalar(stmt) is not None


def add_session(session: Session, code: str, label: str, actor: str, day: date) -> None:
    session.add(TrainingSession(code=code, label=label, created_by=actor, created_on=day))
    session.flush()


def readable_session(session: Session, caller: Caller, code: str) -> TrainingSession | None:
    stmt = select(TrainingSession).where(_staff_only(caller), TrainingSession.code == code)
    return session.scalars(stmt).first()


def readable_sessions(session: Session, caller: Caller) -> list[TrainingSession]:
    """The latest sessions first."""
    stmt = (
        select(TrainingSession)
        .where(_staff_only(caller))
        .order_by(TrainingSession.created_on.desc(), TrainingSession.id.desc())
        .limit(SESSIONS_SHOWN)
    )
    return list(session.scalars(stmt))


def add_answers(
    session: Session, lesson: str, answers: Sequence[int], code: str, day: date
) -> None:
    """One more answer on each (question, choice): INSERT … ON CONFLICT DO UPDATE, so that two
    participants answering at once never lose a count, in either database."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    for question, choice in enumerate(answers, start=1):
        insert = dialect.insert(QuizTally).values(
            lesson=lesson, question=question, choice=choice, session_code=code, day=day, count=1
        )
        session.execute(
            insert.on_conflict_do_update(
                index_elements=["lesson", "question", "choice", "session_code", "day"],
                set_={"count": QuizTally.count + 1},
            )
        )


def totals(session: Session, caller: Caller, code: str | None) -> list[tuple[str, int, int, int]]:
    """(lesson, question, choice, answers) over every day, of one session (None: of all
    answers); staff only."""
    answers = func.sum(QuizTally.count)
    stmt = (
        select(QuizTally.lesson, QuizTally.question, QuizTally.choice, answers)
        .where(_staff_only(caller))
        .group_by(QuizTally.lesson, QuizTally.question, QuizTally.choice)
        .order_by(QuizTally.lesson, QuizTally.question, QuizTally.choice)
    )
    if code is not None:
        stmt = stmt.where(QuizTally.session_code == code)
    return [(lesson, q, c, int(n)) for lesson, q, c, n in session.execute(stmt)]
