"""What a pattern's parse says about the texts it can match (`tipline.triage.prefilter`): each
word, pair, phrase or choice it reads must be in the text of every match, checked here on
patterns and texts of our own."""

from __future__ import annotations

import re

import pytest

from tipline.triage.prefilter import (
    needed_choices,
    needed_pairs,
    needed_phrases,
    needed_words,
    required_words,
    text_keys,
    word_index,
)

PATTERNS = {
    r"\bkhong (?:the )?song noi\b": ["khong song noi", "toi khong the song noi nua"],
    r"\b(?:viet|de lai) (?:la thu|loi nhan) cuoi\b": ["de lai loi nhan cuoi", "viet la thu cuoi"],
    r"\b(?:good ?bye|bye) (?:mum|everyone)\b": ["goodbye mum", "good bye everyone", "bye mum"],
    r"\bsuicid(?:e|al)\b": ["she is suicidal", "suicide"],
    r"\bnhay (?:cau|lau)\b": ["doa nhay cau", "nhay lau"],
}


def test_the_words_read_from_a_pattern() -> None:
    assert needed_words(r"\bkhong (?:the )?song noi\b") == {"khong", "song", "noi"}
    assert needed_pairs(r"\bkhong (?:the )?song noi\b") == {"song noi"}
    assert needed_pairs(r"\bdi that xa\b") == {"di that", "that xa"}
    assert needed_phrases(r"\bsuicid(?:e|al)\b") == ("suicid",)
    assert needed_choices(r"\b(?:good ?bye|bye) (?:mum|everyone)\b") == (
        frozenset({"good", "bye"}),
        frozenset({"mum", "everyone"}),
    )
    # A branch with a short beginning gives no cheap test; a pattern that ignores case none.
    assert needed_choices(r"\b(?:t|em) di day\b") == ()
    assert needed_phrases(r"(?i)\bsuicide\b") == ()
    assert required_words(r"(?i)\bsuicide\b") == frozenset()


@pytest.mark.parametrize(("pattern", "texts"), PATTERNS.items())
def test_every_match_holds_what_is_read(pattern: str, texts: list[str]) -> None:
    compiled = re.compile(pattern)
    for text in texts:
        match = compiled.search(text)
        assert match is not None, text
        keys = text_keys(re.findall(r"[^\W_]+", text))
        assert needed_words(pattern) <= keys
        assert needed_pairs(pattern) <= keys
        assert all(phrase in text for phrase in needed_phrases(pattern))
        assert all(any(part in text for part in c) for c in needed_choices(pattern))


def test_the_index_gives_the_patterns_filed_under_a_text_s_words() -> None:
    index = word_index([frozenset({"song noi"}), frozenset({"cau", "lau"}), frozenset()])
    assert index.candidates(text_keys(["toi", "khong", "song", "noi"])) == [0, 2]
    assert index.candidates(text_keys(["nhay", "lau"])) == [1, 2]
    assert index.candidates(text_keys(["song", "o", "noi"])) == [2]
