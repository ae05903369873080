"""Normalised text, the form every cue and the learned model read.

Lower-case, Vietnamese folded (no diacritics, đ → d), whitespace collapsed, and teen-code,
chat abbreviations and common misspellings expanded (`ko` → `khong`, `ck` → `chuyen khoan`,
`stk` → `so tai khoan`), from `lexicon/teencode.toml`.

`normalise_with_spans` gives the same text with, for each of its characters, the span of the
original text it stands for, so that words found in the normalised text can be quoted as the
reporter wrote them ("7 củ", not "7 cu"; "ko", not "khong").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from tipline.indicators.folding import fold
from tipline.triage.lexicon_files import lexicon

_SPACE = re.compile(r"[\s\x00-\x1f\x7f]+")
# The runs of `_SPACE` that are not already one plain space: all that its substitution changes.
_SPACE_CHANGE = re.compile(r"[\s\x00-\x1f\x7f]{2,}|(?! )[\s\x00-\x1f\x7f]")


@lru_cache(maxsize=1)
def _rules() -> tuple[dict[str, str], re.Pattern[str], list[tuple[re.Pattern[str], str]]]:
    table = lexicon("teencode")
    words = {fold(key): fold(value) for key, value in table.get("words", {}).items()}
    alternatives = "|".join(re.escape(key) for key in sorted(words, key=len, reverse=True))
    word_pattern = re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")
    patterns = [
        (re.compile(rule["find"]), fold(rule["replace"])) for rule in table.get("patterns", [])
    ]
    return words, word_pattern, patterns


def normalise(text: str) -> str:
    """`text` lower-cased, folded and with teen-code expanded; words separated by one space."""
    words, word_pattern, patterns = _rules()
    folded = _SPACE.sub(" ", fold(text).lower()).strip()
    for pattern, replacement in patterns:
        folded = pattern.sub(replacement, folded)
    return word_pattern.sub(lambda match: words[match.group()], folded)


# For each character of a text, the [start, end) of the original text it stands for.
Spans = tuple[list[int], list[int]]


def _substituted(
    pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str], text: str, spans: Spans
) -> tuple[str, Spans]:
    """`pattern.sub(replace, text)`, each replacement standing for the span of what it replaced."""
    if pattern.search(text) is None:  # most passes change nothing
        return text, spans
    starts, ends = spans
    pieces: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    last = 0
    for match in pattern.finditer(text):
        begin, end = match.span()
        pieces.append(text[last:begin])
        new_starts += starts[last:begin]
        new_ends += ends[last:begin]
        written = replace(match)
        if written and end > begin:
            pieces.append(written)
            new_starts += [starts[begin]] * len(written)
            new_ends += [ends[end - 1]] * len(written)
        last = end
    pieces.append(text[last:])
    return "".join(pieces), (new_starts + starts[last:], new_ends + ends[last:])


def _lowered(text: str) -> tuple[str, Spans]:
    """`fold(text).lower()`, each character standing for the one it came from."""
    folded = fold(text)
    lowered = folded.lower()
    if len(lowered) == len(text):
        return lowered, (list(range(len(text))), list(range(1, len(text) + 1)))
    chars = [(char.lower(), index) for index, char in enumerate(folded)]  # "İ" lowers to two
    written = "".join(char for char, _ in chars)
    starts = [index for char, index in chars for _ in char]
    return written, (starts, [index + 1 for index in starts])


def _expanding(replacement: str) -> Callable[[re.Match[str]], str]:
    """What `re.sub` writes for a match with the template `replacement` ("\\1 trieu")."""
    return lambda match: match.expand(replacement)


def normalise_with_spans(text: str) -> tuple[str, Spans]:
    """`normalise(text)`, and for each of its characters the span of `text` it stands for."""
    words, word_pattern, patterns = _rules()
    lowered, spans = _lowered(text)
    folded, spans = _substituted(_SPACE_CHANGE, lambda _: " ", lowered, spans)
    stripped = folded.strip()
    begin = len(folded) - len(folded.lstrip())
    spans = (spans[0][begin : begin + len(stripped)], spans[1][begin : begin + len(stripped)])
    for pattern, replacement in patterns:
        stripped, spans = _substituted(pattern, _expanding(replacement), stripped, spans)
    return _substituted(word_pattern, lambda match: words[match.group()], stripped, spans)
