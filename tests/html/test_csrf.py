from __future__ import annotations

from pathlib import Path

from tipline.html import csrf

KEY = b"k" * 32
NOW = 1_750_000_000.0


def test_token_is_valid_for_its_nonce_only() -> None:
    nonce, other = csrf.new_nonce(), csrf.new_nonce()
    token = csrf.issue_token(KEY, nonce, now=NOW)
    assert csrf.token_is_valid(KEY, nonce, token, now=NOW + 60)
    assert not csrf.token_is_valid(KEY, other, token, now=NOW + 60)
    assert not csrf.token_is_valid(b"another key", nonce, token, now=NOW + 60)


def test_token_expires() -> None:
    nonce = csrf.new_nonce()
    token = csrf.issue_token(KEY, nonce, now=NOW)
    assert csrf.token_is_valid(KEY, nonce, token, now=NOW + csrf.MAX_AGE_SECONDS)
    assert not csrf.token_is_valid(KEY, nonce, token, now=NOW + csrf.MAX_AGE_SECONDS + 1)
    assert not csrf.token_is_valid(KEY, nonce, token, now=NOW - csrf.CLOCK_SKEW_SECONDS - 1)


def test_forged_or_missing_tokens_fail() -> None:
    nonce = csrf.new_nonce()
    token = csrf.issue_token(KEY, nonce, now=NOW)
    issued, mac = token.split(".")
    for bad in ["", "x", f"{issued}.{'0' * len(mac)}", f"{int(issued) + 1}.{mac}", f"a.{mac}"]:
        assert not csrf.token_is_valid(KEY, nonce, bad, now=NOW)
    assert not csrf.token_is_valid(KEY, None, token, now=NOW)
    assert not csrf.token_is_valid(KEY, "short", token, now=NOW)


def test_signing_key_is_kept_in_the_data_folder(tmp_path: Path) -> None:
    first = csrf.signing_key(None, tmp_path)
    csrf.signing_key.cache_clear()
    assert csrf.signing_key(None, tmp_path) == first
    assert len(first) == 64
    assert (tmp_path / csrf.KEY_FILE).stat().st_mode & 0o777 == 0o600
    assert csrf.signing_key("configured", tmp_path) == b"configured"
