"""Risk to life: self-harm and farewell wording read from the normalised text.

The patterns are in `lexicon/risk_to_life.toml`. A report says a possible risk to life when one
`strong` pattern matches ("khong muon song nua", "I want to end my life", "she gave away her
things"), or patterns of two different `weak` groups do (a distress and an apology: "I can't do
this anymore, sorry mum"; an apology and a leaving: "em xin lỗi bố mẹ, con đi đây"). A match is
not counted when a negation stands just before it in its clause ("em không muốn chết", "I'm not
suicidal") or when it lies inside an idiom ("mệt muốn chết", "dead tired").

The two hundred patterns are not all tried on every text: each is filed under the words that
every match of it holds (read from its parse, `prefilter`), one look-up per word of the text
finds the few worth trying, and only those whose words are all there are searched.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence, Set
from dataclasses import dataclass
from itertools import chain
from typing import Any

from tipline.triage.prefilter import (
    WordIndex,
    needed_choices,
    needed_pairs,
    needed_phrases,
    needed_words,
    required_words,
    text_keys,
    word_index,
)

WEAK_GROUPS_NEEDED = 2
_CLAUSE_END = re.compile(r"[.!?;,:\n]")
_LEADING_BOUNDARY = r"\b"
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Anchored:
    """A pattern, its number among all the risk patterns, the words one of which a text must
    hold for it to match (`anchors`), and the words and phrases it must all hold."""

    pattern: re.Pattern[str]
    anchors: frozenset[str]
    needed: frozenset[str] = frozenset()
    phrases: tuple[str, ...] = ()
    number: int = -1
    pairs: frozenset[str] = frozenset()  # neighbouring words every match holds ("song noi")
    choices: tuple[frozenset[str], ...] = ()  # one of each set is in the text of any match

    def may_match(self, text: str, words: Set[str]) -> bool:
        """Whether `text` (of `words`) holds the words and phrases every match holds."""
        if not self.needed <= words or (self.anchors and self.anchors.isdisjoint(words)):
            return False
        holds = text.__contains__
        return all(map(holds, self.phrases)) and all(
            any(map(holds, choice)) for choice in self.choices
        )

    def keys(self) -> frozenset[str]:
        """The words or pairs of words this pattern is filed under: the longest pair or word
        that every match holds (a pair is rarer than a word), else each of its anchors."""
        needed = self.pairs or self.needed
        if needed:
            return frozenset([max(sorted(needed), key=len)])
        return self.anchors


Patterns = tuple[Anchored, ...]


@dataclass(frozen=True, slots=True)
class RiskCues:
    """The compiled patterns of `risk_to_life.toml`, each on its own (one alternation of them
    all, or a leading `\\b`, makes the engine try every position: ten to a hundred times
    slower), and the index of the words they need (None: try each on every text)."""

    strong: Patterns
    weak: tuple[tuple[str, Patterns], ...]
    negation: re.Pattern[str]
    idioms: Patterns
    index: WordIndex | None = None
    every: Patterns = ()  # strong, weak and idioms, in their numbers' order


def _each(patterns: list[str], first: int, prefilter: bool) -> Patterns:
    """The patterns compiled one by one, numbered from `first`, a leading word boundary left
    to `_at_word_start`."""
    return tuple(
        Anchored(
            re.compile(pattern.removeprefix(_LEADING_BOUNDARY)),
            required_words(pattern) if prefilter else frozenset(),
            needed_words(pattern) if prefilter else frozenset(),
            needed_phrases(pattern) if prefilter else (),
            first + offset,
            needed_pairs(pattern) if prefilter else frozenset(),
            needed_choices(pattern) if prefilter else (),
        )
        for offset, pattern in enumerate(patterns)
    )


def compile_risk(table: dict[str, Any], prefilter: bool = True) -> RiskCues:
    """The risk cues of a `risk_to_life.toml` table; without `prefilter`, every pattern is
    searched through every text (the reference that the prefilter must agree with)."""
    groups = [
        ("strong", table["strong"]["patterns"]),
        *((group, p) for group, p in table.get("weak", {}).items() if p),
        ("idioms", table.get("idioms", [])),
    ]
    compiled, first = [], 0
    for group, patterns in groups:
        compiled.append((group, _each(patterns, first, prefilter)))
        first += len(patterns)
    every = list(chain.from_iterable(patterns for _, patterns in compiled))
    return RiskCues(
        strong=compiled[0][1],
        weak=tuple(compiled[1:-1]),
        negation=re.compile(table["negation"]),
        idioms=compiled[-1][1],
        index=word_index([item.keys() for item in every]) if prefilter else None,
        every=tuple(every),
    )


def _at_word_start(text: str, index: int) -> bool:
    return index == 0 or not text[index - 1].isalnum()


def _negated(normalised: str, start: int, cues: RiskCues) -> bool:
    """Whether a negation stands just before `start`, in the same clause."""
    window = normalised[max(0, start - 80) : start]
    ends = [match.end() for match in _CLAUSE_END.finditer(window)]
    clause = window[ends[-1] :] if ends else window
    return cues.negation.search(clause) is not None


class _Text:
    """A normalised text, its words, and the numbers of the risk patterns worth trying on it
    (None: all)."""

    def __init__(self, normalised: str, cues: RiskCues, words: Sequence[str] | None):
        self.normalised = normalised
        self.worth: list[int] | None = None
        if cues.index is not None:
            keys = text_keys(_WORD.findall(normalised) if words is None else words)
            every = cues.every
            self.worth = [
                number
                for number in cues.index.candidates(keys)
                if every[number].may_match(normalised, keys)
            ]

    def tried(self, patterns: Patterns) -> Iterable[Anchored]:
        """The patterns of `patterns` worth trying, in their order."""
        if self.worth is None or not patterns:
            return patterns
        low = patterns[0].number
        first = bisect_left(self.worth, low)
        last = bisect_left(self.worth, low + len(patterns))
        return [patterns[number - low] for number in self.worth[first:last]]


def _matches(text: _Text, patterns: Patterns) -> Iterator[re.Match[str]]:
    """The matches of `patterns` that start a word, pattern by pattern, in text order."""
    normalised = text.normalised
    for anchored in text.tried(patterns):
        for match in anchored.pattern.finditer(normalised):
            if _at_word_start(normalised, match.start()):
                yield match


def _affirmed(text: _Text, patterns: Patterns, cues: RiskCues) -> Iterator[str]:
    """The matches of `patterns` that are neither negated nor inside an idiom."""
    idiom_spans: list[tuple[int, int]] | None = None
    for match in _matches(text, patterns):
        if _negated(text.normalised, match.start(), cues):
            continue
        if idiom_spans is None:
            idiom_spans = [m.span() for m in _matches(text, cues.idioms)]
        if any(low <= match.start() and match.end() <= high for low, high in idiom_spans):
            continue
        yield match.group()


def risk_evidence(normalised: str, cues: RiskCues, words: Sequence[str] | None = None) -> list[str]:
    """The words that say a possible risk to life in `normalised`, or [] when none do;
    `words` (the words of the text, in order) when the caller has them already."""
    text = _Text(normalised, cues, words)
    strong = next(_affirmed(text, cues.strong, cues), None)
    if strong is not None:
        return [strong]
    found = []
    for _group, patterns in cues.weak:
        shown = next(_affirmed(text, patterns, cues), None)
        if shown is not None:
            found.append(shown)
    return found if len(found) >= WEAK_GROUPS_NEEDED else []
