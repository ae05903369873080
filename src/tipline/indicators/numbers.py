"""Digit runs in a text: phone numbers and bank accounts, told apart by what the text says.

A run that the text presents as an account (after `STK`, `số tài khoản`, `CK vào`, `account`…,
or right beside a bank's name) is a bank account even when it is also a valid phone number.
Amounts, dates, citizen IDs and OTP codes are neither.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tipline.indicators.banks import BANK_NAME, bank_code
from tipline.indicators.folding import fold
from tipline.indicators.phones import canonical_phone
from tipline.indicators.spans import Intervals

NUMBER_RUN = re.compile(
    r"(?<![\w+.,\\])(?P<prefix>\(\+\d{1,4}\)\s?|\+)?"
    r"(?P<body>(?:\(\d{1,4}\)\s?)?\d+(?:(?:[ .\-]|\s?\(\d{1,4}\)\s?)\d+)*)(?!\w)"
)
_GROUP = re.compile(r"\d+")
_NON_DIGIT = re.compile(r"\D")
_SIX_DIGITS = re.compile(r"\d{6}")

# All patterns below run on folded text (lower-case, no diacritics).
_ACCOUNT_WORD = (
    r"stk|so tai khoan|so tk|tai khoan|tk|ck vao|chuyen khoan vao|chuyen tien vao|ck|"
    r"account(?: number| no\.?)?|acct|a/c|acc"
)
ACCOUNT_KEYWORD = re.compile(rf"(?<![a-z0-9])(?:{_ACCOUNT_WORD})(?![a-z0-9])")
_FILLER = re.compile(
    rf"(?:[\s:;,.#()\[\]=\-\u2013/]|(?<![a-z0-9])(?:so|la|cua|ngan hang|nh|bank|tai|vao|number|"
    rf"no|is|to|at|of|{_ACCOUNT_WORD})(?![a-z0-9]))*"
)
_ID_CONTEXT = re.compile(
    r"(?<![a-z])(?:cccd|cmnd|cmt|can cuoc|chung minh|dinh danh|passport|ho chieu|citizen id|"
    r"id card)(?![a-z])[^\n\d]{0,20}$"
)
_OTP_CONTEXT = re.compile(
    r"(?<![a-z])(?:otp|ma xac (?:thuc|nhan|minh)|verification code|ma code|code|pin|ma)"
    r"(?![a-z])[^\n\d]{0,15}$"
)
_CURRENCY_AFTER = re.compile(
    r"\s?(?:d|vnd|dong|k|tr|trieu|nghin|ngan(?! hang)|ty|usd|usdt|\$|eur|%)(?![a-z])"
)
# A number the text presents as a phone is not an account merely because a bank is named beside
# it ("gọi 0912345678 Vietcombank hotline").
_PHONE_CONTEXT = re.compile(
    r"(?<![a-z])(?:sdt|so dien thoai|dien thoai|dt|phone|tel|call|goi|hotline|tong dai|zalo|"
    r"lien he)(?![a-z])[^\n\d]{0,6}$"
)
_AMOUNT = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
_DATE = re.compile(r"\d{1,2}[.\-/]\d{1,2}[.\-/](?:\d{4}|\d{2})|\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2}")
_WINDOW = 48


@dataclass(frozen=True, slots=True)
class NumberFound:
    """A phone (E.164) or bank account (`BANK:DIGITS`) at [start, end) of the text."""

    kind: str
    value: str
    start: int
    end: int


def _is_filler(folded_gap: str) -> bool:
    return _FILLER.fullmatch(folded_gap) is not None


def _adjacent_bank_before(folded: str, start: int) -> str | None:
    window_start = max(0, start - _WINDOW)
    last = None
    for match in BANK_NAME.finditer(folded, window_start, start):
        last = match
    if last is not None and _is_filler(folded[last.end() : start]):
        return bank_code(last.group(0))
    return None


def _bank_after(folded: str, end: int, *, adjacent: bool) -> str | None:
    window = folded[end : end + _WINDOW + 16].split("\n", 1)[0]
    match = BANK_NAME.search(window)
    if match is None:
        return None
    gap = window[: match.start()]
    if adjacent and not _is_filler(gap):
        return None
    if _SIX_DIGITS.search(gap):
        return None
    return bank_code(match.group(0))


def _keyword_before(folded: str, start: int) -> bool:
    window_start = max(0, start - _WINDOW)
    last = None
    for match in ACCOUNT_KEYWORD.finditer(folded, window_start, start):
        last = match
    return last is not None and _is_filler(folded[last.end() : start])


def _account_bank(folded: str, start: int, end: int) -> str | None:
    """The bank code when the run is presented as an account ('UNKNOWN' with no bank named)."""
    if _keyword_before(folded, start):
        beside = _bank_after(folded, end, adjacent=True) or _adjacent_bank_before(folded, start)
        return beside or _bank_after(folded, end, adjacent=False) or "UNKNOWN"
    if _PHONE_CONTEXT.search(folded, max(0, start - 24), start):
        return None
    return _bank_after(folded, end, adjacent=True) or _adjacent_bank_before(folded, start)


def _is_not_an_indicator(body: str, folded: str, start: int, end: int) -> bool:
    if _AMOUNT.fullmatch(body) or _DATE.fullmatch(body):
        return True
    if _CURRENCY_AFTER.match(folded, end):
        return True
    before = folded[max(0, start - 32) : start]
    return bool(_ID_CONTEXT.search(before) or _OTP_CONTEXT.search(before))


Group = tuple[str, int, int]


def _digit_groups(match: re.Match[str]) -> list[Group]:
    """The run's digit groups with their offsets; a `+84`/`(+84)` prefix is the first group."""
    groups: list[Group] = []
    if match.group("prefix"):
        prefix_digits = _NON_DIGIT.sub("", match.group("prefix"))
        groups.append((prefix_digits, match.start(), match.end("prefix")))
    offset = match.start("body")
    groups.extend(
        (m.group(0), m.start() + offset, m.end() + offset)
        for m in _GROUP.finditer(match.group("body"))
    )
    return groups


def _phones_in_run(groups: list[Group], international: bool) -> Iterator[NumberFound]:
    """Valid phones in a run, splitting it where two numbers were written side by side."""
    i = 0
    while i < len(groups):
        for j in range(len(groups), i, -1):
            digits = "".join(g[0] for g in groups[i:j])
            phone = canonical_phone(digits, international and i == 0)
            if phone:
                yield NumberFound("phone", phone, groups[i][1], groups[j - 1][2])
                i = j
                break
        else:
            i += 1


def _folded_context(text: str, start: int, end: int) -> tuple[str, int]:
    """The folded text around [start, end) and the offset it begins at (only what rules read)."""
    offset = max(0, start - _WINDOW - 16)
    return fold(text[offset : end + _WINDOW + 32]), offset


def find_numbers(text: str, taken: Intervals) -> Iterator[NumberFound]:
    """Phones and bank accounts among the digit runs of `text` outside the `taken` spans."""
    for match in NUMBER_RUN.finditer(text):
        start, end = match.span()
        body = match.group("body")
        if len(body) < 6 or taken.overlaps(start, end):
            continue
        digits = _NON_DIGIT.sub("", body)
        folded, offset = _folded_context(text, start, end)
        local_start, local_end = start - offset, end - offset
        if len(digits) < 6 or _is_not_an_indicator(body, folded, local_start, local_end):
            continue
        body_start = match.start("body")
        bank = (
            None if match.group("prefix") else _account_bank(folded, body_start - offset, local_end)
        )
        if bank is not None and len(digits) <= 19:
            yield NumberFound("bank_account", f"{bank}:{digits}", body_start, end)
        else:
            yield from _phones_in_run(_digit_groups(match), match.group("prefix") is not None)
