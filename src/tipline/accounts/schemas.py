"""Users and tokens as shown to an administrator (pages and the CLI): never a hash."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class TokenRead(BaseModel):
    id: int
    username: str
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    state: str  # active, expired, revoked, disabled (its user is)
