"""Secrets sealed at rest (partners' credentials, webhook secrets): opened by their key only."""

from __future__ import annotations

from pathlib import Path

import pytest

from tipline import sealing


def test_a_sealed_secret_opens_with_its_key_only(tmp_path: Path) -> None:
    key = sealing.sealing_key("configured secret", tmp_path)
    sealed = sealing.seal(key, "hunter2")
    assert "hunter2" not in sealed
    assert sealing.unseal(key, sealed) == "hunter2"
    assert sealing.sealing_key("configured secret", tmp_path) == key
    with pytest.raises(sealing.UnreadableSecret):
        sealing.unseal(sealing.sealing_key("another secret", tmp_path), sealed)


def test_without_a_configured_secret_the_key_is_a_private_file(tmp_path: Path) -> None:
    key = sealing.sealing_key(None, tmp_path)
    path = tmp_path / sealing.KEY_FILE
    assert path.stat().st_mode & 0o777 == 0o600
    assert sealing.sealing_key(None, tmp_path) == key
    assert sealing.unseal(key, sealing.seal(key, "token-1")) == "token-1"
