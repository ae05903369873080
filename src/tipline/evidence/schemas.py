"""The evidence API's shapes: EvidenceRead (with its custody), TransferCreate."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class CustodyRead(BaseModel):
    action: str
    actor: str
    at: datetime
    details: dict[str, Any]


class AttachmentRead(BaseModel):
    report_id: int | None
    case_id: int | None
    file_name: str
    attached_by: str
    attached_at: datetime


class EvidenceRead(BaseModel):
    id: int
    sha256: str
    size: int
    media_type: str
    original_name: str
    uploaded_by: str
    uploaded_at: datetime
    duplicate: bool | None = None
    attachments: list[AttachmentRead] = Field(default_factory=list)
    custody: list[CustodyRead] = Field(default_factory=list)


class TransferCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    partner: str = Field(min_length=1, max_length=200)
    reason: str = Field(default="", max_length=500)
