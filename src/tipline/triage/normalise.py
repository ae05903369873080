"""Normalised text, the form every cue and the learned model read.

Lower-case, Vietnamese folded (no diacritics, đ → d), whitespace collapsed, and teen-code,
chat abbreviations and common misspellings expanded (`ko` → `khong`, `ck` → `chuyen khoan`,
`stk` → `so tai khoan`), from `lexicon/teencode.toml`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tipline.indicators.folding import fold
from tipline.triage.lexicon_files import lexicon

_SPACE = re.compile(r"[\s\x00-\x1f\x7f]+")


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
