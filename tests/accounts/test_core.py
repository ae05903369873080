"""The pure rules of accounts: token format, hashes, expiry, local paths."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tipline.access import Role
from tipline.accounts import core

T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


def test_new_token_is_tl_and_43_urlsafe_characters() -> None:
    tokens = {core.new_token() for _ in range(50)}
    assert len(tokens) == 50
    for token in tokens:
        assert token.startswith("tl_")
        assert len(token) == 46
        assert core.is_token(token)
        assert core.display_prefix(token) == token[:9]


def test_secret_hash_is_sha256_hex() -> None:
    assert core.secret_hash("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("Bearer tl_" + "a" * 43, "tl_" + "a" * 43),
        ("bearer   tl_" + "b" * 43 + "  ", "tl_" + "b" * 43),
        ("Basic tl_" + "a" * 43, None),
        ("Bearer tl_" + "a" * 42, None),
        ("Bearer xx_" + "a" * 43, None),
        ("Bearer tl_" + "a" * 42 + "!", None),
        ("Bearer", None),
    ],
)
def test_bearer_token(header: str | None, expected: str | None) -> None:
    assert core.bearer_token(header) == expected


def test_session_value_is_43_urlsafe_characters() -> None:
    value = core.new_secret()
    assert core.is_session_value(value)
    assert not core.is_session_value(value[:-1])
    assert not core.is_session_value(value[:-1] + "=")


def test_is_live_until_expiry_unless_revoked_or_disabled() -> None:
    expires = T0 + timedelta(hours=1)
    assert core.is_live(T0, expires, None, False)
    assert not core.is_live(expires, expires, None, False)
    assert not core.is_live(T0, expires, T0, False)
    assert not core.is_live(T0, expires, None, True)


def test_credential_state() -> None:
    expires = T0 + timedelta(days=1)
    assert core.credential_state(T0, expires, None, False) == "active"
    assert core.credential_state(expires, expires, None, False) == "expired"
    assert core.credential_state(T0, expires, T0, True) == "revoked"
    assert core.credential_state(T0, expires, None, True) == "disabled"


def test_token_expiry_defaults_to_90_days_and_has_bounds() -> None:
    assert core.token_expiry(T0) == T0 + timedelta(days=90)
    assert core.token_expiry(T0, 1) == T0 + timedelta(days=1)
    for days in (0, -5, 367):
        with pytest.raises(ValueError, match="1 to 366 days"):
            core.token_expiry(T0, days)


def test_token_use_is_noted_at_most_every_five_minutes() -> None:
    assert core.should_note_use(T0, None)
    assert not core.should_note_use(T0 + timedelta(minutes=4), T0)
    assert core.should_note_use(T0 + timedelta(minutes=5), T0)


def test_usernames_and_passwords() -> None:
    assert core.normal_username("  Lan.Nguyen ") == "lan.nguyen"
    assert core.username_problem("lan.nguyen") is None
    for bad in ("l", "-lan", "lan nguyen", "lân", "x" * 65, ""):
        assert core.username_problem(bad) is not None
    assert core.password_problem("x" * 10) is None
    assert core.password_problem("x" * 9) == "a password has at least 10 characters"
    assert core.password_problem("x" * 1025) == "a password has at most 1024 characters"


def test_parse_role() -> None:
    assert core.parse_role(" Supervisor ") is Role.SUPERVISOR
    with pytest.raises(ValueError, match="unknown role 'boss': one of analyst, supervisor"):
        core.parse_role("boss")


@pytest.mark.parametrize(
    ("target", "local"),
    [
        ("/queue", True),
        ("/reports/12?tab=notes#n", True),
        ("", False),
        (None, False),
        ("queue", False),
        ("https://evil.example/", False),
        ("//evil.example/", False),
        ("/\\evil.example", False),
        ("/queue\\x", False),
        ("/que ue", False),
        ("/queue\r\nSet-Cookie: x", False),
        ("/" + "a" * 2000, False),
    ],
)
def test_is_local_path(target: str | None, local: bool) -> None:
    assert core.is_local_path(target) is local
