"""Small builders for the hash-bank tests: PDQ values, near copies, a bank with hashes."""

from __future__ import annotations

import hashlib
import random

from sqlalchemy.orm import Session
from tests.principals import staff

from tipline.media.core import HashValue, Signal
from tipline.media.models import Bank
from tipline.media.service import add_hashes, create_bank

LEAD = staff("supervisor:mai")


def pdq(seed: int) -> str:
    """A PDQ hash (64 hex) made from a seed: far from another seed's (about 128 bits)."""
    return random.Random(seed).getrandbits(256).to_bytes(32, "big").hex()


def flipped(value: str, bits: int, start: int = 0) -> str:
    """`value` with `bits` of its bits flipped (bits start, start+7, start+14…): that far."""
    number = int(value, 16)
    for k in range(bits):
        number ^= 1 << ((start + 7 * k) % 256)
    return number.to_bytes(32, "big").hex()


def md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def pdq_value(value: str, quality: int | None = 100) -> HashValue:
    return HashValue(Signal.PDQ, value, quality)


def bank_with(
    session: Session, name: str, kind: str = "child", values: list[HashValue] | None = None,
    **fields: str,
) -> Bank:  # fmt: skip
    bank = create_bank(session, LEAD, name, kind, "Cục An ninh mạng", **fields)
    if values:
        add_hashes(session, LEAD, bank.id, values, "test")
    return bank
