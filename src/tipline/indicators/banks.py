"""The spec's bank table: codes of the VietQR/NAPAS list and the ways victims write each bank.

A bank is written by its brand (`Techcombank`), its code (`TCB`), a short name (`Techcom`) or its
Vietnamese name, whole or in part (`Ngân hàng TMCP Kỹ Thương Việt Nam`, `Kỹ Thương`), with or
without diacritics. A Vietnamese name that is also an everyday phrase (`Quốc tế`: international,
`Đông Nam Á`: South-East Asia, `Sài Gòn - Hà Nội`: a bus route) names a bank only after
`ngân hàng` or `NH`.

Each bank also has the customer-service hotline a victim calls to freeze a transfer, where one
was confirmed (see data/README.md, "Bank hotlines"; a bank without a confirmed number has none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from tipline.indicators.alternation import alternation


@dataclass(frozen=True, slots=True)
class Bank:
    code: str
    name: str
    spellings: tuple[str, ...]
    # Vietnamese names that name the bank only after "ngân hàng" / "NH" (everyday phrases alone).
    named_after_cue: tuple[str, ...] = ()
    hotline: str | None = None  # as the bank prints it, spaces and all


# Spellings are folded (lower-case, no diacritics); a space inside one may be written or not.
# Each bank's full Vietnamese name is "Ngân hàng TMCP <name> (Việt Nam)", except where noted.
_NAMED: tuple[Bank, ...] = (
    Bank("VCB", "Vietcombank", ("viet com bank", "vietcom", "vcb", "ngoai thuong")),
    Bank(
        "ICB", "VietinBank", ("vietin bank", "viettin bank", "vietin", "ctg", "cong thuong", "icb")
    ),
    Bank(
        "BIDV",
        "BIDV",
        ("bidv", "dau tu va phat trien", "dau tu & phat trien", "dau tu phat trien"),
    ),
    # Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam (NHNo&PTNT).
    Bank(
        "VBA",
        "Agribank",
        (
            "agri bank",
            "agri",
            "nong nghiep",
            "nong nghiep va phat trien nong thon",
            "nong nghiep & phat trien nong thon",
            "nhno & ptnt",
            "vba",
        ),
    ),
    Bank("TCB", "Techcombank", ("tech com bank", "tcb", "tech com", "ky thuong")),
    Bank("MB", "MBBank", ("mb bank", "mb", "quan doi", "military bank")),
    Bank("ACB", "ACB", ("acb", "a chau", "asia commercial bank")),
    Bank("VPB", "VPBank", ("vp bank", "vpb"), ("viet nam thinh vuong", "thinh vuong")),
    Bank("TPB", "TPBank", ("tp bank", "tien phong", "tpb")),
    Bank("STB", "Sacombank", ("sacom bank", "sacom", "stb", "sai gon thuong tin")),
    Bank("SHB", "SHB", ("shb",), ("sai gon ha noi", "sai gon - ha noi", "sai gon – ha noi")),
    Bank(
        "HDB",
        "HDBank",
        ("hd bank", "hdb"),
        (
            "phat trien thanh pho ho chi minh",
            "phat trien tp ho chi minh",
            "phat trien tp hcm",
            "phat trien tp.hcm",
            "phat trien tp. hcm",
        ),
    ),
    Bank("VIB", "VIB", ("vib",), ("quoc te",)),
    Bank("MSB", "MSB", ("msb", "maritime bank", "hang hai")),
    Bank("OCB", "OCB", ("ocb", "phuong dong")),
    Bank("SEAB", "SeABank", ("sea bank", "seab"), ("dong nam a",)),
    Bank("EIB", "Eximbank", ("exim bank", "exim", "eib"), ("xuat nhap khau",)),
    # Lộc Phát, formerly Bưu điện Liên Việt (LienVietPostBank).
    Bank(
        "LPB",
        "LPBank",
        ("lp bank", "lien viet post bank", "lien viet", "buu dien lien viet", "loc phat", "lpb"),
    ),
    Bank("CAKE", "CAKE by VPBank", ("cake by vp bank", "cake")),
    Bank("TIMO", "Timo", ("timo",)),
)

# Hotlines by bank code (data/README.md says how they were checked).
HOTLINES = {
    "VCB": "1900 545 413",
    "ICB": "1900 558 868",
    "BIDV": "1900 9247",
    "VBA": "1900 558 818",
    "TCB": "1800 588 822",
    "MB": "1900 545 426",
    "ACB": "1900 545 486",
    "VPB": "1900 545 415",
    "TPB": "1900 585 885",
    "STB": "1900 5555 88",
    "SHB": "1800 588 856",
    "VIB": "1800 8180",
    "OCB": "1800 6678",
    "SEAB": "1900 555 587",
}
BANKS: tuple[Bank, ...] = tuple(replace(bank, hotline=HOTLINES.get(bank.code)) for bank in _NAMED)

BANK_CODES = frozenset(bank.code for bank in BANKS)
BANK_BY_CODE = {bank.code: bank for bank in BANKS}


def bank_named(code: str) -> Bank | None:
    """The bank of a `bank_account`'s BANK part (`VCB` → Vietcombank); None for `UNKNOWN`."""
    return BANK_BY_CODE.get(code.upper())


# "ngân hàng", "NH", "ngân hàng TMCP", "NH thương mại cổ phần", folded.
_CUE = r"(?:ngan\s?hang|nh)(?:\s(?:tmcp|thuong mai co phan))?\s"
_COUNTRY = r"(?:\sviet\s?nam)?"  # "Ngân hàng TMCP Ngoại thương Việt Nam"
_CUE_AT_START = re.compile(_CUE)
_COUNTRY_AT_END = re.compile(r"\sviet\s?nam$")
_SPACES = re.compile(r"\s")


def _spelling_pattern(spelling: str) -> str:
    return r"\s?".join(re.escape(part) for part in spelling.split(" "))


def _alternatives(spellings: set[str]) -> str:
    """The spellings as one alternation, the longest name first (grouped by first letter:
    two fifths faster to scan)."""
    return alternation(sorted(spellings, key=len, reverse=True), _spelling_pattern)


def _build_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    by_spelling: dict[str, str] = {}
    for bank in BANKS:
        for spelling in bank.spellings + bank.named_after_cue:
            by_spelling[_SPACES.sub("", spelling)] = bank.code
    free = _alternatives({s for bank in BANKS for s in bank.spellings})
    cued = _alternatives({s for bank in BANKS for s in bank.named_after_cue})
    pattern = rf"(?<![a-z0-9])(?:{_CUE}(?:{cued})|{free}){_COUNTRY}(?![a-z0-9])"
    return re.compile(pattern), by_spelling


BANK_NAME, _CODE_BY_SPELLING = _build_pattern()


def bank_code(folded_mention: str) -> str:
    """The bank code of a folded mention found by BANK_NAME (`vietcom bank` → `VCB`,
    `ngan hang tmcp quoc te viet nam` → `VIB`)."""
    name = _COUNTRY_AT_END.sub("", folded_mention)
    code = _CODE_BY_SPELLING.get(_SPACES.sub("", name))
    if code is None:  # a name written after its cue: "ngan hang quoc te"
        code = _CODE_BY_SPELLING[_SPACES.sub("", _CUE_AT_START.sub("", name, count=1))]
    return code
