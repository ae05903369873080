"""Signed checkpoints: the chain's end (sequence, entry hash) at a moment, signed with Ed25519.

A hash chain alone cannot show that its end was cut off, or that someone who can write the table
rewrote an entry and recomputed every later hash with tipline's own function. A checkpoint can:
it is signed with a key kept outside the database and stored outside it, so the log must still
pass through the last checkpoint's entry with that entry's hash.

The signed message is the compact JSON array `["tipline-audit-checkpoint-v1", sequence,
entry_hash, signed_at]` (`signed_at` as in `canonical_timestamp`). A checkpoint is one JSON line:
`{"sequence", "entry_hash", "signed_at", "key_id", "signature"}` (signature in base64); `key_id`
is the first 16 hex digits of the SHA-256 of the raw public key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from tipline.audit.core import ChainPoint, canonical_timestamp
from tipline.errors import InvalidInput

CONTEXT = "tipline-audit-checkpoint-v1"


@dataclass(frozen=True)
class Checkpoint:
    sequence: int
    entry_hash: str
    signed_at: str
    key_id: str
    signature: str

    @property
    def point(self) -> ChainPoint:
        return ChainPoint(self.sequence, self.entry_hash)

    @property
    def signed_moment(self) -> datetime | None:
        """When it was signed, as a moment a page shows in its reader's time; None if unreadable."""
        try:
            return datetime.fromisoformat(self.signed_at)
        except ValueError:
            return None


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def _message(sequence: int, entry_hash: str, signed_at: str) -> bytes:
    return json.dumps([CONTEXT, sequence, entry_hash, signed_at], separators=(",", ":")).encode()


def sign(key: Ed25519PrivateKey, point: ChainPoint, moment: datetime) -> Checkpoint:
    """The checkpoint of `point`, signed at `moment`."""
    signed_at = canonical_timestamp(moment)
    signature = key.sign(_message(point.sequence, point.entry_hash, signed_at))
    return Checkpoint(
        point.sequence, point.entry_hash, signed_at, key_id(key.public_key()),
        base64.b64encode(signature).decode("ascii"),
    )  # fmt: skip


def signature_ok(public_key: Ed25519PublicKey, checkpoint: Checkpoint) -> bool:
    """Whether `checkpoint` was signed by this key, over exactly these fields."""
    message = _message(checkpoint.sequence, checkpoint.entry_hash, checkpoint.signed_at)
    try:
        public_key.verify(base64.b64decode(checkpoint.signature, validate=True), message)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return checkpoint.key_id == key_id(public_key)


def to_line(checkpoint: Checkpoint) -> str:
    return json.dumps(asdict(checkpoint), separators=(",", ":")) + "\n"


def from_line(line: str, number: int) -> Checkpoint:
    """Checkpoint number `number` (1-based) of the file, from its line."""
    try:
        fields = json.loads(line)
        checkpoint = Checkpoint(**fields)
    except (ValueError, TypeError) as exc:
        raise InvalidInput(f"checkpoint {number} is not a checkpoint line: {exc}") from exc
    if not isinstance(checkpoint.sequence, int) or not isinstance(checkpoint.entry_hash, str):
        raise InvalidInput(f"checkpoint {number} has a malformed sequence or hash")
    return checkpoint
