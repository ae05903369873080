"""Passwords: argon2id hashes (argon2-cffi's defaults, RFC 9106's low-memory profile).

Checking a password costs the same whether or not the user exists: an unknown username is
checked against a dummy hash made with the same parameters, so timing does not tell which
usernames exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

HASHER = PasswordHasher()


@dataclass(frozen=True, slots=True)
class Verdict:
    matches: bool
    needs_rehash: bool = False  # the stored hash was made with other parameters


def hash_password(password: str) -> str:
    return HASHER.hash(password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return HASHER.hash("tipline: no such user")


def check_password(stored_hash: str | None, password: str) -> Verdict:
    """Whether `password` matches `stored_hash` (None: an unknown user, same work, no match)."""
    try:
        HASHER.verify(stored_hash or _dummy_hash(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return Verdict(False)
    if stored_hash is None:
        return Verdict(False)
    return Verdict(True, HASHER.check_needs_rehash(stored_hash))
