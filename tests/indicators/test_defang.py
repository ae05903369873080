"""Refanging: the fast pattern finds exactly the defanged forms the plain one spells out."""

from __future__ import annotations

import random
import re

from tipline.indicators.defang import _DEFANGED, _replacement, refang

# The defanged forms written plainly, one named group per replacement.
PLAIN = re.compile(
    r"(?P<scheme>\bhxxps?\b|\bhttps?\[:\]|\bhxxps?\[:\])"
    r"|(?P<dot>\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}|(?<=[A-Za-z0-9]) dot (?=[A-Za-z0-9]))"
    r"|(?P<at>\[@\]|\(@\)|\[at\]|\(at\)|\{at\})"
    r"|(?P<colon>\[:\])",
    re.IGNORECASE,
)
PLAIN_REPLACEMENT = {"dot": ".", "at": "@", "colon": ":"}
# Characters and pieces the forms are made of, and letters that match them only ignoring case
# (the Kelvin sign, the long s).
PIECES = [*"hxtpsHXTPS[](){}.@:doatDOAT 1/_é\u212a\u017f", "hxxp", "https", " dot ", "[.]", "[:]"]


def plain_matches(text: str) -> list[tuple[tuple[int, int], str]]:
    found = []
    for match in PLAIN.finditer(text):
        group = match.lastgroup or ""
        token = match.group(0)
        replaced = (
            token.lower().replace("[:]", ":").replace("hxxp", "http")
            if group == "scheme"
            else PLAIN_REPLACEMENT[group]
        )
        found.append((match.span(), replaced))
    return found


def fast_matches(text: str) -> list[tuple[tuple[int, int], str]]:
    return [(m.span(), _replacement(m.group(0))) for m in _DEFANGED.finditer(text)]


def test_both_patterns_find_the_same_forms_in_random_texts() -> None:
    rng = random.Random(443)
    texts = ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 14))) for _ in range(60_000)]
    differing = [t for t in texts if fast_matches(t) != plain_matches(t)]
    assert differing == []
    assert sum(bool(plain_matches(t)) for t in texts) > 10_000  # the forms do occur


def test_refang_undoes_each_form() -> None:
    assert refang("hxxps://a[.]b(.)c{dot}d/x[@]y(at)z[:]1").text == "https://a.b.c.d/x@y@z:1"
    assert refang("HXXP[:]//shop dot vn").text == "http://shop.vn"
    assert refang("ahxxp://x.vn").text == "ahxxp://x.vn"  # no scheme inside a word
    assert refang("no markers here").text == "no markers here"
