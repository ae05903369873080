"""What the private check's API takes and gives (docs/private-check.md)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class PrivateCheckParameters(BaseModel):
    """How to ask: the OPRF suite and mode, the bucket's bits, the key answering now."""

    suite: str
    mode: str
    prefix_bits: int
    key_id: str


class PrivateCheckRequest(BaseModel):
    """A bucket (`prefix_bits` bits of the value's hash, lower-case hex) and the value blinded
    (a ristretto255 element, base64url): never the value."""

    bucket: str = Field(max_length=8)
    blinded: str = Field(max_length=64)


class PrivateCheckAnswer(BaseModel):
    """The blinded element evaluated under the key, and the bucket's entries: `[tag, sealed
    verdict]`, base64url, which only the holder of a value can match and open."""

    key_id: str
    evaluated: str
    entries: list[tuple[str, str]]


class PrivateCheckStatus(BaseModel):
    """The keys, their sets' sizes, and the follow job's last round."""

    active_key: str | None
    active_entries: int
    building_key: str | None
    prefix_bits: int | None
    followed_at: datetime | None
    sweep_after: int
