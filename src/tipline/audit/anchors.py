"""Where checkpoints live, outside the database: the signing key in a file of its own (0600,
`TIPLINE_AUDIT_KEY_FILE` or `audit-key.pem` in the data folder) and the checkpoints appended to
`audit-checkpoints.jsonl` in the data folder, one JSON line each.

`CheckpointFile` has two operations, `append` and `read`; an external timestamping or
transparency service would be a second store with the same two, written to beside the file.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from tipline.audit.checkpoints import Checkpoint, from_line, to_line
from tipline.errors import InvalidInput, NotFound
from tipline.sealing import private_file
from tipline.settings import Settings

PRIVATE_FILE = 0o600


class CheckpointFile:
    """The append-only JSON-lines file of signed checkpoints."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, checkpoint: Checkpoint) -> None:
        # One write() of one line with O_APPEND: several server processes may append at once.
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE_FILE)
        try:
            os.write(fd, to_line(checkpoint).encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)

    def read(self) -> list[Checkpoint]:
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [from_line(line, number) for number, line in enumerate(lines, 1) if line.strip()]


def checkpoint_file(settings: Settings) -> CheckpointFile:
    return CheckpointFile(settings.make_data_dir() / "audit-checkpoints.jsonl")


def key_path(settings: Settings) -> Path:
    return settings.audit_key_file or settings.make_data_dir() / "audit-key.pem"


def load_key(settings: Settings) -> Ed25519PrivateKey:
    """The signing key; verifying never makes one (a missing key is an error there)."""
    path = key_path(settings)
    if not path.exists():
        raise NotFound(f"the audit checkpoint key {path} is missing")
    key = load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidInput(f"{path} is not an Ed25519 private key")
    return key


def load_or_create_key(settings: Settings) -> Ed25519PrivateKey:
    """The signing key, made (readable by its owner only) the first time a checkpoint is signed."""

    def fresh() -> bytes:
        key = Ed25519PrivateKey.generate()
        return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())

    private_file(key_path(settings), fresh)
    return load_key(settings)
