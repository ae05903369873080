"""The lessons' pages: the list by audience, a lesson and its quiz as a plain form (POST, a 303
to the feedback, CSRF), the anonymous totals it adds to, and the trainer's view (staff)."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.conftest import ClientAs

from tipline.lessons.content import library
from tipline.lessons.models import QuizTally, TrainingSession

LESSON = "fake-police-call"
RIGHT = {"q1": "2", "q2": "2", "q3": "2"}  # the lesson's right answers


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page has no CSRF token"
    return found.group(1)


def answer(client: TestClient, answers: dict[str, str], session: str = "") -> object:
    page = client.get(f"/lessons/{LESSON}")
    form = {"csrf_token": csrf_token(page.text), "session": session, **answers}
    return client.post(f"/lessons/{LESSON}/quiz", data=form, follow_redirects=False)


def tallies(db_session: Session) -> list[tuple[str, int, int, str, int]]:
    rows = db_session.execute(
        select(
            QuizTally.lesson, QuizTally.question, QuizTally.choice, QuizTally.session_code,
            QuizTally.count,
        ).order_by(QuizTally.question, QuizTally.choice, QuizTally.session_code)
    )  # fmt: skip
    return [tuple(row) for row in rows]  # type: ignore[misc]


def test_the_list_shows_each_audience_its_lessons_in_both_languages(client: TestClient) -> None:
    vi = client.get("/lessons?lang=vi")
    assert vi.status_code == 200
    for audience in ("Phụ nữ và trẻ em gái", "Học sinh, sinh viên", "Cha mẹ", "Người cao tuổi"):
        assert audience in vi.text
    parents = client.get("/lessons?audience=parents&lang=en").text
    assert "When a stranger online gets close to your child" in parents
    assert "Easy money: paid" not in parents  # a lesson for students and women only
    assert f'href="/lessons/{LESSON}"' in parents


def test_a_lesson_shows_its_example_and_quiz_as_a_form(client: TestClient) -> None:
    page = client.get(f"/lessons/{LESSON}?lang=en")
    assert page.status_code == 200
    assert "Mrs Lan and the 9 a.m. call" in page.text
    assert f'<form method="post" action="/lessons/{LESSON}/quiz"' in page.text
    assert page.text.count('type="radio"') == 9
    assert "<script" not in page.text
    assert client.get("/lessons/no-such-lesson").status_code == 404


def test_answering_redirects_to_feedback_and_counts_anonymously(
    client: TestClient, db_session: Session
) -> None:
    posted = answer(client, {"q1": "1", "q2": "2", "q3": "3"})
    assert posted.status_code == 303  # type: ignore[attr-defined]
    where = posted.headers["location"]  # type: ignore[attr-defined]
    assert where == f"/lessons/{LESSON}/result?answers=1-2-3"
    feedback = client.get(f"{where}&lang=en").text
    assert "You answered 1 of 3 questions right." in feedback
    assert "The police never ask for money to check anything" in feedback  # choice 1's feedback
    assert "Do not send another dong" in feedback  # choice 3's feedback of question 3
    once = [(LESSON, 1, 1, "", 1), (LESSON, 2, 2, "", 1), (LESSON, 3, 3, "", 1)]
    assert tallies(db_session) == once
    answer(client, {"q1": "1", "q2": "1", "q3": "3"})
    assert tallies(db_session)[0] == (LESSON, 1, 1, "", 2)
    day = db_session.scalars(select(QuizTally.day)).first()
    assert isinstance(day, date)  # the day alone: no time, no address, no cookie kept
    assert {c.name for c in QuizTally.__table__.columns} == {
        "lesson", "question", "choice", "session_code", "day", "count",
    }  # fmt: skip


def test_the_feedback_says_each_verdict_once(client: TestClient) -> None:
    for language, right, wrong in (("en", "Right.", "Not quite."), ("vi", "Đúng.", "Chưa đúng.")):
        page = client.get(f"/lessons/{LESSON}/result?answers=1-2-3&lang={language}").text
        assert page.count(f"<strong>{right}</strong>") == 1
        assert page.count(f"<strong>{wrong}</strong>") == 2
        assert (page.count(right), page.count(wrong)) == (1, 2)


def test_an_incomplete_quiz_or_an_unknown_code_is_shown_again_and_not_counted(
    client: TestClient, db_session: Session
) -> None:
    missing = answer(client, {"q1": "2", "q2": "2"})
    assert missing.status_code == 422  # type: ignore[attr-defined]
    assert 'value="2" required checked' in missing.text  # type: ignore[attr-defined]
    unknown = answer(client, RIGHT, session="ZZZZZZ")
    assert unknown.status_code == 422  # type: ignore[attr-defined]
    assert 'aria-invalid="true"' in unknown.text  # type: ignore[attr-defined]
    out_of_range = answer(client, {"q1": "9", "q2": "2", "q3": "2"})
    assert out_of_range.status_code == 422  # type: ignore[attr-defined]
    assert tallies(db_session) == []


def test_a_quiz_without_its_csrf_token_is_refused(client: TestClient, db_session: Session) -> None:
    posted = client.post(f"/lessons/{LESSON}/quiz", data=RIGHT, follow_redirects=False)
    assert posted.status_code == 403
    assert tallies(db_session) == []


def test_a_result_address_that_does_not_fit_the_quiz_is_not_found(client: TestClient) -> None:
    for answers in ("1-2", "1-2-3-4", "9-9-9", "x", ""):
        page = client.get(f"/lessons/{LESSON}/result?answers={answers}")
        assert page.status_code == 404, answers


def test_a_trainer_makes_a_code_and_sees_its_totals_only(
    client_as: ClientAs, client: TestClient, db_session: Session
) -> None:
    trainer = client_as("analyst")
    page = trainer.get("/trainer")
    assert page.status_code == 200
    made = trainer.post(
        "/trainer/sessions",
        data={"csrf_token": csrf_token(page.text), "label": "Hội LHPN Ninh Bình"},
        follow_redirects=False,
    )
    assert made.status_code == 303
    code = made.headers["location"].rsplit("/", 1)[-1]
    stored = db_session.scalars(select(TrainingSession)).one()
    made_as = (stored.code, stored.label, stored.created_by)
    assert made_as == (code, "Hội LHPN Ninh Bình", "analyst:lan")
    assert trainer.get(f"/trainer/sessions/{code}").text.count("<caption>") == 0
    answer(client, RIGHT, session=code.lower())  # typed in lower case: still the code
    answer(client, {"q1": "1", "q2": "2", "q3": "2"}, session=code)
    answer(client, {"q1": "3", "q2": "2", "q3": "2"})  # outside the session
    totals = trainer.get(f"/trainer/sessions/{code}?lang=en").text
    assert "Quizzes taken: 2" in totals
    assert totals.count("<caption>") == 3
    rows = re.findall(r'data-label="Answers">(\d+)</td><td data-label="Share">(\d+)%', totals)
    assert rows[:3] == [("1", "50"), ("1", "50"), ("0", "0")]  # question 1: one each of A and B
    assert client.get(f"/trainer/sessions/{code}").status_code == 401
    assert client_as("partner").get("/trainer").status_code == 403


def test_the_footer_links_the_lessons(client: TestClient) -> None:
    assert 'href="/lessons"' in client.get("/about").text


def test_every_lesson_page_renders_in_both_languages(client: TestClient) -> None:
    for lesson in library().lessons:
        for language in ("vi", "en"):
            page = client.get(f"/lessons/{lesson.slug}?lang={language}")
            assert page.status_code == 200
            assert lesson.title(language) in page.text
