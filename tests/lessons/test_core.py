"""The quiz's arithmetic: answers read from a form and from a result address, the score, the
totals by choice, and session codes."""

from __future__ import annotations

from tipline.lessons.content import Lesson, library
from tipline.lessons.core import (
    CODE_ALPHABET,
    clean_code,
    decode_answers,
    encode_answers,
    form_answers,
    is_code,
    lesson_totals,
    new_code,
    result,
)


def police() -> Lesson:
    found = library().lesson("fake-police-call")
    assert found is not None
    return found


def test_a_form_gives_answers_only_when_every_question_has_a_valid_choice() -> None:
    lesson = police()
    assert form_answers(lesson, {"q1": "2", "q2": "1", "q3": "3"}) == (2, 1, 3)
    assert form_answers(lesson, {"q1": "2", "q2": "1"}) is None
    assert form_answers(lesson, {"q1": "2", "q2": "1", "q3": "4"}) is None
    assert form_answers(lesson, {"q1": "0", "q2": "1", "q3": "1"}) is None
    assert form_answers(lesson, {"q1": "-1", "q2": "1", "q3": "1"}) is None


def test_answers_travel_in_the_address_and_back() -> None:
    lesson = police()
    assert encode_answers((2, 1, 3)) == "2-1-3"
    assert decode_answers(lesson, "2-1-3") == (2, 1, 3)
    for bad in ("2-1", "2-1-3-1", "2-1-4", "2--1", "a-b-c", "2-1-3\n"):
        assert decode_answers(lesson, bad) is None, bad


def test_the_result_scores_and_names_the_right_choice() -> None:
    lesson = police()
    scored = result(lesson, (2, 1, 2))
    assert (scored.right, scored.total) == (2, 3)
    assert [a.is_right for a in scored.answered] == [True, False, True]
    second = scored.answered[1]
    assert second.chosen is lesson.quiz[1].choices[0]
    assert second.correct is lesson.quiz[1].choices[1]


def test_totals_count_takers_and_each_choices_share() -> None:
    lesson = police()
    totals = lesson_totals(lesson, {(1, 1): 1, (1, 2): 3, (2, 2): 4, (3, 2): 2, (3, 3): 2})
    assert totals.takers == 4
    first = totals.questions[0]
    assert [(c.number, c.answers, c.share) for c in first.choices] == [
        (1, 1, 25),
        (2, 3, 75),
        (3, 0, 0),
    ]
    assert [c.share for c in totals.questions[2].choices] == [0, 50, 50]
    assert lesson_totals(lesson, {}).takers == 0


def test_session_codes_are_six_unambiguous_characters() -> None:
    codes = {new_code() for _ in range(50)}
    assert len(codes) == 50
    assert all(is_code(code) and set(code) <= set(CODE_ALPHABET) for code in codes)
    assert not set("01OIL") & set(CODE_ALPHABET)
    assert clean_code(" k7p-2qx ") == "K7P2QX"
    assert not is_code("K7P2Q")
    assert not is_code("K7P2Q0")
