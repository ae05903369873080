"""Which language a report is written in, without any downloaded model.

A text whose letters are mostly of one non-Latin script gets that script's language (`zh`,
`ja`, `ko`, `th`, `km`, …). Otherwise two scores are compared: Vietnamese counts the words
with letters beyond ASCII (ă, ơ, ư, đ, tone marks) and the words of a small profile
(`lexicon/languages.toml`) that also holds unaccented spellings, so that "toi bi lua 47tr" is
`vi`; English counts the words of its profile. Latin-script languages other than these two
read as the closer of `vi` and `en`. Returns ISO 639-1 codes.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tipline.triage.lexicon_files import lexicon
from tipline.vocabulary import DEFAULT_LANGUAGE

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _profiles() -> tuple[frozenset[str], frozenset[str], dict[str, list[tuple[int, int]]]]:
    table = lexicon("languages")
    scripts = {
        code: [(int(low), int(high)) for low, high in ranges]
        for code, ranges in table["scripts"].items()
    }
    return frozenset(table["vi"]["words"]), frozenset(table["en"]["words"]), scripts


# Letters outside Latin (Vietnamese letters are in U+1E00–U+1EFF, Latin Extended Additional).
_NON_LATIN = re.compile("[\u0370-\u1dff\u2c00-\uffff]")


def _script_language(letters: str) -> str | None:
    """The language of a non-Latin script that most letters are written in, if any."""
    if len(_NON_LATIN.findall(letters)) * 2 <= len(letters):
        return None
    _, _, scripts = _profiles()
    counts = dict.fromkeys(scripts, 0)
    for char in letters:
        point = ord(char)
        if point < 0x0370:
            continue
        for code, ranges in scripts.items():
            if any(low <= point <= high for low, high in ranges):
                counts[code] += 1
                break
    code, count = max(counts.items(), key=lambda item: item[1])
    return code if count * 2 > len(letters) else None


def detect_language(text: str) -> str:
    """The ISO 639-1 code of `text`'s language; `vi` when nothing tells."""
    words = _WORD.findall(text.lower())
    if not words:
        return DEFAULT_LANGUAGE
    if not text.isascii():
        script = _script_language("".join(words))
        if script:
            return script
    vietnamese, english, _ = _profiles()
    # A word with letters beyond ASCII (in Latin script, here: Vietnamese ones) counts once,
    # like a Vietnamese function word: a place name such as "Đà Nẵng" in an English report
    # does not outweigh its English words.
    vi_score = sum(1 for word in words if word in vietnamese or not word.isascii())
    en_score = sum(1 for word in words if word in english)
    if vi_score == en_score:
        return DEFAULT_LANGUAGE
    return "vi" if vi_score > en_score else "en"
