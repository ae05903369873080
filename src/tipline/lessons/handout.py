"""A lesson as a printed handout (PDF, A4), in Vietnamese or English: what it is, the signs,
what to do, the example, the quiz with boxes to tick, and the answers at the foot.

Made as cooperation makes its documents (fpdf2, DejaVu Sans for every Vietnamese letter): one
PDF stack in the house.
"""

from __future__ import annotations

from datetime import date

from fpdf import FPDF

from tipline.cooperation.document import new_pdf
from tipline.html.i18n import translations
from tipline.lessons.content import Lesson

LETTERS = "ABCDE"


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 12)
    pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10.5)


def _lines(pdf: FPDF, lines: list[str], mark: str = "•") -> None:
    for line in lines:
        pdf.multi_cell(0, 5.8, f"{mark} {line}", new_x="LMARGIN", new_y="NEXT")


def _quiz(pdf: FPDF, lesson: Lesson, language: str) -> None:
    for number, question in enumerate(lesson.quiz, start=1):
        pdf.ln(1.5)
        pdf.set_font("DejaVu", "B", 10.5)
        pdf.multi_cell(
            0, 5.8, f"{number}. {question.text(language)}", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_font("DejaVu", "", 10.5)
        for letter, choice in zip(LETTERS, question.choices, strict=False):
            pdf.multi_cell(
                0, 5.8, f"   ☐ {letter}. {choice.text(language)}", new_x="LMARGIN", new_y="NEXT"
            )


def _answers(pdf: FPDF, lesson: Lesson, language: str) -> None:
    pdf.set_font("DejaVu", "", 9.5)
    for number, question in enumerate(lesson.quiz, start=1):
        letter, right = next((LETTERS[i], c) for i, c in enumerate(question.choices) if c.correct)
        text = f"{number}. {letter}: {right.feedback(language)}"
        pdf.multi_cell(0, 5.2, text, new_x="LMARGIN", new_y="NEXT")


def handout_pdf(lesson: Lesson, language: str, today: date) -> bytes:
    """The lesson as a PDF handout in `language` (vi or en)."""
    t = translations(language).gettext
    pdf = new_pdf(lesson.title(language), language)
    pdf.set_margins(18, 16, 18)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 8, lesson.title(language), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10.5)
    pdf.multi_cell(0, 5.8, lesson.summary(language), new_x="LMARGIN", new_y="NEXT")
    _heading(pdf, t("lessons.signs"))
    _lines(pdf, lesson.signs(language))
    _heading(pdf, t("lessons.actions"))
    _lines(pdf, lesson.actions(language))
    _heading(pdf, f"{t('lessons.example')}: {lesson.example.title(language)}")
    _lines(pdf, lesson.example.story(language), "–")
    _heading(pdf, t("lessons.quiz.title"))
    _quiz(pdf, lesson, language)
    _heading(pdf, t("lessons.handout.answers"))
    _answers(pdf, lesson, language)
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 8)
    footer = t("lessons.handout.footer").format(date=today.isoformat(), slug=lesson.slug)
    pdf.multi_cell(0, 4.5, footer, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
