"""What a victim's browser sends (two hashes and PDQ's quality) and what it gets back."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

RECEIPT_MAX = 40  # 16 characters in groups, as she may type them, with room for spaces


class VictimHashes(BaseModel):
    """One photo's hashes, computed in her browser: never the photo."""

    model_config = ConfigDict(extra="forbid")

    pdq: str = Field(pattern=r"^[0-9a-fA-F]{64}$", description="PDQ, 64 hex digits")
    md5: str = Field(pattern=r"^[0-9a-fA-F]{32}$", description="MD5 of the file, 32 hex digits")
    quality: int = Field(ge=0, le=100, description="PDQ's quality, 0 to 100")


class VictimReceipt(BaseModel):
    """The code that withdraws the hashes (shown once: tipline keeps only its digest)."""

    receipt: str = Field(description="16 characters in four groups, `7KQM-2XHD-…`")


class Withdrawal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    receipt: str = Field(min_length=1, max_length=RECEIPT_MAX)


class Withdrawn(BaseModel):
    removed: int = Field(description="how many hashes were removed (0: the code names none)")
