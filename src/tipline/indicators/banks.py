"""The spec's bank table: codes of the VietQR/NAPAS list, the ways victims write each bank, and
the customer-service hotline a victim calls to freeze a transfer (see data/README.md, "Bank
hotlines", for where the numbers come from; a bank without a confirmed number has none)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Bank:
    code: str
    name: str
    spellings: tuple[str, ...]
    hotline: str | None = None  # as the bank prints it, spaces and all


# Spellings are folded (lower-case, no diacritics); a space inside one may be written or not.
BANKS: tuple[Bank, ...] = (
    Bank("VCB", "Vietcombank", ("viet com bank", "vcb", "ngoai thuong"), "1900 545 413"),
    Bank(
        "ICB",
        "VietinBank",
        ("vietin bank", "viettin bank", "ctg", "cong thuong", "icb"),
        "1900 558 868",
    ),
    Bank("BIDV", "BIDV", ("bidv", "dau tu va phat trien"), "1900 9247"),
    Bank("VBA", "Agribank", ("agri bank", "agri", "nong nghiep", "vba"), "1900 558 818"),
    Bank("TCB", "Techcombank", ("tech com bank", "tcb", "tech com"), "1800 588 822"),
    Bank("MB", "MBBank", ("mb bank", "mb", "quan doi"), "1900 545 426"),
    Bank("ACB", "ACB", ("acb", "a chau"), "1900 545 486"),
    Bank("VPB", "VPBank", ("vp bank", "vpb"), "1900 545 415"),
    Bank("TPB", "TPBank", ("tp bank", "tien phong", "tpb"), "1900 585 885"),
    Bank("STB", "Sacombank", ("sacom bank", "sacom", "stb"), "1900 5555 88"),
    Bank("SHB", "SHB", ("shb",), "1800 588 856"),
    Bank("HDB", "HDBank", ("hd bank", "hdb")),
    Bank("VIB", "VIB", ("vib",), "1800 8180"),
    Bank("MSB", "MSB", ("msb", "maritime bank", "hang hai")),
    Bank("OCB", "OCB", ("ocb", "phuong dong"), "1800 6678"),
    Bank("SEAB", "SeABank", ("sea bank", "seab"), "1900 555 587"),
    Bank("EIB", "Eximbank", ("exim bank", "exim", "eib")),
    Bank("LPB", "LPBank", ("lp bank", "lien viet post bank", "lien viet", "loc phat", "lpb")),
    Bank("CAKE", "CAKE by VPBank", ("cake by vp bank", "cake")),
    Bank("TIMO", "Timo", ("timo",)),
)

BANK_CODES = frozenset(bank.code for bank in BANKS)
BANK_BY_CODE = {bank.code: bank for bank in BANKS}


def bank_named(code: str) -> Bank | None:
    """The bank of a `bank_account`'s BANK part (`VCB` → Vietcombank); None for `UNKNOWN`."""
    return BANK_BY_CODE.get(code.upper())


def _spelling_pattern(spelling: str) -> str:
    return r"\s?".join(re.escape(part) for part in spelling.split(" "))


def _build_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    by_spelling: dict[str, str] = {}
    for bank in BANKS:
        for spelling in bank.spellings:
            by_spelling[spelling.replace(" ", "")] = bank.code
    ordered = sorted(
        {s for bank in BANKS for s in bank.spellings}, key=lambda s: len(s), reverse=True
    )
    alternatives = "|".join(_spelling_pattern(s) for s in ordered)
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])"), by_spelling


BANK_NAME, _CODE_BY_SPELLING = _build_pattern()


def bank_code(folded_mention: str) -> str:
    """The bank code of a folded mention found by BANK_NAME (`vietcom bank` → `VCB`)."""
    return _CODE_BY_SPELLING[re.sub(r"\s", "", folded_mention)]
