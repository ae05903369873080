"""Every lesson file fits the schema, every topic's audiences have a lesson, every lesson speaks
both languages; a bad file is refused with its name and the field at fault."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest

from tipline.lessons.content import AUDIENCES, LessonFileError, library, read_lesson, read_library

DATA = Path(str(resources.files("tipline.lessons").joinpath("data")))
LESSON_FILES = sorted(p for p in DATA.glob("*.yaml") if p.name != "topics.yaml")
VERDICT = re.compile(r"(?:Not right|Not quite|Right|Wrong|Correct|Chưa đúng|Đúng|Sai)\b[.!:,]")
TOPICS = {
    "fake-police-calls",
    "investment-task-scams",
    "sextortion",
    "grooming",
    "image-sharing",
    "account-takeover",
    "loan-apps",
}


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.name)
def test_every_lesson_file_fits_the_schema(path: Path) -> None:
    lesson = read_lesson(path.name, path.read_text("utf-8"))
    assert lesson.slug == path.stem
    assert 3 <= len(lesson.quiz) <= 5
    for text in (lesson.title, lesson.summary, lesson.example.title):
        assert text.vi.strip()
        assert text.en.strip()
        assert text.vi != text.en
    for question in lesson.quiz:
        assert [c.correct for c in question.choices].count(True) == 1
        assert all(c.feedback.vi and c.feedback.en for c in question.choices)
        for choice in question.choices:  # the result page says right or not; feedback says why
            assert not VERDICT.match(choice.feedback.vi), choice.feedback.vi
            assert not VERDICT.match(choice.feedback.en), choice.feedback.en


def test_the_seven_topics_and_four_audiences_are_all_covered() -> None:
    found = library()
    assert {topic.slug for topic in found.topics} == TOPICS
    assert found.missing() == []
    covered = {(lesson.topic, a) for lesson in found.lessons for a in lesson.audiences}
    for topic in found.topics:
        for audience in topic.audiences:
            assert (topic.slug, audience) in covered, (topic.slug, audience)
    for audience in AUDIENCES:
        assert found.for_audience(audience), audience
    assert len(found.lessons) == len(LESSON_FILES) >= 7


def test_every_audience_has_lessons_written_to_it_alone_and_sees_them_first() -> None:
    """Lessons shared by all four audiences speak to no one in particular: each audience has
    its own (women: faked pictures; students: "online kidnapping"; parents: a child threatened;
    older people: an app installed for a caller), shown at the top of its list."""
    found = library()
    for audience in AUDIENCES:
        own = found.written_to(audience)
        assert own, audience
        shown = found.for_audience(audience)
        assert shown[: len(own)] == own, audience
        assert all(len(lesson.audiences) > 1 for lesson in shown[len(own) :]), audience
    assert {lesson.slug for lesson in found.written_to("students")} == {"online-kidnapping"}
    assert "fake-app-install" in {lesson.slug for lesson in found.written_to("older_people")}


def test_a_missing_pairing_is_named() -> None:
    found = library()
    without = type(found)(found.topics, tuple(x for x in found.lessons if x.topic != "grooming"))
    assert ("grooming", "parents") in without.missing()


GOOD = (DATA / "loan-apps.yaml").read_text("utf-8")


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        (("audiences: [women_girls,", "audiences: [grannies,"), "audiences.0", "Input should be"),
        (("correct: true", "correct: false"), "quiz.0", "exactly one correct choice, not 0"),
        (('  en: "Quick loan apps', '  fr: "Quick loan apps'), "title.en", "Field required"),
        (("slug: loan-apps", "slug: Loan Apps"), "slug", "String should match pattern"),
    ],
)
def test_a_bad_file_is_refused_naming_the_file_and_the_field(
    change: tuple[str, str], field: str, reason: str
) -> None:
    old, new = change
    text = GOOD.replace(old, new, 1)
    with pytest.raises(LessonFileError) as refused:
        read_lesson("loan-apps.yaml", text)
    assert refused.value.file == "loan-apps.yaml"
    assert refused.value.field.startswith(field)
    assert reason in refused.value.reason
    assert str(refused.value).startswith(f"loan-apps.yaml: {refused.value.field}: ")


def test_lines_must_match_in_number_and_yaml_must_parse() -> None:
    first = '    - "Chỉ vay ở ngân hàng'
    text = GOOD.replace(first, f'    - "Một dòng thừa"\n{first}')
    with pytest.raises(LessonFileError) as refused:
        read_lesson("loan-apps.yaml", text)
    assert refused.value.field == "actions"
    assert "vi has 5 lines and en 4" in refused.value.reason
    with pytest.raises(LessonFileError) as broken:
        read_lesson("x.yaml", "slug: [unclosed")
    assert (broken.value.file, broken.value.field) == ("x.yaml", "(file)")


def test_a_folder_with_an_unknown_topic_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "topics.yaml").write_text((DATA / "topics.yaml").read_text("utf-8"), "utf-8")
    (tmp_path / "loan-apps.yaml").write_text(GOOD.replace("topic: loan-apps", "topic: bingo"))
    with pytest.raises(LessonFileError) as refused:
        read_library(tmp_path)  # type: ignore[arg-type]
    assert (refused.value.file, refused.value.field) == ("loan-apps.yaml", "topic")


def test_a_key_given_twice_is_refused_not_silently_dropped() -> None:
    text = GOOD.replace("slug: loan-apps\n", "slug: loan-apps\nslug: loan-apps\n", 1)
    with pytest.raises(LessonFileError) as refused:
        read_lesson("loan-apps.yaml", text)
    assert refused.value.field == "(file)"
    assert "the key 'slug' is given twice (line 2)" in refused.value.reason
