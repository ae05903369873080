"""Secrets tipline must send as they are, sealed at rest: our password or token at a partner's
TAXII server (tipline.sharing.sync), the secret an organisation's webhooks are signed with
(tipline.orgrequests). They cannot be hashed like our own users' passwords.

Each is encrypted with Fernet (AES-128-CBC and HMAC-SHA256) under a key derived from
TIPLINE_SECRET_KEY, or, without one, under a random key kept in the data folder (made 0600 on
first use). A copy of the database alone then reveals no secret. (The key file's name and the
derivation's label are those of the partners' credentials, which were sealed first: changing
them would leave those unreadable.)
"""

from __future__ import annotations

import base64
import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_FILE = "partner-secrets.key"
_INFO = b"tipline partner credentials"


class UnreadableSecret(ValueError):
    """A sealed secret this instance's key does not open (the key changed or was lost)."""


def derived_key(secret_key: str) -> bytes:
    """The Fernet key of a configured secret key (the same secret always gives the same key)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO)
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode("utf-8")))


def private_file(path: Path, fresh: Callable[[], bytes]) -> bytes:
    """The content of the key file `path`, first written with `fresh()` (0600) if it is missing.

    Processes starting together (`tipline serve --workers N`, several servers on one data
    folder) agree on one content: each writes its own candidate in full, then links it into
    place, which only the first can do. (Creating `path` itself with O_EXCL, then writing, let
    another process read it in between, empty.)"""
    if path.exists():
        return path.read_bytes()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    candidate = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(fresh())
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another process's came first: it stands
            os.link(candidate, path)
    finally:
        candidate.unlink(missing_ok=True)
    return path.read_bytes()


def file_key(data_dir: Path) -> bytes:
    """The random key in the data folder, made on first use, readable by its owner only."""
    return private_file(data_dir / KEY_FILE, Fernet.generate_key).strip()


def sealing_key(secret_key: str | None, data_dir: Path) -> bytes:
    return derived_key(secret_key) if secret_key else file_key(data_dir)


def seal(key: bytes, secret: str) -> str:
    return Fernet(key).encrypt(secret.encode("utf-8")).decode("ascii")


def unseal(key: bytes, sealed: str) -> str:
    try:
        return Fernet(key).decrypt(sealed.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError):
        raise UnreadableSecret("this instance's key does not open the sealed secret") from None
