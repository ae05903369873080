"""Masked values: what a person hid on purpose (`0912xxx678`, `abc***@gmail.com`, `xxx.vn`,
`45.xxx.xxx.9`, `[redacted]`) is not the value, and what is left of it is not an indicator.

Extraction asks whether a candidate touches a mask: a run of two or more `x`/`X`, a run of `*`,
`•` or `●`, or a bracketed `[redacted]`, `[ẩn]`, `(đã che)`, directly beside it or across one
separator (`.`, `-`, a space). The same run of `*` on both sides (`*0912345678*`, `**STK**`) is
emphasis, not a mask.
"""

from __future__ import annotations

import re

_HIDDEN_WORD = r"redacted|masked|hidden|censored|ẩn|đã ẩn|da an|che|đã che|da che"
# A mask of two or more characters may stand a separator away; one star or bullet must be glued
# to the value (`* 0912345678` is an item of a list).
_MASK_LONG = rf"[xX]{{2,}}|[*•●]{{2,}}|[\[(<](?:{_HIDDEN_WORD})[\])>]"
_MASK_SHORT = r"[*•●]"
_LETTER_NOT_X = r"[A-WYZa-wyzÀ-ỹ]"
# A mask right after a candidate, not the start of a word (`0912345678 xxl` is no mask).
MASK_AFTER = re.compile(rf"(?:[ .\-]?(?:{_MASK_LONG})|{_MASK_SHORT})(?!{_LETTER_NOT_X})", re.I)
# A mask right before a candidate (searched in the text that ends where the candidate starts).
MASK_BEFORE = re.compile(rf"(?<!{_LETTER_NOT_X})(?:(?:{_MASK_LONG})[ .\-]?|{_MASK_SHORT})$", re.I)
# A host label that is only a mask, or holds one: `xxx.vn`, `shop-***.com` (`x.com` is a name).
MASKED_LABEL = re.compile(r"(?:^|\.)(?:[xX]{2,}|[^.]*[*•●][^.]*)(?=\.|$)")


def _stars(text: str) -> int:
    return len(text) - len(text.lstrip("*"))


def _is_emphasis(before: str, after: str) -> bool:
    """`*0912345678*`: the same run of stars right on both sides marks the value out."""
    stars = _stars(before[::-1])
    return stars > 0 and stars == _stars(after)


# What any mask holds: `xx` in some case, a star or bullet, or the bracket of a hidden word.
_MASK_SIGN = re.compile(r"[xX]{2}|[*•●\[(<]")


def touches_mask(text: str, start: int, end: int) -> bool:
    """Is the candidate at [start, end) of `text` beside a mask, and so part of a masked value?"""
    if _MASK_SIGN.search(text, max(0, start - 16), end + 16) is None:
        return False  # no mask within reach (most candidates): one short scan
    after = MASK_AFTER.match(text, end, end + 16)
    before = MASK_BEFORE.search(text, max(0, start - 16), start)
    if after is None and before is None:
        return False
    return not _is_emphasis(text[max(0, start - 4) : start], text[end : end + 4])


_MASK_CHARACTERS = frozenset("*•●")


def is_masked_host(host: str) -> bool:
    """A host with a label that is only a mask or holds one: not a name anyone can block."""
    if "xx" not in host.lower() and _MASK_CHARACTERS.isdisjoint(host):
        return False  # nothing a mask is made of (most hosts): no pattern search
    return MASKED_LABEL.search(host) is not None


def is_masked_name(name: str) -> bool:
    """A name (an address's local part, a handle) that is only a mask: `xxx`, `XXXX`."""
    return len(name) >= 2 and name.strip("xX") == ""
