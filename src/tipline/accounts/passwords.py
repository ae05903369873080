"""Passwords: argon2id hashes (argon2-cffi's defaults, RFC 9106's low-memory profile).

Checking a password costs the same whether or not the user exists: an unknown username is
checked against a dummy hash made with the same parameters, so timing does not tell which
usernames exist.
"""

from __future__ import annotations

import hmac
import json
import secrets
import time
from collections.abc import Callable
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


class RecentlyVerified:
    """Passwords verified in the last `seconds`, kept as an HMAC (under a key of this process)
    of the username, the password and the stored hash it matched.

    A machine client that signs every request with HTTP Basic (a TAXII client) is then checked
    with argon2 about once a minute, not on every page (argon2 costs tens of milliseconds of
    CPU, hundreds on a busy machine). Changing the password changes the stored hash, so the
    old one misses; a wrong password never hits; nothing here can be read back as a password.
    """

    def __init__(
        self, seconds: float = 60.0, size: int = 1024, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.seconds = seconds
        self.size = size
        self.clock = clock
        self._key = secrets.token_bytes(32)
        self._until: dict[bytes, float] = {}

    def _digest(self, username: str, password: str, stored_hash: str) -> bytes:
        message = json.dumps([username, password, stored_hash]).encode()  # unambiguous
        return hmac.digest(self._key, message, "sha256")

    def holds(self, username: str, password: str, stored_hash: str) -> bool:
        until = self._until.get(self._digest(username, password, stored_hash))
        return until is not None and self.clock() < until

    def add(self, username: str, password: str, stored_hash: str) -> None:
        now = self.clock()
        if len(self._until) >= self.size:
            self._until = {d: t for d, t in self._until.items() if t > now}
            while len(self._until) >= self.size:
                self._until.pop(next(iter(self._until)))
        self._until[self._digest(username, password, stored_hash)] = now + self.seconds
