"""The quiz's arithmetic, pure: reading a form's answers, the feedback on them, the answers as
a short text for the result page's address, and session codes.

Questions and choices are numbered from 1, as people count them (and as the totals keep them).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from tipline.lessons.content import Choice, Lesson, Question

# No 0/O, 1/I/L: a code is read aloud in a hall and typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_SIZE = 6
_CODE = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_SIZE}}}$")
_ANSWERS = re.compile(r"^[1-9](-[1-9]){0,9}$")


@dataclass(frozen=True, slots=True)
class Answered:
    """One question as answered: what was chosen, whether it was right, and the right one."""

    number: int
    question: Question
    chosen: Choice
    correct: Choice

    @property
    def is_right(self) -> bool:
        return self.chosen is self.correct


@dataclass(frozen=True, slots=True)
class Result:
    answered: tuple[Answered, ...]

    @property
    def right(self) -> int:
        return sum(a.is_right for a in self.answered)

    @property
    def total(self) -> int:
        return len(self.answered)


def form_answers(lesson: Lesson, form: Mapping[str, object]) -> tuple[int, ...] | None:
    """The choice (from 1) of every question, from fields `q1`, `q2`…; None unless every
    question has one valid choice."""
    chosen = []
    for number, question in enumerate(lesson.quiz, start=1):
        value = form.get(f"q{number}")
        if not isinstance(value, str) or not value.isdigit():
            return None
        choice = int(value)
        if not 1 <= choice <= len(question.choices):
            return None
        chosen.append(choice)
    return tuple(chosen)


def encode_answers(answers: tuple[int, ...]) -> str:
    """`(2, 1, 3)` → `2-1-3`, for the result page's address."""
    return "-".join(str(choice) for choice in answers)


def decode_answers(lesson: Lesson, text: str) -> tuple[int, ...] | None:
    """The answers of a result address, or None when they do not fit the lesson."""
    if not _ANSWERS.fullmatch(text):
        return None
    answers = tuple(int(part) for part in text.split("-"))
    form = {f"q{n}": str(choice) for n, choice in enumerate(answers, start=1)}
    return answers if len(answers) == len(lesson.quiz) and form_answers(lesson, form) else None


def result(lesson: Lesson, answers: tuple[int, ...]) -> Result:
    """Each question with the chosen choice and the correct one (answers from `form_answers`)."""
    answered = []
    for number, (question, choice) in enumerate(zip(lesson.quiz, answers, strict=True), start=1):
        correct = next(c for c in question.choices if c.correct)
        answered.append(Answered(number, question, question.choices[choice - 1], correct))
    return Result(tuple(answered))


def new_code() -> str:
    """A fresh session code: six characters, about 30 bits."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_SIZE))


def clean_code(text: str) -> str:
    """A typed session code as stored: upper case, without spaces and dashes."""
    return re.sub(r"[\s-]", "", text).upper()[: CODE_SIZE + 2]


def is_code(text: str) -> bool:
    return bool(_CODE.fullmatch(text))


@dataclass(frozen=True, slots=True)
class ChoiceTotal:
    number: int
    choice: Choice
    answers: int
    share: int  # per cent of the question's answers, rounded


@dataclass(frozen=True, slots=True)
class QuestionTotal:
    number: int
    question: Question
    answers: int
    choices: tuple[ChoiceTotal, ...]


@dataclass(frozen=True, slots=True)
class LessonTotal:
    """A lesson's anonymous totals: how many took its quiz, and each choice's count."""

    lesson: Lesson
    takers: int
    questions: tuple[QuestionTotal, ...]


def lesson_totals(lesson: Lesson, counts: Mapping[tuple[int, int], int]) -> LessonTotal:
    """The totals of one lesson from counts by (question, choice); every question answers
    once per quiz taken, so the first question's answers are the takers."""
    questions = []
    for q, question in enumerate(lesson.quiz, start=1):
        numbers = range(1, len(question.choices) + 1)
        answers = sum(counts.get((q, c), 0) for c in numbers)
        choices = tuple(
            ChoiceTotal(c, choice, n, round(100 * n / answers) if answers else 0)
            for c, choice in zip(numbers, question.choices, strict=True)
            for n in (counts.get((q, c), 0),)
        )
        questions.append(QuestionTotal(q, question, answers, choices))
    takers = questions[0].answers if questions else 0
    return LessonTotal(lesson, takers, tuple(questions))
