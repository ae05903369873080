"""Urgency does not depend on the language a story is written in (issue 13): the same story in
Vietnamese, in Vietnamese without diacritics and in English gets the same urgency.

`paired_stories.jsonl` holds 36 stories over all twelve categories, each written by hand in
both languages by the project's engineers (2026-12-07); the unaccented form is generated.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tipline.indicators.allowlist import curated_allowlist
from tipline.indicators.folding import fold
from tipline.triage.engine import triage_with
from tipline.triage.model import TriageModel
from tipline.vocabulary import CATEGORIES

CURATED = curated_allowlist()
STORIES = [
    json.loads(line)
    for line in (Path(__file__).parent / "paired_stories.jsonl").read_text("utf-8").splitlines()
]


def _tellings(story: dict[str, str]) -> dict[str, str]:
    return {"vi": story["vi"], "vi without diacritics": fold(story["vi"]), "en": story["en"]}


def test_the_stories_cover_every_category() -> None:
    assert len(STORIES) >= 30
    assert {story["category"] for story in STORIES} == set(CATEGORIES)


@pytest.mark.parametrize("story", STORIES, ids=lambda story: story["en"][:40])
def test_the_same_story_gets_the_same_urgency_in_every_language(
    model: TriageModel, story: dict[str, str]
) -> None:
    urgencies = {
        telling: triage_with(model, CURATED, text).urgency.value
        for telling, text in _tellings(story).items()
    }
    assert set(urgencies.values()) == {story["urgency"]}, urgencies
