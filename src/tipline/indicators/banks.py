"""The spec's bank table: codes of the VietQR/NAPAS list and the ways victims write each bank."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Bank:
    code: str
    name: str
    spellings: tuple[str, ...]


# Spellings are folded (lower-case, no diacritics); a space inside one may be written or not.
BANKS: tuple[Bank, ...] = (
    Bank("VCB", "Vietcombank", ("viet com bank", "vcb", "ngoai thuong")),
    Bank("ICB", "VietinBank", ("vietin bank", "viettin bank", "ctg", "cong thuong", "icb")),
    Bank("BIDV", "BIDV", ("bidv", "dau tu va phat trien")),
    Bank("VBA", "Agribank", ("agri bank", "agri", "nong nghiep", "vba")),
    Bank("TCB", "Techcombank", ("tech com bank", "tcb", "tech com")),
    Bank("MB", "MBBank", ("mb bank", "mb", "quan doi")),
    Bank("ACB", "ACB", ("acb", "a chau")),
    Bank("VPB", "VPBank", ("vp bank", "vpb")),
    Bank("TPB", "TPBank", ("tp bank", "tien phong", "tpb")),
    Bank("STB", "Sacombank", ("sacom bank", "sacom", "stb")),
    Bank("SHB", "SHB", ("shb",)),
    Bank("HDB", "HDBank", ("hd bank", "hdb")),
    Bank("VIB", "VIB", ("vib",)),
    Bank("MSB", "MSB", ("msb", "maritime bank", "hang hai")),
    Bank("OCB", "OCB", ("ocb", "phuong dong")),
    Bank("SEAB", "SeABank", ("sea bank", "seab")),
    Bank("EIB", "Eximbank", ("exim bank", "exim", "eib")),
    Bank("LPB", "LPBank", ("lp bank", "lien viet post bank", "lien viet", "loc phat", "lpb")),
    Bank("CAKE", "CAKE by VPBank", ("cake by vp bank", "cake")),
    Bank("TIMO", "Timo", ("timo",)),
)

BANK_CODES = frozenset(bank.code for bank in BANKS)


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
