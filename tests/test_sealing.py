"""Secrets sealed at rest (partners' credentials, webhook secrets): opened by their key only."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

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


def test_processes_starting_together_agree_on_one_key_file(tmp_path: Path) -> None:
    """Four processes make the key file at once (`tipline serve --workers 4`): each reads the
    same whole key, and no candidate file is left behind."""
    fork = multiprocessing.get_context("fork")
    start, keys = fork.Barrier(4), fork.Queue()
    makers = [fork.Process(target=_make_key, args=(start, tmp_path, keys)) for _ in range(4)]
    for maker in makers:
        maker.start()
    made = [keys.get(timeout=30) for _ in makers]
    for maker in makers:
        maker.join(timeout=30)
    assert len(set(made)) == 1
    assert len(made[0]) == 44  # a whole Fernet key, never an empty or partly written file
    assert [path.name for path in tmp_path.iterdir()] == [sealing.KEY_FILE]


def _make_key(start: Any, folder: Path, keys: Any) -> None:
    start.wait()
    keys.put(sealing.file_key(folder))
