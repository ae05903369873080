"""Undo defanging (`hxxp`, `[.]`, `[at]`...) while remembering where each character came from."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# Every alternative begins with its own literal character (three times faster to scan than
# boundary tests first): a scheme `hxxp`, `hxxps`, `http[:]`, `https[:]` after no letter or
# digit; `[.]` `(.)` `{.}` `[dot]` `(dot)` `{dot}` and ` dot ` between letters or digits;
# `[@]` `(@)` `[at]` `(at)` `{at}`; `[:]`. Case is ignored after that character only, and the
# scheme's `h` is written in both cases: with every first character a plain literal, the engine
# skips in C to where one occurs instead of trying the pattern at every character.
_SCHEME = r"(?i:(?<!\w.)(?:xxps?\b|ttps?\[:\]|xxps?\[:\]))"
_DEFANGED = re.compile(
    rf"h{_SCHEME}|H{_SCHEME}"
    r"|\[(?i:(?:\.|dot|@|at|:)\])|\((?i:(?:\.|dot|@|at)\))|\{(?i:(?:\.|dot|at)\})"
    r"| (?i:(?<=[A-Za-z0-9] )dot (?=[A-Za-z0-9]))"
)


@dataclass(frozen=True, slots=True)
class Refanged:
    """A refanged text and the map from its offsets back to the original text's offsets."""

    text: str
    # Parallel lists: from refanged offset `new_starts[i]` on, original = orig_starts[i] + delta.
    new_starts: tuple[int, ...] = ()
    orig_starts: tuple[int, ...] = ()

    def original_offset(self, position: int) -> int:
        """The offset in the original text of refanged offset `position`."""
        if not self.new_starts:
            return position
        i = bisect_right(self.new_starts, position) - 1
        if i < 0:
            return position
        return self.orig_starts[i] + (position - self.new_starts[i])

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original [start, end) of a refanged [start, end)."""
        if not self.new_starts:
            return (start, end)
        return (self.original_offset(start), self.original_offset(end - 1) + 1)


def _replacement(token: str) -> str:
    if token[0] in "hH":
        return token.lower().replace("[:]", ":").replace("hxxp", "http")
    if token == "[:]":
        return ":"
    if "." in token or "dot" in token.lower():
        return "."
    return "@"


def _may_be_defanged(text: str) -> bool:
    """Every defanged form contains a bracket, `hxxp` or ` dot ` (in any case): text with none
    of them (most text) is returned as it is. Substring tests, not a regex scan: a sixth of
    the cost. (No character lower-cases to an ASCII `h`, `x`, `p`, `d`, `o` or `t` but its
    own upper case, so `lower` finds what the case-blind pattern finds.)"""
    if "[" in text or "(" in text or "{" in text:
        return True
    lowered = text.lower()
    return "hxxp" in lowered or " dot " in lowered


def refang(text: str) -> Refanged:
    """`text` with defanged forms undone; text with no bracket nor `hxxp` costs no regex scan."""
    if not _may_be_defanged(text):
        return Refanged(text)
    pieces: list[str] = []
    new_starts: list[int] = []
    orig_starts: list[int] = []
    cursor = 0
    new_len = 0
    for match in _DEFANGED.finditer(text):
        start, end = match.span()
        pieces.append(text[cursor:start])
        new_len += start - cursor
        replacement = _replacement(match.group(0))
        # Each replacement character maps onto the defanged token's start; what follows resumes.
        new_starts.append(new_len)
        orig_starts.append(start)
        pieces.append(replacement)
        new_len += len(replacement)
        new_starts.append(new_len)
        orig_starts.append(end)
        cursor = end
    if not new_starts:
        return Refanged(text)
    pieces.append(text[cursor:])
    return Refanged("".join(pieces), tuple(new_starts), tuple(orig_starts))
