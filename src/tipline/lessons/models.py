"""The trainers' session codes and the quizzes' anonymous totals.

A total is a count of answers by lesson, question, choice, session code and day: no person,
no address, no cookie, no time finer than the day is kept, so no answer can be traced back to
whoever gave it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tipline.db import Base
from tipline.db_types import BigId

CODE_LENGTH = 8
SLUG_LENGTH = 80
LABEL_LENGTH = 200
ACTOR_LENGTH = 200
NO_SESSION = ""  # the session code of answers given outside any trainer's session


class TrainingSession(Base):
    """A workshop a trainer runs: its code, which the participants type (or follow a link
    with), gathers their quiz answers into the session's own totals."""

    __tablename__ = "lesson_session"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(CODE_LENGTH), unique=True)
    label: Mapped[str] = mapped_column(String(LABEL_LENGTH))
    created_by: Mapped[str] = mapped_column(String(ACTOR_LENGTH))
    created_on: Mapped[date] = mapped_column(Date)


class QuizTally(Base):
    """How many answers chose one choice of one question, in one session, on one day."""

    __tablename__ = "quiz_tally"

    lesson: Mapped[str] = mapped_column(String(SLUG_LENGTH), primary_key=True)
    question: Mapped[int] = mapped_column(Integer, primary_key=True)
    choice: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_code: Mapped[str] = mapped_column(String(CODE_LENGTH), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
