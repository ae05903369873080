"""The store on disk across crashes: what it syncs, and what its sweep removes."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from tipline.evidence import store as store_module
from tipline.evidence.core import ContentCheck
from tipline.evidence.store import EvidenceStore

HOUR = 3600


def as_text(_: ContentCheck) -> str:
    return "text/plain"


def put(store: EvidenceStore, content: bytes) -> str:
    return store.put([content], 1000, as_text).sha256


def age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_every_folder_a_file_is_named_through_is_synced_in_its_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[Path] = []
    monkeypatch.setattr(store_module, "_sync_folder", synced.append)
    sha256 = put(EvidenceStore(tmp_path), b"tin nhan lua dao")
    files = tmp_path / "evidence" / "sha256"
    # A new folder's name is durable only once the folder holding it is synced: without these a
    # power cut could lose the file although its row, committed after, is kept.
    assert set(synced) == {
        tmp_path,
        tmp_path / "evidence",
        files,
        files / sha256[:2],
        files / sha256[:2] / sha256[2:4],
    }


def test_sweep_removes_stale_orphans_and_unfinished_uploads_only(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path)
    recorded, orphan, young = (put(store, text) for text in (b"kept", b"orphan", b"in flight"))
    unfinished = store.incoming / "upload-cut-off"
    unfinished.write_bytes(b"half a fi")
    for path in (store.path_for(recorded), store.path_for(orphan), unfinished):
        age(path, 2 * HOUR)

    removed = store.sweep(lambda sha256: sha256 == recorded, older_than=HOUR)

    assert sorted(removed) == sorted([orphan, "upload-cut-off"])
    assert store.stored_files() == sorted([store.path_for(recorded), store.path_for(young)])


def test_a_stored_file_uploaded_again_is_young_again_so_no_sweep_takes_it(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path)
    sha256 = put(store, b"the same screenshot")
    age(store.path_for(sha256), 2 * HOUR)  # an orphan of a crash, about to get its row
    assert put(store, b"the same screenshot") == sha256
    assert store.sweep(lambda _: False, older_than=HOUR) == []
    assert hashlib.sha256(store.read_verified(sha256)).hexdigest() == sha256
