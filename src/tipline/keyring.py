"""The keys victims' personal data is encrypted with at rest: a reporter's contact, her
narrative, her evidence files and their names (docs/reliability.md, "Encryption at rest").

A ring of AES-256 keys, the first current: TIPLINE_DATA_KEYS (base64url keys, `,` between
them), or else the file `data-keys` in the data folder (one a line, made 0600 on first use with
one random key). New values are sealed under the current key; a value sealed under any key of
the ring still opens, so that `tipline keys rotate` can re-seal them in batches while the
server runs, and an old key can leave the ring once nothing uses it.

- A value is `v1:<key id>:<base64url(nonce ‖ AES-GCM ciphertext)>`; the column's name is the
  associated data, so a value copied into another column does not open.
- A file is `TLE1 ‖ key id ‖ 7-byte nonce prefix`, then 64 KiB chunks each sealed with AES-GCM
  under the nonce `prefix ‖ chunk number ‖ last?` (a cut or reordered file does not open).
- Search: each word of a narrative, folded (lower case, no accents), is indexed as a keyed hash
  (HMAC-SHA256 under a key derived from a data key, 64 bits, hex). A search hashes its words
  the same way under every key of the ring, so it finds whole words, never parts of them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from tipline.sealing import private_file

KEY_FILE = "data-keys"
VALUE_VERSION = "v1"
FILE_MAGIC = b"TLE1"
FILE_CHUNK = 64 * 1024
_ID_LENGTH = 8
_PREFIX_LENGTH = 7
_TAG = 16
_TERM_BYTES = 8
_HEAD = VALUE_VERSION + ":"
_BODY = len(_HEAD) + _ID_LENGTH + 1  # where a value's ciphertext starts
_WORD = re.compile(r"[^\W_]+")  # letters and digits: "_" separates words


class MissingKey(LookupError):
    """A value or file sealed under a key this instance's ring does not hold."""

    def __init__(self, key_id: str) -> None:
        super().__init__(
            f"data sealed under key {key_id}, which is not in this instance's key ring "
            "(TIPLINE_DATA_KEYS, or data-keys in the data folder): restore that key"
        )
        self.key_id = key_id


class Unreadable(ValueError):
    """A sealed value or file that its key does not open: changed, cut or not ours."""


def new_secret() -> bytes:
    """A fresh random key's 32 bytes."""
    return AESGCM.generate_key(bit_length=256)


def new_key() -> bytes:
    """A fresh random key, as written in TIPLINE_DATA_KEYS or the key file."""
    return base64.urlsafe_b64encode(new_secret()).rstrip(b"=")


def decode_key(text: str) -> bytes:
    """A key's bytes from its base64url form."""
    try:
        secret = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        secret = b""
    if len(secret) != 32:
        raise ValueError("a data key is 32 bytes in base64url (tipline keys new prints one)")
    return secret


def fold(word: str) -> str:
    """A word as search compares it: lower case, without accents (đ stays đ)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class DataKey:
    secret: bytes = field(repr=False)
    id: str = field(init=False)
    aead: AESGCM = field(init=False, repr=False, compare=False)
    search: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        digest = hashlib.sha256(b"tipline data key id\0" + self.secret).hexdigest()
        object.__setattr__(self, "id", digest[:_ID_LENGTH])
        object.__setattr__(self, "aead", AESGCM(self.secret))
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"tipline search")
        object.__setattr__(self, "search", hkdf.derive(self.secret))

    def term(self, word: str) -> str:
        """The index term of one word: its keyed hash, folded first."""
        mac = hmac.digest(self.search, fold(word).encode("utf-8"), "sha256")
        return mac[:_TERM_BYTES].hex()


class KeyRing:
    """Keys by id, the first current."""

    def __init__(self, secrets: Sequence[bytes]) -> None:
        if not secrets:
            raise ValueError("a key ring holds at least one key")
        self.keys = [DataKey(secret) for secret in secrets]
        self.current = self.keys[0]
        self._by_id = {key.id: key for key in self.keys}

    def key(self, key_id: str) -> DataKey:
        found = self._by_id.get(key_id)
        if found is None:
            raise MissingKey(key_id)
        return found

    def seal(self, text: str, label: str) -> str:
        """`text` sealed under the current key, bound to `label` (its table and column)."""
        nonce = os.urandom(12)
        sealed = self.current.aead.encrypt(nonce, text.encode("utf-8"), label.encode())
        body = base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode("ascii")
        return f"{VALUE_VERSION}:{self.current.id}:{body}"

    def open(self, stored: str, label: str) -> str:
        """The text of a sealed value; a value stored before encryption is returned as is."""
        key_id = sealed_key_id(stored)
        if key_id is None:
            return stored
        body = stored[_BODY:]
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        try:
            plain = self.key(key_id).aead.decrypt(raw[:12], raw[12:], label.encode())
        except InvalidTag:
            raise Unreadable(f"a sealed {label} does not open under key {key_id}") from None
        return plain.decode("utf-8")

    def search_terms(self, text: str) -> str:
        """The index terms of `text` under the current key: each distinct word's hash."""
        words = dict.fromkeys(word.casefold() for word in _WORD.findall(text))
        return " ".join(dict.fromkeys(self.current.term(word) for word in words))

    def query_terms(self, text: str) -> list[list[str]]:
        """For each word of a search, its hash under each key of the ring (any may match)."""
        return [[key.term(word) for key in self.keys] for word in _WORD.findall(text)]

    def seal_file(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        """A file's sealed form, block by block, as its plain chunks stream in."""
        key = self.current
        prefix = os.urandom(_PREFIX_LENGTH)
        header = FILE_MAGIC + key.id.encode("ascii") + prefix
        yield header
        buffer = bytearray()
        number = 0
        for chunk in chunks:
            buffer += chunk
            while len(buffer) > FILE_CHUNK:
                yield _seal_block(key, header, number, bytes(buffer[:FILE_CHUNK]), last=False)
                del buffer[:FILE_CHUNK]
                number += 1
        yield _seal_block(key, header, number, bytes(buffer), last=True)

    def open_file(self, stream: BinaryIO) -> Iterator[bytes]:
        """A stored file's plain content, chunk by chunk (a file stored before encryption is
        read as it is). Raises Unreadable when a block does not open."""
        start = stream.read(len(FILE_MAGIC))
        if start != FILE_MAGIC:
            yield start
            while chunk := stream.read(FILE_CHUNK):
                yield chunk
            return
        rest = stream.read(_ID_LENGTH + _PREFIX_LENGTH)
        key = self.key(rest[:_ID_LENGTH].decode("ascii", "replace"))
        header = start + rest
        block, number = stream.read(FILE_CHUNK + _TAG), 0
        while True:
            following = stream.read(FILE_CHUNK + _TAG)
            yield _open_block(key, header, number, block, last=not following)
            if not following:
                return
            block, number = following, number + 1


def file_key_id(stream: BinaryIO) -> str | None:
    """The id of the key a stored file is sealed under; None for a file stored in plain."""
    start = stream.read(len(FILE_MAGIC) + _ID_LENGTH)
    if not start.startswith(FILE_MAGIC):
        return None
    return start[len(FILE_MAGIC) :].decode("ascii", "replace")


def sealed_key_id(stored: str) -> str | None:
    """The id of the key a stored value is sealed under; None for a value stored in plain."""
    if not stored.startswith(_HEAD) or stored[_BODY - 1 : _BODY] != ":":
        return None
    return stored[len(_HEAD) : _BODY - 1]


def _nonce(header: bytes, number: int, last: bool) -> bytes:
    return header[-_PREFIX_LENGTH:] + number.to_bytes(4, "big") + (b"\1" if last else b"\0")


def _seal_block(key: DataKey, header: bytes, number: int, plain: bytes, last: bool) -> bytes:
    return key.aead.encrypt(_nonce(header, number, last), plain, header)


def _open_block(key: DataKey, header: bytes, number: int, block: bytes, last: bool) -> bytes:
    try:
        return key.aead.decrypt(_nonce(header, number, last), block, header)
    except InvalidTag:
        raise Unreadable(f"block {number} of a file sealed under {key.id} does not open") from None


def _parse(text: str) -> list[bytes]:
    return [decode_key(part) for part in re.split(r"[\s,]+", text.strip()) if part]


def ring_of(configured: str | None, data_dir: Path) -> KeyRing:
    """The configured keys, or those of the data folder's key file (made on first use)."""
    if configured:
        return KeyRing(_parse(configured))
    return KeyRing(_parse(private_file(data_dir / KEY_FILE, new_key).decode("ascii")))


def write_key_file(data_dir: Path, secrets: Sequence[bytes]) -> None:
    """Replace the data folder's key file (0600) with these keys, the first current."""
    path = data_dir / KEY_FILE
    temporary = path.with_name(KEY_FILE + ".new")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        for secret in secrets:
            handle.write(base64.urlsafe_b64encode(secret).rstrip(b"=") + b"\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
