"""Packing members into an encrypted backup and reading them back, hashing each as it streams.

The tar archive is written and read as a stream (`w|`, `r|`) through `tipline.backups.sealed`:
no plaintext copy of the archive is ever on disk. Reading takes only the names a backup may
hold (`core.is_member_name`) and only regular files, and writes them itself: a crafted archive
cannot place a file anywhere else.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, BinaryIO, cast

from tipline.backups.core import MANIFEST, FileEntry, Manifest, is_member_name, manifest_from_json
from tipline.backups.sealed import CHUNK, DamagedBackup, KeySource, SealedReader, SealedWriter


class _Hashing:
    """A file object that hashes what is read through it."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


class Packer:
    """Members added one by one to an encrypted archive at `target`; `close` writes the end."""

    def __init__(self, target: Path, key: bytes, source: KeySource) -> None:
        self.target = target
        self._out = os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
        self._sealed = SealedWriter(self._out, key, source)
        self._tar = tarfile.open(
            fileobj=cast(BinaryIO, self._sealed), mode="w|", format=tarfile.PAX_FORMAT
        )
        self.files: dict[str, FileEntry] = {}

    def _info(self, name: str, size: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = size, 0o600, 0
        return info

    def add_file(self, name: str, path: Path) -> FileEntry:
        """Add a file (its size taken first: the files a backup copies are never rewritten)."""
        with path.open("rb") as stream:
            hashing = _Hashing(stream)
            size = os.fstat(stream.fileno()).st_size
            self._tar.addfile(self._info(name, size), cast(BinaryIO, hashing))
        entry = FileEntry(hashing.digest.hexdigest(), hashing.size)
        self.files[name] = entry
        return entry

    def add_bytes(self, name: str, data: bytes) -> FileEntry:
        self._tar.addfile(self._info(name, len(data)), io.BytesIO(data))
        entry = FileEntry(hashlib.sha256(data).hexdigest(), len(data))
        self.files[name] = entry
        return entry

    def close(self, manifest: Manifest) -> None:
        """Write the manifest last, end the stream, and make the file durable."""
        data = json.dumps(manifest.as_json(), indent=1, ensure_ascii=False).encode("utf-8")
        self._tar.addfile(self._info(MANIFEST, len(data)), io.BytesIO(data))
        self._tar.close()
        self._sealed.close()
        self._out.flush()
        os.fsync(self._out.fileno())
        self._out.close()

    def abandon(self) -> None:
        self._out.close()
        self.target.unlink(missing_ok=True)


# Where a member's bytes go while it is read: a path to write it to, or None to hash it only.
Placement = Callable[[str], Path | None]


def _copy_member(stream: IO[bytes], target: Path | None) -> FileEntry:
    hashing = _Hashing(stream)
    out = target.open("xb") if target is not None else None
    try:
        while chunk := hashing.read(CHUNK):
            if out is not None:
                out.write(chunk)
    finally:
        if out is not None:
            out.close()
    return FileEntry(hashing.digest.hexdigest(), hashing.size)


def unpack(
    stream: BinaryIO, key: bytes, header: dict[str, object], ad: bytes, place: Placement,
    advance: Callable[[int], None],
) -> tuple[Manifest, dict[str, FileEntry]]:  # fmt: skip
    """Read every member of an opened backup: the manifest, and each other member's hash."""
    reader = SealedReader(stream, key, dict(header), ad)
    files: dict[str, FileEntry] = {}
    manifest: Manifest | None = None
    try:
        with tarfile.open(fileobj=cast(BinaryIO, reader), mode="r|") as tar:
            for member in tar:
                if not member.isfile() or not is_member_name(member.name) or member.name in files:
                    raise DamagedBackup(f"the backup holds an unexpected member {member.name!r}")
                content = tar.extractfile(member)
                assert content is not None  # a regular file always has content
                if member.name == MANIFEST:
                    manifest = manifest_from_json(json.loads(content.read()))
                    continue
                files[member.name] = _copy_member(content, place(member.name))
                advance(member.size)
    except (tarfile.TarError, ValueError, KeyError, TypeError) as exc:
        raise DamagedBackup(f"the backup's archive is unreadable: {exc}") from exc
    if manifest is None:
        raise DamagedBackup("the backup has no manifest")
    return manifest, files
