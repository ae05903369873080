"""Where a regular expression can match, read from its own parse: cheap word look-ups that say
when it is worth running at all.

- `required_words`: words one of which every match holds: a pattern is skipped when the text
  holds none of them (a set look-up costs far less than a search);
- `needed_words`, `needed_phrases`: words and runs of characters that every match holds, all
  of them: a pattern is skipped when the text lacks one;
- `WordIndex`: many patterns filed under the words they need, so that one look-up per word of
  a text gives the few patterns worth trying, instead of a test of every pattern;
- `needed_choices`: for each choice of words a match cannot skip, the beginnings of its
  branches, one of which the text must hold: this reads the patterns that start with a choice
  ("(?:good ?bye|bye) …"), which a search tries at nearly every character.

Pure: patterns in, tables out. The parser is the standard library's own (`re._parser`).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

_PARSER: Any = importlib.import_module("re._parser")
_WORD = re.compile(r"[^\W_]+")


def _literal(items: Any) -> str | None:
    """The text of a parsed sequence made of literal characters only, else None."""
    literal = _PARSER.LITERAL
    if all(op is literal for op, _ in items):
        return "".join(chr(code) for _, code in items)
    return None


def _whole_words(text: str, starts_word: bool, ends_word: bool) -> list[str]:
    """The words of a literal run that are whole words of every match: those between spaces,
    and an edge one when the pattern puts a word boundary or the run a space there."""
    pieces = text.split(" ")
    whole = [
        piece
        for index, piece in enumerate(pieces)
        if (index > 0 or starts_word) and (index < len(pieces) - 1 or ends_word)
    ]
    return [word for word in whole if _WORD.fullmatch(word)]


def _bounded(items: list[Any], index: int) -> bool:
    """Whether the parsed item at `index` has a word boundary or a space on either side."""
    edges = ((_PARSER.AT, _PARSER.AT_BOUNDARY), (_PARSER.LITERAL, ord(" ")))
    before = index == 0 or items[index - 1] in edges
    after = index == len(items) - 1 or items[index + 1] in edges
    return before and after


def required_words(pattern: str) -> frozenset[str]:
    """Words one of which every match of `pattern` holds, read from its parse: the longest
    whole word of a run of literal characters, or one word of each literal alternative of a
    branch it cannot skip; empty when none is found (the pattern is always tried)."""
    parsed = _PARSER.parse(pattern)
    if parsed.state.flags & re.IGNORECASE:
        return frozenset()
    items = list(parsed.data)
    boundary = (_PARSER.AT, _PARSER.AT_BOUNDARY)
    best: frozenset[str] = frozenset()
    index = 0
    while index < len(items):
        op, value = items[index]
        if op is _PARSER.LITERAL:
            end = index
            while end < len(items) and items[end][0] is _PARSER.LITERAL:
                end += 1
            text = "".join(chr(code) for _, code in items[index:end])
            before = index > 0 and (items[index - 1] == boundary)
            after = end < len(items) and items[end] == boundary
            words = _whole_words(text, before, after or end == len(items))
            if words and len(max(words, key=len)) > min(map(len, best), default=0):
                best = frozenset([max(words, key=len)])
            index = end
            continue
        if op is _PARSER.BRANCH and not best and _bounded(items, index):
            texts = [_literal(branch) for branch in value[1]]
            chosen = [_whole_words(text, True, True) if text else [] for text in texts]
            if all(chosen):
                best = frozenset(max(words, key=len) for words in chosen)
        index += 1
    return best


def _literal_runs(pattern: str) -> list[tuple[str, bool, bool]]:
    """The runs of literal characters that no match can skip (outside any group, alternative
    or repeat), each with whether a word boundary stands before and after it."""
    parsed = _PARSER.parse(pattern)
    if parsed.state.flags & re.IGNORECASE:
        return []  # its literal characters stand for other cases too
    items = list(parsed.data)
    boundary = (_PARSER.AT, _PARSER.AT_BOUNDARY)
    runs = []
    index = 0
    while index < len(items):
        if items[index][0] is not _PARSER.LITERAL:
            index += 1
            continue
        end = index
        while end < len(items) and items[end][0] is _PARSER.LITERAL:
            end += 1
        text = "".join(chr(code) for _, code in items[index:end])
        runs.append((text, _word_starts(items, index), end < len(items) and items[end] == boundary))
        index = end
    return runs


def _ends_in_space(items: Any) -> bool:
    """Whether every match of a parsed sequence ends with a space."""
    if not items:
        return False
    op, value = items[-1]
    if op is _PARSER.LITERAL:
        return bool(value == ord(" "))
    if op is _PARSER.SUBPATTERN:
        return _ends_in_space(list(value[3].data))
    if op is _PARSER.BRANCH:
        return all(_ends_in_space(list(branch.data)) for branch in value[1])
    return False


def _word_starts(items: list[Any], index: int) -> bool:
    """Whether a word starts at parsed item `index` in every match: a word boundary or a
    space stands before it, or an optional group that ends with a space, itself after one
    ("khong (?:the )?song": "song" is a whole word)."""
    if index == 0:
        return False
    op, value = items[index - 1]
    if (op, value) == (_PARSER.AT, _PARSER.AT_BOUNDARY) or (op, value) == (
        _PARSER.LITERAL,
        ord(" "),
    ):
        return True
    if op in (_PARSER.MAX_REPEAT, _PARSER.MIN_REPEAT) and value[0] == 0:
        return _ends_in_space(list(value[2].data)) and _word_starts(items, index - 1)
    return False


def needed_words(pattern: str) -> frozenset[str]:
    """Every whole word of the literal runs that no match can skip: all of them are words of
    the text of any match."""
    runs = _literal_runs(pattern)
    return frozenset(word for run in runs for word in _whole_words(*run))


def needed_pairs(pattern: str) -> frozenset[str]:
    """Every two whole words that stand side by side, one space apart, in a literal run that no
    match can skip ("song noi"): each is a pair of neighbouring words of any match's text."""
    pairs: set[str] = set()
    for text, before, after in _literal_runs(pattern):
        pieces = text.split(" ")
        whole = [
            (index > 0 or before)
            and (index < len(pieces) - 1 or after)
            and _WORD.fullmatch(piece) is not None
            for index, piece in enumerate(pieces)
        ]
        neighbours = range(len(pieces) - 1)
        pairs.update(
            f"{pieces[i]} {pieces[i + 1]}" for i in neighbours if whole[i] and whole[i + 1]
        )
    return frozenset(pairs)


def text_keys(words: Sequence[str]) -> set[str]:
    """The keys a `WordIndex` looks up for a text of `words`: each word, and each two
    neighbouring words."""
    return {*words, *map(" ".join, zip(words, words[1:], strict=False))}


def needed_phrases(pattern: str, shortest: int = 4) -> tuple[str, ...]:
    """The literal runs that no match can skip, of `shortest` characters or more: each is in
    the text of any match (`in` finds one faster than a pattern search)."""
    return tuple(text for text, _, _ in _literal_runs(pattern) if len(text.strip()) >= shortest)


def _leading_literal(items: Any) -> str:
    """The literal characters a parsed sequence starts with."""
    end = 0
    while end < len(items) and items[end][0] is _PARSER.LITERAL:
        end += 1
    return "".join(chr(code) for _, code in items[:end])


def needed_choices(pattern: str, shortest: int = 3) -> tuple[frozenset[str], ...]:
    """For each choice of words that no match can skip (a top-level alternative), the
    beginnings of its branches: any match holds one of them. Left out when a branch starts
    with fewer than `shortest` literal characters (no cheap test then)."""
    choices = []
    parsed = _PARSER.parse(pattern)
    if parsed.state.flags & re.IGNORECASE:
        return ()
    for op, value in parsed.data:
        if op is not _PARSER.BRANCH:
            continue
        beginnings = [_leading_literal(branch.data) for branch in value[1]]
        if all(len(beginning.strip()) >= shortest for beginning in beginnings):
            choices.append(frozenset(beginnings))
    return tuple(choices)


@dataclass(frozen=True, slots=True)
class WordIndex:
    """Numbered patterns filed under words (or pairs of neighbouring words, "song noi") that
    their matches hold; the patterns filed under none are tried on every text."""

    by_word: dict[str, tuple[int, ...]]
    always: tuple[int, ...]
    filed: frozenset[str] = frozenset()  # the keys of `by_word`

    def candidates(self, words: Iterable[str]) -> list[int]:
        """The numbers of the patterns filed under a word of `words`, or always tried, sorted."""
        found = list(self.always)
        by_word = self.by_word
        for word in self.filed.intersection(words):
            found.extend(by_word[word])
        return sorted(set(found))


def word_index(keys: Sequence[frozenset[str]]) -> WordIndex:
    """The index of patterns numbered in their order, each filed under each of its `keys`
    (the words one of which every match holds; none: always tried)."""
    by_word: dict[str, list[int]] = {}
    always: list[int] = []
    for number, words in enumerate(keys):
        if not words:
            always.append(number)
        for word in words:
            by_word.setdefault(word, []).append(number)
    return WordIndex(
        {word: tuple(numbers) for word, numbers in by_word.items()},
        tuple(always),
        frozenset(by_word),
    )
