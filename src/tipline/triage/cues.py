"""Layer 1 of triage: weighted cues read from the normalised text (`lexicon/cues.toml`).

Terms are matched as whole words: the text is split into words and every run of up to the
longest term's length is looked up in one table (fast, and overlapping terms all count);
terms ending in `*` match any word ending, through one regular expression. Ages and school
years are read by patterns so that "bé 12 tuổi", "con tôi học lớp 7" and "13yo" make a minor.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from tipline.indicators.folding import fold
from tipline.triage.grammar import Grammars, compile_grammars, grammar_reasons
from tipline.triage.lexicon_files import lexicon
from tipline.triage.normalise import normalise
from tipline.triage.risk import RiskCues, compile_risk, risk_evidence
from tipline.vocabulary import CATEGORIES

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
ADULT_AGE = 18
PREFIX_CACHE_LIMIT = 50_000
AGE_WINDOW = 30  # characters either side of a number in which an age pattern may match
# A number from 1 to 17 standing alone (not part of a longer one: "07", "170", a phone number).
_DIGITS = re.compile(r"\d+")
_SMALL_NUMBERS = frozenset(str(number) for number in range(1, 18))
HIGHEST_GRADE = 12
# The signal raised by self-harm and farewell wording (`lexicon/risk_to_life.toml`, risk.py).
RISK_SIGNAL = "risk_to_life"


@dataclass(frozen=True, slots=True)
class Term:
    """One lexicon entry: where it points (a category or a signal), its weight and its label."""

    group: str
    weight: float
    label: str


@dataclass(frozen=True, slots=True)
class CueReading:
    """What the cue layer found: per category the terms and their summed weight, the urgency
    signals with the terms that raised them, and the stated age or school year of a minor."""

    category_terms: dict[str, list[Term]]
    signals: dict[str, list[str]]
    minor: str | None = None
    youngest_age: int | None = None

    def score(self, category: str) -> float:
        return sum(term.weight for term in self.category_terms.get(category, []))

    def has(self, signal: str) -> bool:
        return bool(self.signals.get(signal))

    def labels(self, signal: str, limit: int = 2) -> list[str]:
        return self.signals.get(signal, [])[:limit]


@dataclass(frozen=True)
class Lexicon:
    """The compiled cue tables."""

    exact: dict[tuple[str, ...], list[Term]]
    single: dict[str, list[Term]]
    # For each word that starts a term of two words or more: the most words such a term has.
    starts: dict[str, int]
    first_words: frozenset[str]  # the words that start a term (the keys of single and starts)
    prefixes: dict[str, list[Term]]
    shortest_prefix: int
    signal_patterns: list[tuple[str, re.Pattern[str]]]
    age_pattern: re.Pattern[str]
    grade_pattern: re.Pattern[str]
    signal_names: tuple[str, ...]
    signal_reasons: dict[str, str] = field(default_factory=dict)
    # Amounts, deadlines, threats to send, demands read by grammar (`grammar.toml`).
    grammars: Grammars = field(default_factory=lambda: compile_grammars({}))
    risk: RiskCues | None = None  # self-harm and farewell wording: the `risk_to_life` signal
    # Prefix-term hits per word already seen: words repeat across reports.
    prefix_hits: dict[str, list[Term]] = field(default_factory=dict, compare=False, repr=False)


def _entries(table: dict[str, Any]) -> Iterable[tuple[str, str, float]]:
    """(group, term, weight) for every category and signal term of the lexicon."""
    for category, spec in table.get("category", {}).items():
        if category not in CATEGORIES:
            raise ValueError(f"cues.toml: unknown category {category!r}")
        for term, weight in spec["terms"]:
            yield category, term, float(weight)
    for signal, spec in table.get("signal", {}).items():
        for term in spec.get("terms", []):
            yield f"signal:{signal}", term, 1.0


def _term_starts(exact: dict[tuple[str, ...], list[Term]]) -> dict[str, int]:
    starts: dict[str, int] = {}
    for words in exact:
        if len(words) > 1:
            starts[words[0]] = max(starts.get(words[0], 0), len(words))
    return starts


def _one_pattern(patterns: list[str], group: str) -> re.Pattern[str]:
    """One expression for several, each alternative's `(?P<group>` renamed `group0`, `group1`…"""
    renamed = [
        f"(?:{pattern.replace(f'(?P<{group}>', f'(?P<{group}{index}>')})"
        for index, pattern in enumerate(patterns)
    ]
    return re.compile("|".join(renamed))


def _number(match: re.Match[str]) -> int:
    return int(next(value for value in match.groupdict().values() if value is not None))


def _compile(
    table: dict[str, Any],
    grammar: dict[str, Any] | None = None,
    risk_table: dict[str, Any] | None = None,
) -> Lexicon:
    """The cue tables of `table` (cues.toml), the grammars of `grammar` (grammar.toml) and the
    risk-to-life patterns of `risk_table` (risk_to_life.toml)."""
    exact: dict[tuple[str, ...], list[Term]] = {}
    prefixes: dict[str, list[Term]] = {}
    for group, raw, weight in _entries(table):
        term = Term(group, weight, raw.rstrip("*"))
        words = tuple(_WORD.findall(normalise(raw.rstrip("*"))))
        if not words:
            continue
        if raw.endswith("*"):
            if len(words) != 1:
                raise ValueError(f"cues.toml: only one-word terms may end in '*': {raw!r}")
            prefixes.setdefault(words[0], []).append(term)
        else:
            exact.setdefault(words, []).append(term)
    signals = table.get("signal", {})
    grammars = grammar or {}
    reasons = {**grammar_reasons(grammars), **{n: s.get("reason", n) for n, s in signals.items()}}
    return Lexicon(
        exact=exact,
        single={words[0]: terms for words, terms in exact.items() if len(words) == 1},
        starts=_term_starts(exact),
        first_words=frozenset(words[0] for words in exact),
        prefixes=prefixes,
        shortest_prefix=min((len(p) for p in prefixes), default=1),
        signal_patterns=[
            (name, re.compile("|".join(f"(?:{p})" for p in spec["patterns"])))
            for name, spec in signals.items()
            if spec.get("patterns")
        ],
        age_pattern=_one_pattern(table["minor"]["age_patterns"], "age"),
        grade_pattern=_one_pattern(table["minor"]["grade_patterns"], "grade"),
        signal_names=(
            *signals,
            *(name for name in grammars if name not in signals),
            *((RISK_SIGNAL,) if risk_table else ()),
        ),
        signal_reasons=reasons,
        grammars=compile_grammars(grammars),
        risk=compile_risk(risk_table) if risk_table else None,
    )


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The bundled lexicon, compiled once."""
    return _compile(lexicon("cues"), lexicon("grammar"), lexicon("risk_to_life"))


def _matched_terms(normalised: str, lex: Lexicon, words: list[str]) -> list[tuple[Term, str]]:
    """The terms of the lexicon in `normalised` (whose words are `words`), with the words
    that matched them."""
    found: list[tuple[Term, str]] = []
    single, starts, exact, firsts = lex.single, lex.starts, lex.exact, lex.first_words
    # Most words start no term: only the positions of those that do are looked at.
    for start in [index for index, word in enumerate(words) if word in firsts]:
        word = words[start]
        hits = single.get(word)
        if hits:
            found += [(term, term.label) for term in hits]
        longest = starts.get(word)
        if longest:
            for length in range(2, min(longest, len(words) - start) + 1):
                hits = exact.get(tuple(words[start : start + length]))
                if hits:
                    found += [(term, term.label) for term in hits]
    if lex.prefixes:
        seen = lex.prefix_hits
        for word in set(words):
            hits = seen.get(word)
            if hits is None:
                hits = _prefix_hits(word, lex)
            if hits:
                found += [(term, word) for term in hits]
    return found


def _prefix_hits(word: str, lex: Lexicon) -> list[Term]:
    hits = [
        term
        for end in range(lex.shortest_prefix, len(word) + 1)
        for term in lex.prefixes.get(word[:end], ())
    ]
    if len(lex.prefix_hits) < PREFIX_CACHE_LIMIT:
        lex.prefix_hits[word] = hits
    return hits


def _minor(normalised: str, lex: Lexicon) -> tuple[str | None, int | None]:
    """The first words that state a minor's age or school year, and the youngest age stated."""
    evidence: str | None = None
    youngest: int | None = None
    # Only around a number from 1 to 17 can an age or a school year make a minor: the patterns
    # are tried in a window there, not across the whole text.
    # A search for digits jumps from digit to digit; a search for a small number alone (a
    # lookbehind first) tried every character.
    for number in _DIGITS.finditer(normalised):
        if number.group() not in _SMALL_NUMBERS:
            continue
        low, high = max(0, number.start() - AGE_WINDOW), number.end() + AGE_WINDOW
        for pattern, is_age in ((lex.age_pattern, True), (lex.grade_pattern, False)):
            for match in pattern.finditer(normalised, low, high):
                if match.start() > number.start() or match.end() < number.end():
                    continue  # a match about another number of the window
                value = _number(match)
                if is_age and 0 < value < ADULT_AGE:
                    youngest = value if youngest is None else min(youngest, value)
                    evidence = evidence or match.group()
                elif not is_age and 0 < value <= HIGHEST_GRADE and evidence is None:
                    evidence = match.group()
    return evidence, youngest


def _cancel(signals: dict[str, list[str]], name: str, spans: list[str]) -> None:
    """Drop the words of signal `name` that lie inside one of `spans` (and the signal when
    none is left): "paid" in "have not paid anything" is no money lost."""
    kept = [
        word
        for word in signals.get(name, [])
        if not any(f" {fold(word).lower()} " in f" {span} " for span in spans)
    ]
    if kept:
        signals[name] = kept
    else:
        signals.pop(name, None)


def read_cues(normalised: str, lex: Lexicon | None = None) -> CueReading:
    """The cues of a normalised text (see `tipline.triage.normalise`)."""
    lex = lex or default_lexicon()
    category_terms: dict[str, list[Term]] = {}
    signals: dict[str, list[str]] = {}
    seen: set[tuple[str, str]] = set()
    words = _WORD.findall(normalised)
    for term, shown in _matched_terms(normalised, lex, words):
        if (term.group, term.label) in seen:
            continue
        seen.add((term.group, term.label))
        if term.group.startswith("signal:"):
            signals.setdefault(term.group.removeprefix("signal:"), []).append(shown)
        else:
            category_terms.setdefault(term.group, []).append(term)
    for name, pattern in lex.signal_patterns:
        match = pattern.search(normalised)
        if match:
            signals.setdefault(name, []).append(match.group())
    read = lex.grammars.read(normalised)
    for name, matches in read.items():
        signals.setdefault(name, []).append(matches[0])
    for name, cancelled in lex.grammars.cancels.items():
        for signal in cancelled if name in read else ():
            _cancel(signals, signal, read[name])
    if lex.risk is not None:
        evidence = risk_evidence(normalised, lex.risk, words)
        if evidence:
            signals[RISK_SIGNAL] = evidence
    minor, youngest = _minor(normalised, lex)
    for terms in category_terms.values():
        terms.sort(key=lambda term: -term.weight)
    return CueReading(category_terms, signals, minor, youngest)


def cues_of(text: str) -> CueReading:
    """The cues of a raw text (normalised first)."""
    return read_cues(normalise(text))
