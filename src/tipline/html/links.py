"""Every number and site in a line of advice, made something a person can tap. Pure.

A line is cut into pieces: plain text, a phone number (`tel:`), a number people text rather
than call (`sms:`, told by the words beside it: "5656 (tin nhắn)", "text 5656") and a site
(`https://`). Templates render the pieces with autoescape (the `tappable` macro of
`html/macros.html`), so no line, whoever wrote it, is ever marked safe.

Numbers linked: hotlines (`1900 545 413`, `1800 6678`), short service numbers of three or four
digits (`113`, `111`, `156`, `5656`) and mobile or landline numbers (`0912 345 678`). Sites: a
host with a letter-only top-level domain (`canhbao.khonggianmang.vn`, `StopNCII.org`), with or
without its scheme.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PHONE = (
    r"1[89]00(?:[ .]?\d){4,6}"  # hotlines: 1900 xxxx, 1800 xxx xxx
    r"|0\d(?:[ .]?\d){8,9}"  # mobiles and landlines
    r"|1\d{2}|[5-9]\d{3}"  # short service numbers: 113, 111, 156, 5656 (never a year)
)
# Known top-level domains only, so that "TP.HCM" or "v.v." is never a site.
_TLD = r"(?:vn|com|org|net|gov|edu|int|info|io|me|app|asia)"
_SITE = rf"(?:https?://)?(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+{_TLD}(?:/(?:[^\s,;)]*[^\s,;).!?:])?)?"
_PIECE = re.compile(
    rf"(?<![\w./@-])(?:(?P<site>{_SITE})|(?P<phone>{_PHONE}))(?![\w@]|[./-]\w|/)",
    re.IGNORECASE,
)
# A number people send a text message to, by the words right before or after it.
_TEXT_BEFORE = re.compile(
    r"(?:nhắn tin(?: đến| tới)?|nhắn(?: đến| tới)|text(?:ing)?|sms(?: to)?)\s*$", re.IGNORECASE
)
_TEXT_AFTER = re.compile(r"^\s*\((?:tin nhắn|nhắn tin|text|sms)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Piece:
    """Part of a line: its text, and where tapping it goes (None: plain text)."""

    text: str
    href: str | None = None


def _target(kind: str, text: str, before: str, after: str) -> str:
    if kind == "site":
        return text if text.lower().startswith(("http://", "https://")) else f"https://{text}"
    digits = re.sub(r"\D", "", text)
    texted = _TEXT_BEFORE.search(before[-24:]) or _TEXT_AFTER.match(after[:16])
    return f"sms:{digits}" if texted else f"tel:{digits}"


def tappable(line: str) -> list[Piece]:
    """The line as text pieces and tappable pieces, in order; joined, they are the line."""
    pieces: list[Piece] = []
    at = 0
    for match in _PIECE.finditer(line):
        kind, text = ("site" if match.group("site") else "phone"), match.group(0)
        if at < match.start():
            pieces.append(Piece(line[at : match.start()]))
        href = _target(kind, text, line[: match.start()], line[match.end() :])
        pieces.append(Piece(text, href))
        at = match.end()
    if at < len(line):
        pieces.append(Piece(line[at:]))
    return pieces
