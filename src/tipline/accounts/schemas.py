"""Users and tokens as shown to an administrator (pages and the CLI): never a hash."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    role: str
    disabled: bool
    created_at: datetime
    last_login_at: datetime | None


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
