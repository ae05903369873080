"""The backup file's encryption: libsodium's secretstream (XChaCha20-Poly1305) over the archive,
in chunks, so that a backup of any size streams through a little memory.

Layout: `MAGIC`, a 4-byte length and a JSON header (format version, how the key is had: a key
file or a passphrase through Argon2id with its salt and costs, and a key check), the stream's
24-byte header, then frames of a 4-byte length and one encrypted chunk. The first chunk carries
the magic and the JSON header as associated data, so a changed header fails as surely as a
changed chunk; the last chunk is tagged FINAL, so a cut-off file is told from a whole one.

The key check (a keyed BLAKE2b of a fixed label) tells a wrong key from a damaged file before
any chunk is opened; it reveals nothing of the key.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import pysodium

from tipline.errors import TiplineError

MAGIC = b"TIPLINE-BACKUP\n"
VERSION = 1
CHUNK = 64 * 1024
KEY_BYTES = pysodium.crypto_secretstream_xchacha20poly1305_KEYBYTES
_HEADER_BYTES = pysodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES
_ABYTES = pysodium.crypto_secretstream_xchacha20poly1305_ABYTES
_FINAL = pysodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
_MESSAGE = pysodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
_LENGTH = struct.Struct(">I")
_KEY_CHECK_LABEL = b"tipline backup key check v1"
# Argon2id's costs for a passphrase: libsodium's "interactive" time with 64 MiB (OWASP's
# recommendation is at least 19 MiB and 2 passes); written in the header, so raising them later
# still opens older backups.
ARGON2_OPS = 3
ARGON2_MEMORY = 64 * 1024 * 1024


class WrongKey(TiplineError):
    """The configured backup key does not open this backup."""

    code = "wrong_backup_key"


class DamagedBackup(TiplineError):
    """The backup file was changed, cut off, or is not a tipline backup."""

    code = "damaged_backup"


@dataclass(frozen=True, slots=True)
class KeySource:
    """How a backup's key is had: `key-file`, or `argon2id` of a passphrase with these values."""

    kdf: str
    salt: str = ""
    ops: int = 0
    memory: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def as_header(self) -> dict[str, Any]:
        if self.kdf == "key-file":
            return {"kdf": self.kdf}
        return {"kdf": self.kdf, "salt": self.salt, "ops": self.ops, "memory": self.memory}


def passphrase_key(passphrase: str, source: KeySource) -> bytes:
    """The 32-byte key Argon2id derives from a passphrase with the header's salt and costs."""
    return bytes(
        pysodium.crypto_pwhash(
            KEY_BYTES,
            passphrase.encode("utf-8"),
            bytes.fromhex(source.salt),
            source.ops,
            source.memory,
            pysodium.crypto_pwhash_ALG_ARGON2ID13,
        )
    )


def new_passphrase_source() -> KeySource:
    salt = pysodium.randombytes(pysodium.crypto_pwhash_SALTBYTES).hex()
    return KeySource("argon2id", salt, ARGON2_OPS, ARGON2_MEMORY)


def key_check(key: bytes) -> str:
    return bytes(pysodium.crypto_generichash(_KEY_CHECK_LABEL, key, 16)).hex()


def read_header(stream: BinaryIO) -> tuple[KeySource, dict[str, Any], bytes]:
    """The key source and the header of a backup file (its bytes too: the first chunk's AD)."""
    if stream.read(len(MAGIC)) != MAGIC:
        raise DamagedBackup("this is not a tipline backup (its first bytes are not a backup's)")
    length = _read_length(stream, "header")
    raw = stream.read(length)
    try:
        header = json.loads(raw)
        source = KeySource(
            str(header["kdf"]),
            str(header.get("salt", "")),
            int(header.get("ops", 0)),
            int(header.get("memory", 0)),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise DamagedBackup("the backup's header is unreadable") from exc
    return source, header, MAGIC + _LENGTH.pack(length) + raw


def _read_length(stream: BinaryIO, what: str) -> int:
    raw = stream.read(_LENGTH.size)
    if len(raw) != _LENGTH.size:
        raise DamagedBackup(f"the backup is truncated (in a {what}'s length)")
    (length,) = _LENGTH.unpack(raw)
    if length > CHUNK + _ABYTES + 4096:
        raise DamagedBackup(f"the backup is damaged (a {what} of {length} bytes)")
    return int(length)


class SealedWriter:
    """A write-only file object that encrypts what is written into `out`, chunk by chunk."""

    def __init__(self, out: BinaryIO, key: bytes, source: KeySource) -> None:
        header = {"version": VERSION, **source.as_header(), "key_check": key_check(key)}
        raw = json.dumps(header, sort_keys=True).encode("utf-8")
        self._ad: bytes | None = MAGIC + _LENGTH.pack(len(raw)) + raw
        self._out = out
        self._state, stream_header = pysodium.crypto_secretstream_xchacha20poly1305_init_push(key)
        out.write(self._ad + stream_header)
        self._buffer = bytearray()
        self.written = 0

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._push(bytes(self._buffer[:CHUNK]), _MESSAGE)
            del self._buffer[:CHUNK]
        return len(data)

    def _push(self, chunk: bytes, tag: int) -> None:
        sealed = pysodium.crypto_secretstream_xchacha20poly1305_push(
            self._state, chunk, self._ad, tag
        )
        self._ad = None
        self._out.write(_LENGTH.pack(len(sealed)) + sealed)
        self.written += len(chunk)

    def close(self) -> None:
        """Write the last chunk, tagged FINAL (a backup without it reads as truncated)."""
        self._push(bytes(self._buffer), _FINAL)
        self._buffer.clear()
        self._out.flush()


class SealedReader:
    """A read-only file object over a backup file: decrypts and authenticates every chunk."""

    def __init__(self, stream: BinaryIO, key: bytes, header: dict[str, Any], ad: bytes) -> None:
        if header.get("key_check") != key_check(key):
            raise WrongKey(
                "the configured backup key does not open this backup "
                "(a different key file or passphrase made it)"
            )
        stream_header = stream.read(_HEADER_BYTES)
        if len(stream_header) != _HEADER_BYTES:
            raise DamagedBackup("the backup is truncated (in its stream header)")
        self._state = pysodium.crypto_secretstream_xchacha20poly1305_init_pull(stream_header, key)
        self._stream = stream
        self._ad: bytes | None = ad
        self._buffer = bytearray()
        self._ended = False

    def _pull(self) -> None:
        length = _read_length(self._stream, "chunk")
        sealed = self._stream.read(length)
        if len(sealed) != length:
            raise DamagedBackup("the backup is truncated (in a chunk)")
        try:
            chunk, tag = pysodium.crypto_secretstream_xchacha20poly1305_pull(
                self._state, sealed, self._ad
            )
        except ValueError as exc:
            raise DamagedBackup("the backup was changed: a chunk fails its authentication") from exc
        self._ad = None
        self._buffer += chunk
        if tag == _FINAL:
            self._ended = True
            if self._stream.read(1):
                raise DamagedBackup("the backup has bytes after its end")

    def read(self, size: int = -1) -> bytes:
        while not self._ended and (size < 0 or len(self._buffer) < size):
            self._pull()
        count = len(self._buffer) if size < 0 else min(size, len(self._buffer))
        data = bytes(self._buffer[:count])
        del self._buffer[:count]
        return data
