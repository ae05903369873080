"""Who is speaking in a story about a child, when the reporter did not say. Pure.

A young person writes of herself ("em 15 tuổi", "ảnh riêng tư của mình", "bố mẹ em", "I'm 14",
"my photos"); a parent of her child ("con tôi", "con gái em", "my daughter"); a teacher of a
pupil ("học sinh của tôi", "my student"). The advice is written to whoever it reads
(`tipline.triage.advice.advice_audience`). An adult naming their child is the stronger cue: a
mother quoting what her daughter said ("bố mẹ em") is still a mother. Read on the normalised text
(folded, teen-code expanded: "e 15t" is "em 15 tuoi").
"""

from __future__ import annotations

import re

from tipline.triage.normalise import normalise

ADULT_AGE = 18

_ME = r"(?:em|minh|toi|tui)"  # a young person's "I" (minh: among friends)
_PARENT = (
    r"\b(?:con|con gai|con trai|be|chau|dua con) (?:nha )?(?:toi|em|minh|chung toi|tui)\b"
    r"|\bbe nha\b|\bcon nha (?:toi|em|minh)\b"
    r"|\b(?:my|our) (?:daughter|son|child|kid|kids|children|little girl|little boy)s?\b"
)
_TEACHER = (
    r"\b(?:hoc sinh|hoc tro) (?:cua (?:toi|em|minh)|toi|minh)\b"
    r"|\blop (?:cua )?(?:toi|minh|em) chu nhiem\b|\bmy (?:students?|pupils?)\b"
)
_CHILD = (
    rf"\b{_ME} (?:nam nay |da |moi )?(?P<age>\d{{1,2}}) tuoi\b"
    rf"|\b{_ME} (?:dang |moi |con )?hoc lop\b"
    rf"|\b(?:anh|video|clip|hinh)(?: (?:rieng tu|rieng|nong|nhay cam|khoa than|sex|nude))?"
    rf" cua {_ME}\b"
    rf"|\b(?:bo me|ba me|bo|me|ba|gia dinh|lop|ca lop|truong|co giao|thay giao) {_ME}\b"
    r"|\bi(?:'m| am) (?P<age_en>\d{1,2})\b"
    r"|\bmy (?:own )?(?:photos?|pictures?|pics|nudes|videos?|parents|mom|mum|dad|class|school)\b"
    r"|\b(?:photos?|pictures?|pics|videos?|nudes) of me\b"
)
_PARENT_RE = re.compile(_PARENT)
_TEACHER_RE = re.compile(_TEACHER)
_CHILD_RE = re.compile(_CHILD)


def _young(match: re.Match[str]) -> bool:
    """A child cue: an age says so only when under 18; any other cue does."""
    age = match.group("age") or match.group("age_en")
    return age is None or int(age) < ADULT_AGE


def story_voice(narrative: str) -> str | None:
    """`parent`, `teacher` or `child` as the story's own words show who writes it, else None."""
    text = normalise(narrative)
    if _PARENT_RE.search(text):
        return "parent"
    if _TEACHER_RE.search(text):
        return "teacher"
    if any(_young(match) for match in _CHILD_RE.finditer(text)):
        return "child"
    return None
