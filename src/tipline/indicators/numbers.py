"""Digit runs in a text: phone numbers and bank accounts, told apart by what the text says.

A run that the text presents as an account (after `STK`, `số tài khoản`, `CK vào`, `account`…,
or right beside a bank's name) is a bank account even when it is also a valid phone number.
Amounts, dates, citizen IDs, OTP codes, 1900/1800 service lines and masked numbers are neither.

Context belongs to the digits it introduces: an account cue or a bank's name that opens a clause
of its own ("… 0901.234.567. CK vào tài khoản ACB số 12345678") is not "beside" the number
before it, and a sentence end stands between a number and the words on its other side. In a form
("Số TK: …" on one line, "Ngân hàng: Techcombank" on another) the bank line names the account of
its block (lines up to a blank line).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

from tipline.indicators.banks import BANK_NAME, bank_code
from tipline.indicators.folding import fold
from tipline.indicators.masks import touches_mask
from tipline.indicators.phones import MAX_DIGITS, MIN_DIGITS, canonical_phone
from tipline.indicators.spans import Intervals

# A digit run, tried where `_RUN_START` finds one can begin (`_number_runs`).
NUMBER_RUN = re.compile(
    r"(?=[\d(+])(?<![\w+.,\\])(?P<prefix>\(\+\d{1,4}\)\s?|\+)?"
    r"(?P<body>(?:\(\d{1,4}\)\s?)?\d+(?:(?:[ .\-]|\s?\(\d{1,4}\)\s?)\d+)*)(?!\w)"
)

# Where a run can begin: NUMBER_RUN's own first two tests, with the character first so that
# the engine skips to a digit, `(` or `+` in C (the lookbehind, moved past it, still tests the
# character before it).
_RUN_START = re.compile(r"[\d(+](?<![\w+.,\\][\d(+])")
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
    rf"no|is|to|at|of|tmcp|thuong mai co phan|{_ACCOUNT_WORD})(?![a-z0-9]))*"
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
# A bank's name may be long ("Ngân hàng TMCP Nông nghiệp và Phát triển Nông thôn Việt Nam").
_BANK_WINDOW = 64
_LONGEST_BANK_NAME = 64
# A full stop that ends a sentence, not the one of an abbreviation (`acct no. 0123…`).
_SENTENCE_END = re.compile(r"(?<!\bno)(?<!\bnr)(?<!\bso)[.!?](?:\s|$)")
# 1900 xxxx, 1800 xxxx xx: a service line, never a person's phone nor an account.
_SERVICE_LINE = re.compile(r"1[89]00(?:\d{4}|\d{6})")
_FIELD_LABEL = re.compile(
    r"\s*(?:[-*•+]\s*)?(?:(?:ten\s)?(?:ngan\s?hang|nh)(?:\s(?:nhan|thu huong))?|bank(?: name)?|"
    r"tai)?\s*[:\-\u2013]?\s*"
)
_BANK_FIELD = re.compile(r"(?<![a-z0-9])(?:ngan\s?hang|nh|bank)\s?:\s*")
_LINE_REST = re.compile(r"\s*(?:[-,(/\u2013.].*|\s(?:chi nhanh|cn|branch)\b.*)?")
_DIGIT_SEPARATOR = re.compile(r"(?<=\d)[ .\-](?=\d)")


@dataclass(frozen=True, slots=True)
class NumberFound:
    """A phone (E.164) or bank account (`BANK:DIGITS`) at [start, end) of the text."""

    kind: str
    value: str
    start: int
    end: int


def _is_filler(folded_gap: str) -> bool:
    return _FILLER.fullmatch(folded_gap) is not None


def _is_beside(folded_gap: str) -> bool:
    """Only filler words between a number and a word about it, and no sentence end."""
    return _is_filler(folded_gap) and _SENTENCE_END.search(folded_gap) is None


def _adjacent_bank_before(folded: str, start: int, *, same_line: bool = False) -> str | None:
    window_start = max(0, start - _BANK_WINDOW)
    last = None
    for match in BANK_NAME.finditer(folded, window_start, start):
        last = match
    if last is None:
        return None
    gap = folded[last.end() : start]
    if not _is_beside(gap) or (same_line and "\n" in gap):
        return None
    return bank_code(last.group(0))


def _belongs_elsewhere(folded: str, gap: str, bank_end: int, presented: bool) -> bool:
    """Is a bank named after a number someone else's? Past a sentence end it is, unless the
    number is presented as an account ("STK 0123456789. Ngân hàng Vietcombank."); past a
    sentence end or an account cue it is when it introduces digits of its own ("0901.234.567.
    CK vào tài khoản ACB số 12345678": ACB is the next number's)."""
    sentence_end = _SENTENCE_END.search(gap) is not None
    if sentence_end and not presented:
        return True
    if not (sentence_end or ACCOUNT_KEYWORD.search(gap)):
        return False
    filler = _FILLER.match(folded, bank_end)
    following = filler.end() if filler else bank_end
    return folded[following : following + 1].isdigit()


def _bank_after(folded: str, end: int, *, adjacent: bool, presented: bool = True) -> str | None:
    line_end = folded.find("\n", end)
    window_end = end + _BANK_WINDOW if line_end < 0 else min(line_end, end + _BANK_WINDOW)
    found = BANK_NAME.search(folded, end, window_end)
    if found is None:
        return None
    match = BANK_NAME.match(folded, found.start()) or found  # the whole name, past the window
    gap = folded[end : match.start()]
    if adjacent and not _is_filler(gap):
        return None
    if _SIX_DIGITS.search(gap) or _belongs_elsewhere(folded, gap, match.end(), presented):
        return None
    return bank_code(match.group(0))


def _keyword_before(folded: str, start: int) -> bool:
    window_start = max(0, start - _WINDOW)
    last = None
    for match in ACCOUNT_KEYWORD.finditer(folded, window_start, start):
        last = match
    return last is not None and _is_beside(folded[last.end() : start])


def _account_bank(text: str, folded: str, offset: int, start: int, end: int) -> str | None:
    """The bank code when the run at [start, end) of `folded` (the text around it, from
    `offset` of `text`) is presented as an account, 'UNKNOWN' when no bank is named for it."""
    if _keyword_before(folded, start):
        return (
            _bank_after(folded, end, adjacent=True)
            or _adjacent_bank_before(folded, start, same_line=True)
            or _form_bank(text, offset + start, offset + end)
            or _adjacent_bank_before(folded, start)
            or _bank_after(folded, end, adjacent=False)
            or "UNKNOWN"
        )
    if _PHONE_CONTEXT.search(folded, max(0, start - 24), start):
        return None
    return _bank_after(folded, end, adjacent=True, presented=False) or _adjacent_bank_before(
        folded, start
    )


def _bank_line(folded_line: str) -> str | None:
    """The bank a form line names (`ngan hang: techcombank`, `nh: vcb - cn ha noi`, `acb`,
    `bank: ngan hang tmcp a chau`), also as the last field of a line that a sentence opens
    (`thong tin nhu sau. ngan hang: tpbank`)."""
    label = _FIELD_LABEL.match(folded_line)
    position = label.end() if label else 0
    fields = _BANK_FIELD.findall(folded_line)
    if fields:
        position = folded_line.rindex(fields[-1]) + len(fields[-1])
    match = BANK_NAME.match(folded_line, position)
    if match is None:
        filler = _FILLER.match(folded_line, position)
        match = BANK_NAME.match(folded_line, filler.end()) if filler else None
    if match is None or not _LINE_REST.fullmatch(folded_line, match.end()):
        return None
    return bank_code(match.group(0))


def _is_account_line(folded_line: str) -> bool:
    """A line that gives an account number of its own (`số tk: 0123 4567 89`)."""
    joined = _DIGIT_SEPARATOR.sub("", folded_line)
    return bool(_SIX_DIGITS.search(joined) and ACCOUNT_KEYWORD.search(folded_line))


def _form_bank(text: str, start: int, end: int) -> str | None:
    """The bank of an account number from the lines of its block: the nearest bank line after
    it, else before it, up to a blank line or the line of another account."""
    if "\n" not in text:
        return None
    block_start = text.rfind("\n\n", 0, start)
    block_end = text.find("\n\n", end)
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    after = "" if line_end < 0 else text[line_end + 1 : len(text) if block_end < 0 else block_end]
    before = text[max(0, block_start) : max(0, line_start - 1)]
    for lines in (after.split("\n"), before.split("\n")[::-1]):
        for line in lines:
            folded_line = fold(line)
            if _is_account_line(folded_line):
                break
            code = _bank_line(folded_line)
            if code is not None:
                return code
    return None


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
    body = _GROUP.finditer(match.string, match.start("body"), match.end("body"))
    groups.extend((m.group(), m.start(), m.end()) for m in body)
    return groups


def _phones_in_run(groups: list[Group], international: bool) -> Iterator[NumberFound]:
    """Valid phones in a run, splitting it where two numbers were written side by side."""
    digits = "".join(group[0] for group in groups)
    bounds = [0, *accumulate(len(group[0]) for group in groups)]  # where each group's digits begin
    i = 0
    while i < len(groups):
        for j in range(len(groups), i, -1):
            if not MIN_DIGITS <= bounds[j] - bounds[i] <= MAX_DIGITS:
                continue  # no phone has as many digits: not worth a call
            phone = canonical_phone(digits[bounds[i] : bounds[j]], international and i == 0)
            if phone:
                yield NumberFound("phone", phone, groups[i][1], groups[j - 1][2])
                i = j
                break
        else:
            i += 1


def _folded_context(text: str, start: int, end: int) -> tuple[str, int]:
    """The folded text around [start, end) and the offset it begins at (only what rules read)."""
    offset = max(0, start - _BANK_WINDOW - 16)
    return fold(text[offset : end + _BANK_WINDOW + _LONGEST_BANK_NAME + 16]), offset


def _number_runs(text: str) -> Iterator[re.Match[str]]:
    """NUMBER_RUN's matches as `finditer` gives them, tried only where one can begin."""
    position = 0
    while (begin := _RUN_START.search(text, position)) is not None:
        match = NUMBER_RUN.match(text, begin.start())
        if match is None:
            position = begin.start() + 1
        else:
            yield match
            position = match.end()  # never empty: a run holds a digit


def find_numbers(text: str, taken: Intervals) -> Iterator[NumberFound]:
    """Phones and bank accounts among the digit runs of `text` outside the `taken` spans."""
    for match in _number_runs(text):
        start, end = match.span()
        body = match.group("body")
        if len(body) < 6 or taken.overlaps(start, end):
            continue
        digits = _NON_DIGIT.sub("", body)
        folded, offset = _folded_context(text, start, end)
        local_start, local_end = start - offset, end - offset
        if len(digits) < 6 or _is_not_an_indicator(body, folded, local_start, local_end):
            continue
        if _SERVICE_LINE.fullmatch(digits) or touches_mask(text, start, end):
            continue
        body_start = match.start("body")
        bank = (
            None
            if match.group("prefix")
            else _account_bank(text, folded, offset, body_start - offset, local_end)
        )
        if bank is not None and len(digits) <= 19:
            yield NumberFound("bank_account", f"{bank}:{digits}", body_start, end)
        else:
            yield from _phones_in_run(_digit_groups(match), match.group("prefix") is not None)
