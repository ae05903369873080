"""Cryptocurrency addresses (checksums verified, so random strings don't pass) and file hashes
(the signal types that claim bare values, `tipline.indicators.signals`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import base58
import bech32

from tipline.indicators.signals import bare_signal

_B58 = "1-9A-HJ-NP-Za-km-z"
ETH = re.compile(r"(?<![0-9A-Za-z])0x[0-9a-fA-F]{40}(?![0-9A-Za-z])")
TRX = re.compile(rf"(?<![0-9A-Za-z])T[{_B58}]{{33}}(?![0-9A-Za-z])")
BTC_BASE58 = re.compile(rf"(?<![0-9A-Za-z])[13][{_B58}]{{25,34}}(?![0-9A-Za-z])")
BTC_BECH32 = re.compile(r"(?<![0-9A-Za-z])bc1[02-9ac-hj-np-z]{11,71}(?![0-9A-Za-z])", re.IGNORECASE)
_BECH32M_CONST = 0x2BC830A3


@dataclass(frozen=True, slots=True)
class Found:
    """A value found at [start, end) of the (refanged) text."""

    value: str
    start: int
    end: int


def _valid_base58check(address: str, versions: frozenset[int]) -> bool:
    try:
        payload = base58.b58decode_check(address)
    except ValueError:
        return False
    return len(payload) == 21 and payload[0] in versions


def _valid_bech32(address: str) -> bool:
    address = address.lower()
    version, program = bech32.decode("bc", address)
    if version is not None and program is not None:
        return True
    return _valid_bech32m(address)


def _valid_bech32m(address: str) -> bool:
    # The `bech32` package predates bech32m (BIP 350, taproot `bc1p…`); the checksum differs only
    # in its constant, so verify it with the package's own polymod.
    hrp, _, data_part = address.rpartition("1")
    if hrp != "bc" or len(data_part) < 7:
        return False
    data = [bech32.CHARSET.find(c) for c in data_part]
    if -1 in data or data[0] == 0:
        return False
    polymod = bech32.bech32_polymod(bech32.bech32_hrp_expand(hrp) + data)
    program = bech32.convertbits(data[1:-6], 5, 8, False)
    return bool(polymod == _BECH32M_CONST and program and 2 <= len(program) <= 40)


# Every address and digest is one long run of letters and digits: one scan finds the candidates,
# and each is then classified whole.
SHORTEST_TOKEN = 25  # the shortest address (base58 bitcoin); digests are 32 or more
LONGEST_TOKEN = 100
# Whole runs of 25 or more: a greedy run from the first character of a run takes all of it, and
# one that fails leaves nothing shorter inside it to match. Runs longer than 100 are dropped after
# (`(?<!…)…{25,100}(?!…)` finds the same runs, with a lookbehind at every character: slower).
_TOKEN = re.compile(rf"[0-9A-Za-z]{{{SHORTEST_TOKEN},}}")


def _classify(token: str) -> tuple[str, str] | None:
    """('crypto' | 'hash', canonical value) for one candidate token, or None."""
    if ETH.fullmatch(token):
        return "crypto", "eth:" + token.lower()
    if TRX.fullmatch(token) and _valid_base58check(token, frozenset({0x41})):
        return "crypto", "trx:" + token
    if BTC_BASE58.fullmatch(token) and _valid_base58check(token, frozenset({0x00, 0x05})):
        return "crypto", "btc:" + token
    if BTC_BECH32.fullmatch(token) and _valid_bech32(token):
        return "crypto", "btc:" + token.lower()
    if (digest := bare_signal(token)) is not None:
        return "hash", digest
    return None


def find_wallets_and_hashes(text: str) -> Iterator[tuple[str, Found]]:
    """Valid wallets (`CHAIN:ADDRESS`) and digests (`ALGO:HEX`); `0x…` is never a digest."""
    for match in _TOKEN.finditer(text):
        if match.end() - match.start() > LONGEST_TOKEN:
            continue
        classified = _classify(match.group(0))
        if classified is not None:
            kind, value = classified
            yield kind, Found(value, *match.span())
