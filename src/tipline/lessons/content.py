"""A lesson as data: the schema every file in `data/` is read through, and the reader.

A lesson file is YAML: its slug, topic, audiences, every text in Vietnamese and English
(`{vi: …, en: …}`), a written example and a quiz of 3 to 5 questions whose every choice carries
its own feedback. `topics.yaml` names the topics, the report categories whose published alerts
a lesson of the topic shows, and the audiences each topic concerns. A bad file is refused with
its name and the field at fault (`LessonFileError`), so an NGO adding a lesson learns what to
fix. Pure: files in, values out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tipline.vocabulary import CATEGORIES

AUDIENCES = ("women_girls", "students", "parents", "older_people")
Audience = Literal["women_girls", "students", "parents", "older_people"]
TOPICS_FILE = "topics.yaml"
M = TypeVar("M", bound=BaseModel)
MIN_QUESTIONS, MAX_QUESTIONS = 3, 5
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Line = Annotated[str, Field(min_length=1, max_length=2000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """One text in both languages."""

    vi: Line
    en: Line

    def __call__(self, language: str) -> str:
        return self.en if language == "en" else self.vi


class Lines(Strict):
    """A list of short lines in both languages (the same number in each)."""

    vi: list[Line] = Field(min_length=1, max_length=12)
    en: list[Line] = Field(min_length=1, max_length=12)

    @model_validator(mode="after")
    def _same_length(self) -> Lines:
        if len(self.vi) != len(self.en):
            raise ValueError(f"vi has {len(self.vi)} lines and en {len(self.en)}")
        return self

    def __call__(self, language: str) -> list[str]:
        return self.en if language == "en" else self.vi


class Choice(Strict):
    text: Text
    correct: bool = False
    feedback: Text


class Question(Strict):
    text: Text
    choices: list[Choice] = Field(min_length=2, max_length=5)

    @model_validator(mode="after")
    def _one_correct(self) -> Question:
        right = sum(choice.correct for choice in self.choices)
        if right != 1:
            raise ValueError(f"a question needs exactly one correct choice, not {right}")
        return self


class Example(Strict):
    """A scene written by us, in the words a victim might meet it (no real person's)."""

    title: Text
    story: Lines


class Lesson(Strict):
    slug: Slug
    topic: Slug
    audiences: list[Audience] = Field(min_length=1)
    title: Text
    summary: Text
    signs: Lines
    actions: Lines
    example: Example
    quiz: list[Question] = Field(min_length=MIN_QUESTIONS, max_length=MAX_QUESTIONS)


class Topic(Strict):
    slug: Slug
    title: Text
    categories: list[str] = Field(min_length=1)
    audiences: list[Audience] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_categories(self) -> Topic:
        unknown = sorted(set(self.categories) - set(CATEGORIES))
        if unknown:
            raise ValueError(f"unknown categories {unknown}")
        return self


class TopicFile(Strict):
    topics: list[Topic] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class LessonFileError(ValueError):
    """A lesson file the schema refuses: which file, which field, why."""

    file: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.reason}"


@dataclass(frozen=True)
class Library:
    """Every topic and lesson, in file order."""

    topics: tuple[Topic, ...]
    lessons: tuple[Lesson, ...]

    def lesson(self, slug: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.slug == slug), None)

    def topic(self, slug: str) -> Topic | None:
        return next((topic for topic in self.topics if topic.slug == slug), None)

    def for_audience(self, audience: str) -> list[Lesson]:
        """The audience's lessons, those written to it alone first (then in file order)."""
        found = [lesson for lesson in self.lessons if audience in lesson.audiences]
        return sorted(found, key=lambda lesson: len(lesson.audiences) > 1)

    def written_to(self, audience: str) -> list[Lesson]:
        """The lessons written to this audience alone, not shared with the others."""
        return [lesson for lesson in self.lessons if lesson.audiences == [audience]]

    def missing(self) -> list[tuple[str, str]]:
        """(topic, audience) pairs a topic concerns that no lesson covers."""
        covered = {(lesson.topic, a) for lesson in self.lessons for a in lesson.audiences}
        return [
            (topic.slug, audience)
            for topic in self.topics
            for audience in topic.audiences
            if (topic.slug, audience) not in covered
        ]


def _field(location: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in location) or "(file)"


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key given twice in one mapping (YAML would keep the last
    silently: a second `vi:` would drop the first text without a word)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                line = key_node.start_mark.line + 1
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice (line {line})"
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _parse(model: type[M], name: str, text: str) -> M:
    try:
        raw = yaml.load(text, Loader=_UniqueKeyLoader)  # a safe loader
    except yaml.YAMLError as error:
        raise LessonFileError(name, "(file)", f"not YAML: {error}") from None
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        raise LessonFileError(name, _field(first["loc"]), first["msg"]) from None


def read_lesson(name: str, text: str) -> Lesson:
    """One lesson file's text through the schema; `LessonFileError` names the field at fault."""
    lesson = _parse(Lesson, name, text)
    stem = name.rsplit("/", 1)[-1].removesuffix(".yaml")
    if lesson.slug != stem:
        raise LessonFileError(name, "slug", f"{lesson.slug!r} is not the file's name {stem!r}")
    return lesson


def _lesson_files(folder: Traversable) -> Iterator[Traversable]:
    names = sorted(e.name for e in folder.iterdir() if e.name.endswith(".yaml"))
    return (folder.joinpath(name) for name in names if name != TOPICS_FILE)


def read_library(folder: Traversable) -> Library:
    """Every lesson of `folder` and its topics, each lesson's topic checked against them."""
    topics = _parse(TopicFile, TOPICS_FILE, folder.joinpath(TOPICS_FILE).read_text("utf-8"))
    known = {topic.slug for topic in topics.topics}
    lessons: list[Lesson] = []
    for entry in _lesson_files(folder):
        lesson = read_lesson(entry.name, entry.read_text("utf-8"))
        if lesson.topic not in known:
            raise LessonFileError(entry.name, "topic", f"{lesson.topic!r} is no topic")
        if any(earlier.slug == lesson.slug for earlier in lessons):
            raise LessonFileError(entry.name, "slug", f"{lesson.slug!r} is used twice")
        lessons.append(lesson)
    return Library(tuple(topics.topics), tuple(lessons))


@lru_cache(maxsize=1)
def library() -> Library:
    """The lessons bundled with tipline."""
    return read_library(resources.files("tipline.lessons").joinpath("data"))
