"""The backup's own key, and which of the instance's keys its data needs.

The backup key comes from configuration: `TIPLINE_BACKUP_KEY_FILE` (32 random bytes as 64 hex
digits, made by `tipline backup keygen`) or `TIPLINE_BACKUP_PASSPHRASE` (through Argon2id). It
is never written to a log or into the backup.

The manifest names the instance's keys by identifier only: the sealing key's (partners' and
webhooks' secrets, `tipline.sealing`), the data keys' (victims' data encrypted at rest,
`tipline.keyring`) and the audit checkpoints' public key. The keys themselves stay out unless
the operator asks (`--include-keys`): a backup usually travels further than the server
(another disk, another site), and a copy holding the keys would let whoever opens it with the
backup key read every narrative and contact, unseal every partner's secret and sign a forged
audit log; kept apart, a stolen backup and its backup key still give none of those.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from tipline.audit.anchors import key_path, load_key
from tipline.backups.sealed import KEY_BYTES, KeySource, new_passphrase_source, passphrase_key
from tipline.errors import InvalidInput
from tipline.keyring import KEY_FILE as DATA_KEY_FILE
from tipline.keyring import ring_of
from tipline.sealing import KEY_FILE, derived_key
from tipline.settings import Settings


@dataclass(frozen=True, slots=True)
class BackupKey:
    key: bytes
    source: KeySource


def read_key_file(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InvalidInput(f"the backup key file {path} is unreadable or not hex") from exc
    if len(key) != KEY_BYTES:
        raise InvalidInput(f"the backup key file {path} holds {len(key)} bytes, not {KEY_BYTES}")
    return key


def write_key_file(path: Path) -> None:
    """A new random backup key, in a file readable by its owner only (never overwritten)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(os.urandom(KEY_BYTES).hex() + "\n")


def _configured(settings: Settings) -> tuple[Path | None, str | None]:
    passphrase = settings.backup_passphrase
    return settings.backup_key_file, passphrase.get_secret_value() if passphrase else None


def key_for_new_backup(settings: Settings) -> BackupKey:
    """The key a new backup is made with: the key file if set, else the passphrase's."""
    key_file, passphrase = _configured(settings)
    if key_file is not None:
        return BackupKey(read_key_file(key_file), KeySource("key-file"))
    if passphrase:
        source = new_passphrase_source()
        return BackupKey(passphrase_key(passphrase, source), source)
    raise InvalidInput(
        "no backup key: set TIPLINE_BACKUP_KEY_FILE (make one with `tipline backup keygen FILE`)"
        " or TIPLINE_BACKUP_PASSPHRASE"
    )


def key_for_backup(settings: Settings, source: KeySource) -> bytes:
    """The key that should open a backup made as its header says."""
    key_file, passphrase = _configured(settings)
    if source.kdf == "key-file":
        if key_file is None:
            raise InvalidInput("this backup was made with a key file: set TIPLINE_BACKUP_KEY_FILE")
        return read_key_file(key_file)
    if source.kdf == "argon2id":
        if not passphrase:
            raise InvalidInput(
                "this backup was made with a passphrase: set TIPLINE_BACKUP_PASSPHRASE"
            )
        return passphrase_key(passphrase, source)
    raise InvalidInput(f"this backup's key is had by {source.kdf!r}, which tipline does not know")


def _fingerprint(material: bytes) -> str:
    return hashlib.sha256(material).hexdigest()[:16]


def key_identifiers(settings: Settings) -> dict[str, Any]:
    """Which keys the backed-up data needs, by identifier (no key itself)."""
    sealing_file = settings.data_dir / KEY_FILE
    sealing: dict[str, str | None]
    if settings.secret_key:
        sealing = {
            "from": "TIPLINE_SECRET_KEY",
            "id": _fingerprint(derived_key(settings.secret_key)),
        }
    elif sealing_file.exists():
        sealing = {"from": KEY_FILE, "id": _fingerprint(sealing_file.read_bytes().strip())}
    else:
        sealing = {"from": None, "id": None}
    audit: dict[str, Any] = {"public_key": None}
    if key_path(settings).exists():
        public = load_key(settings).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        audit = {"public_key": public.hex(), "id": _fingerprint(public)}
    ring = ring_of(settings.data_keys, settings.data_dir)
    data_keys = {
        "from": "TIPLINE_DATA_KEYS" if settings.data_keys else DATA_KEY_FILE,
        "ids": [key.id for key in ring.keys],
        "current": ring.current.id,
    }
    return {"sealing": sealing, "data_keys": data_keys, "audit": audit}


def key_files(settings: Settings) -> dict[str, Path]:
    """The key files `--include-keys` puts in a backup, by their member name under keys/."""
    return {name: path for name, path in key_destinations(settings).items() if path.exists()}


def key_destinations(settings: Settings) -> dict[str, Path]:
    """Where a restore puts each key file a backup holds."""
    data = settings.data_dir
    return {"audit-key.pem": key_path(settings), KEY_FILE: data / KEY_FILE,
            DATA_KEY_FILE: data / DATA_KEY_FILE}  # fmt: skip
