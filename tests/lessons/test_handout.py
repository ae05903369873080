"""A lesson as a PDF handout (fpdf2 and DejaVu, as cooperation's documents): opened with pypdf,
it holds the lesson's title and every question, in Vietnamese and in English."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader
from tests.conftest import ClientAs

from tipline.lessons.content import library
from tipline.lessons.handout import handout_pdf


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_handout_holds_the_title_and_every_question(language: str) -> None:
    lesson = library().lesson("loan-apps")
    assert lesson is not None
    text = pdf_text(handout_pdf(lesson, language, date(2026, 12, 7)))
    assert lesson.title(language) in text
    for question in lesson.quiz:
        assert question.text(language) in text
        assert question.choices[0].text(language) in text
    assert "2026-12-07" in text
    other = "en" if language == "vi" else "vi"
    assert lesson.title(other) not in text


def test_staff_download_a_handout_and_no_one_else(client_as: ClientAs) -> None:
    got = client_as("supervisor").get("/trainer/lessons/sextortion/handout?lang=en")
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/pdf"
    assert 'filename="sextortion-en.pdf"' in got.headers["content-disposition"]
    assert "Threats to share your intimate images" in pdf_text(got.content)
    assert client_as("platform").get("/trainer/lessons/sextortion/handout").status_code == 403
    assert client_as("analyst").get("/trainer/lessons/nothing/handout").status_code == 404
