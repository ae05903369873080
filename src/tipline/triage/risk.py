"""Risk to life: self-harm and farewell wording read from the normalised text.

The patterns are in `lexicon/risk_to_life.toml`. A report says a possible risk to life when one
`strong` pattern matches ("khong muon song nua", "I want to end my life", "she gave away her
things"), or patterns of two different `weak` groups do (a distress and an apology: "I can't do
this anymore, sorry mum"; an apology and a leaving: "em xin lỗi bố mẹ, con đi đây"). A match is
not counted when a negation stands just before it in its clause ("em không muốn chết", "I'm not
suicidal") or when it lies inside an idiom ("mệt muốn chết", "dead tired").
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

WEAK_GROUPS_NEEDED = 2
_CLAUSE_END = re.compile(r"[.!?;,:\n]")
_LEADING_BOUNDARY = r"\b"
_WORD = re.compile(r"[^\W_]+")
_PARSER: Any = importlib.import_module("re._parser")  # the standard library's own parser


@dataclass(frozen=True, slots=True)
class Anchored:
    """A pattern and the words one of which a text must hold for it to match (none: always
    tried): a set lookup costs far less than a regular expression search."""

    pattern: re.Pattern[str]
    anchors: frozenset[str]


Patterns = tuple[Anchored, ...]


@dataclass(frozen=True, slots=True)
class RiskCues:
    """The compiled patterns of `risk_to_life.toml`, each on its own: a pattern that starts
    with a word lets the engine jump to that word, where one alternation of them all, or a
    leading `\\b`, makes it try every position (ten to a hundred times slower)."""

    strong: Patterns
    weak: tuple[tuple[str, Patterns], ...]
    negation: re.Pattern[str]
    idioms: Patterns


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


def _required(pattern: str) -> frozenset[str]:
    """Words one of which every match of `pattern` holds, read from its parse: the longest
    whole word of a run of literal characters, or one word of each literal alternative of a
    branch it cannot skip; empty when none is found (the pattern is always tried)."""
    items = list(_PARSER.parse(pattern).data)
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


def _each(patterns: list[str]) -> Patterns:
    """The patterns compiled one by one, a leading word boundary left to `_at_word_start`."""
    return tuple(
        Anchored(re.compile(pattern.removeprefix(_LEADING_BOUNDARY)), _required(pattern))
        for pattern in patterns
    )


def compile_risk(table: dict[str, Any]) -> RiskCues:
    """The risk cues of a `risk_to_life.toml` table."""
    return RiskCues(
        strong=_each(table["strong"]["patterns"]),
        weak=tuple((group, _each(p)) for group, p in table.get("weak", {}).items() if p),
        negation=re.compile(table["negation"]),
        idioms=_each(table.get("idioms", [])),
    )


def _at_word_start(text: str, index: int) -> bool:
    return index == 0 or not text[index - 1].isalnum()


def _negated(normalised: str, start: int, cues: RiskCues) -> bool:
    """Whether a negation stands just before `start`, in the same clause."""
    window = normalised[max(0, start - 80) : start]
    ends = [match.end() for match in _CLAUSE_END.finditer(window)]
    clause = window[ends[-1] :] if ends else window
    return cues.negation.search(clause) is not None


def _matches(normalised: str, patterns: Patterns, words: set[str]) -> Iterator[re.Match[str]]:
    """The matches of `patterns` that start a word (`words`: the text's words)."""
    for anchored in patterns:
        if anchored.anchors and anchored.anchors.isdisjoint(words):
            continue
        for match in anchored.pattern.finditer(normalised):
            if _at_word_start(normalised, match.start()):
                yield match


def _affirmed(
    normalised: str, patterns: Patterns, cues: RiskCues, words: set[str]
) -> Iterator[str]:
    """The matches of `patterns` that are neither negated nor inside an idiom."""
    idiom_spans: list[tuple[int, int]] | None = None
    for match in _matches(normalised, patterns, words):
        if _negated(normalised, match.start(), cues):
            continue
        if idiom_spans is None:
            idiom_spans = [m.span() for m in _matches(normalised, cues.idioms, words)]
        if any(low <= match.start() and match.end() <= high for low, high in idiom_spans):
            continue
        yield match.group()


def risk_evidence(normalised: str, cues: RiskCues) -> list[str]:
    """The words that say a possible risk to life in `normalised`, or [] when none do."""
    words = set(_WORD.findall(normalised))
    strong = next(_affirmed(normalised, cues.strong, cues, words), None)
    if strong is not None:
        return [strong]
    found = []
    for _group, patterns in cues.weak:
        shown = next(_affirmed(normalised, patterns, cues, words), None)
        if shown is not None:
            found.append(shown)
    return found if len(found) >= WEAK_GROUPS_NEEDED else []
