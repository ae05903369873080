"""The evidence files on disk, content-addressed: `<data_dir>/evidence/sha256/ab/cd/<hash>`.

A file is written to a temporary name in the store while it is hashed, synced, then renamed to
its hash in one atomic step, and the folders that name it are synced too: a reader never sees
half a file, and a crash leaves only a temporary file (under `incoming/`, on the same file
system). A hash already stored is not written again. Reading re-hashes the file, so a file
changed on disk is never handed out as evidence.

The file is in place before its evidence row commits (`tipline.evidence.service.receive`), so a
crash between the two leaves a file without a row, never a row without its file: `sweep` removes
such orphans (and unfinished uploads) once they are older than any upload still in flight.

Files are encrypted on disk under the data keys (tipline.keyring: AES-GCM in 64 KiB chunks);
the SHA-256 that names a file, and that the chain of custody records, is that of its plain
content. A file stored before encryption reads as it is, until `tipline keys rotate` reseals it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from tipline.db_types import data_keys
from tipline.errors import TooLarge
from tipline.evidence.core import ContentCheck, store_path
from tipline.keyring import KeyRing, Unreadable, file_key_id

CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class StoredFile:
    sha256: str
    size: int
    media_type: str
    newly_written: bool


class Tampered(Exception):
    """A stored file no longer matches its hash (or is gone)."""

    def __init__(self, sha256: str, reason: str) -> None:
        super().__init__(f"{sha256}: {reason}")
        self.sha256 = sha256
        self.reason = reason


def chunks_of(stream: BinaryIO, size: int = CHUNK) -> Iterator[bytes]:
    while chunk := stream.read(size):
        yield chunk


def _make_folders(folder: Path) -> None:
    """Make `folder` and its missing parents, syncing each parent that gained an entry: a new
    folder's name is durable only once the folder holding it is synced."""
    if folder.is_dir():
        return
    _make_folders(folder.parent)
    try:
        folder.mkdir()
    except FileExistsError:  # made meanwhile by another upload
        return
    _sync_folder(folder.parent)


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _checked(
    chunks: Iterable[bytes], check: ContentCheck, digest: Any, limit: int
) -> Iterator[bytes]:
    """The upload's chunks, fed to the content check and the hash on their way to the disk."""
    for chunk in chunks:
        check.feed(chunk)
        if check.size > limit:
            raise TooLarge(f"the file is larger than the limit of {limit:,} bytes", field="file")
        digest.update(chunk)
        yield chunk


class EvidenceStore:
    """The store under `data_dir`, its files encrypted under `keys` (default: the process's
    data keys); hashes, names and checks are those of the plain content."""

    def __init__(self, data_dir: Path, keys: KeyRing | None = None) -> None:
        self._keys = keys
        self.root = data_dir / "evidence"
        self.files = self.root / "sha256"
        self.incoming = self.root / "incoming"

    @property
    def keys(self) -> KeyRing:
        return self._keys or data_keys()

    def path_for(self, sha256: str) -> Path:
        first, second, name = store_path(sha256)
        return self.files / first / second / name

    def put(
        self, chunks: Iterable[bytes], limit: int, vet: Callable[[ContentCheck], str]
    ) -> StoredFile:
        """Store a file, hashing it as it streams. `vet` reads what the content is once it has
        all streamed and gives the media type to keep, or raises: then, as when the file is over
        `limit` bytes, nothing is left on disk."""
        check = ContentCheck()
        _make_folders(self.incoming)
        handle, temporary = tempfile.mkstemp(dir=self.incoming, prefix="upload-")
        try:
            digest = hashlib.sha256()
            with os.fdopen(handle, "wb") as out:
                for block in self.keys.seal_file(_checked(chunks, check, digest, limit)):
                    out.write(block)
                media_type = vet(check)
                out.flush()
                os.fsync(out.fileno())
            stored = self._place(Path(temporary), digest.hexdigest())
            return StoredFile(stored[0], check.size, media_type, stored[1])
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _place(self, temporary: Path, sha256: str) -> tuple[str, bool]:
        """Rename the written file to its hash: (hash, whether it was new). A stored copy that
        no longer matches its hash is replaced by this good one."""
        final = self.path_for(sha256)
        if final.exists() and self.check(sha256) is None:
            temporary.unlink()
            os.utime(final)  # young again: a sweep leaves it to the row about to be committed
            return sha256, False
        _make_folders(final.parent)
        os.replace(temporary, final)
        _sync_folder(final.parent)
        return sha256, True

    def read_verified(self, sha256: str) -> bytes:
        """The file's (decrypted) bytes, after checking they still hash to `sha256`."""
        content = bytearray()
        problem = self._read(sha256, content.extend)
        if problem is not None:
            raise Tampered(sha256, problem)
        return bytes(content)

    def check(self, sha256: str) -> str | None:
        """None if the stored file hashes to `sha256`, else what is wrong (in chunks: any size)."""
        return self._read(sha256, lambda _chunk: None)

    def _read(self, sha256: str, take: Callable[[bytes], object]) -> str | None:
        """Stream the stored file's plain content to `take`, hashing it: what is wrong, or None.
        A file with no key of the ring to open it raises MissingKey (that is not tampering)."""
        digest = hashlib.sha256()
        try:
            with self.path_for(sha256).open("rb") as stream:
                for chunk in self.keys.open_file(stream):
                    digest.update(chunk)
                    take(chunk)
        except FileNotFoundError:
            return "the stored file is missing"
        except Unreadable:
            return "the stored file does not decrypt: it was changed"
        if digest.hexdigest() != sha256:
            return "the stored file no longer matches its SHA-256"
        return None

    def key_of(self, sha256: str) -> str | None:
        """The id of the key a stored file is encrypted under; None for one stored in plain."""
        with self.path_for(sha256).open("rb") as stream:
            return file_key_id(stream)

    def reseal(self, sha256: str) -> bool:
        """Re-encrypt a stored file under the current key (a file stored in plain, or under an
        older key), replacing it atomically: whether it was rewritten. A file that does not
        verify is left as it is (`tipline evidence verify` reports it)."""
        path = self.path_for(sha256)
        if self.key_of(sha256) == self.keys.current.id or self.check(sha256) is not None:
            return False
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix="reseal-")
        try:
            with path.open("rb") as stream, os.fdopen(handle, "wb") as out:
                for block in self.keys.seal_file(self.keys.open_file(stream)):
                    out.write(block)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _sync_folder(path.parent)
        return True

    def sweep(self, is_recorded: Callable[[str], bool], older_than: float) -> list[str]:
        """Remove unfinished uploads, and stored files whose hash `is_recorded` denies, last
        changed more than `older_than` seconds ago (uploads still in flight are younger); the
        hashes (or temporary names) removed."""
        limit = time.time() - older_than
        removed = []
        for path in self.stored_files():
            stale = path.stat().st_mtime < limit
            temporary = path.parent == self.incoming
            if stale and (temporary or not is_recorded(path.name)):
                path.unlink(missing_ok=True)
                removed.append(path.name)
        return removed

    def stored_files(self) -> list[Path]:
        """Every file in the store (to list, e.g. for tests and checks)."""
        return sorted(p for p in self.root.rglob("*") if p.is_file()) if self.root.exists() else []
