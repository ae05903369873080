"""Regex alternations of many words, laid out for Python's regex engine."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable


def alternation(words: Iterable[str], pattern: Callable[[str], str] = re.escape) -> str:
    """`words` (none empty) as one alternation that tries them in the order given, grouped by
    their first character: `t(?:elegram|ele|g)|z(?:alo)`. The matches are those of
    `telegram|zalo|tele|tg`, for at any position only the words of its character can match,
    still in the same order; but the engine tests that character once a group instead of once
    a word. `pattern` writes the rest of a word (after its first character) as a regex."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(pattern(word[1:]))
    return "|".join(f"{re.escape(first)}(?:{'|'.join(rest)})" for first, rest in groups.items())
