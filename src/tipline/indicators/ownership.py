"""Whether a report names a value as the reporter's own ("số của em 0987…", "my email is …").

Victims give their own phone, email or account so that someone can call them back, and a
child's report of abuse names the child's. Such a value must never be answered "reported" by
the public check: it would tell anyone that this person reported, and what. A value counts as
the reporter's own when the words just before it say so: a contact word, then "của" and a
first person (em, tôi, mình…), or "my" and a contact word, with or without diacritics. The
words "vào/sang/cho" (into, to) before the contact word mean money sent to an account, which
is the scammer's ("chuyển vào tài khoản của em" is a scammer speaking).
"""

from __future__ import annotations

import re

from tipline.indicators.folding import fold

# How far before a value its cue may start: "số điện thoại của em là: " is 26 characters.
WINDOW = 48

_CONTACT = (
    r"so|so dien thoai|sdt|dt|dien thoai|di dong|phone|email|e-mail|mail|gmail|zalo|facebook|"
    r"fb|face|nick|instagram|insta|ig|telegram|tele|tiktok|viber|whatsapp|skype|"
    r"tai khoan|tk|stk|so tai khoan|account|number|phone number|mobile|address|dia chi"
)
_FIRST_PERSON = r"em|toi|minh|con|chau|to|tui|tao"
_CUE = re.compile(
    rf"(?:^|[^\w])(?P<before>\w+\s+)?(?:(?:{_CONTACT})\s+(?:rieng\s+)?cua\s+(?:{_FIRST_PERSON})"
    rf"|my\s+(?:own\s+)?(?:{_CONTACT})(?:\s+(?:number|address|id))?)"
    r"\s*(?:la|is|:|-)?\s*(?:la\s*)?[:\-]?\s*$"
)
_SENT_TO = {"vao", "sang", "cho", "qua", "to", "into"}


def names_own(narrative: str, span: tuple[int, int] | None) -> bool:
    """Whether the words right before `span` in `narrative` call the value the reporter's own."""
    if span is None:
        return False
    before = fold(narrative[max(0, span[0] - WINDOW) : span[0]])
    found = _CUE.search(before)
    if found is None:
        return False
    word = (found.group("before") or "").strip()
    return word not in _SENT_TO
