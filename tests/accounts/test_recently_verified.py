"""Passwords verified recently (HTTP Basic on every request of a machine client): held for a
minute by an HMAC of (username, password, stored hash), never the password."""

from __future__ import annotations

from tipline.accounts.passwords import RecentlyVerified


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_verified_password_is_held_for_a_minute() -> None:
    clock = Clock()
    recent = RecentlyVerified(seconds=60, clock=clock)
    assert not recent.holds("ccib", "right", "$argon2id$hash-1")
    recent.add("ccib", "right", "$argon2id$hash-1")
    assert recent.holds("ccib", "right", "$argon2id$hash-1")
    clock.now += 59
    assert recent.holds("ccib", "right", "$argon2id$hash-1")
    clock.now += 2
    assert not recent.holds("ccib", "right", "$argon2id$hash-1")


def test_another_password_user_or_stored_hash_misses() -> None:
    recent = RecentlyVerified(clock=Clock())
    recent.add("ccib", "right", "$argon2id$hash-1")
    assert not recent.holds("ccib", "wrong", "$argon2id$hash-1")
    assert not recent.holds("khmer", "right", "$argon2id$hash-1")
    assert not recent.holds("ccib", "right", "$argon2id$hash-2")  # the password was changed
    # The username and password are not split where they were joined.
    recent.add("a", "b\0c", "h")
    assert not recent.holds("a\0b", "c", "h")


def test_it_holds_at_most_its_size_and_no_password() -> None:
    clock = Clock()
    recent = RecentlyVerified(size=3, clock=clock)
    for number in range(5):
        recent.add(f"user{number}", "secret-password", "hash")
    assert len(recent._until) == 3
    assert recent.holds("user4", "secret-password", "hash")
    assert not recent.holds("user0", "secret-password", "hash")
    assert all(b"secret-password" not in digest for digest in recent._until)
