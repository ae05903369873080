"""Hash banks and matching as the API reads and writes them.

A hash is written as HMA's and ThreatExchange's JSON write a content's signals, one signal
type a key: `{"pdq": "<64 hex>"}`, `{"md5": "<32 hex>"}`, `{"sha256": "<64 hex>"}`, with an
optional PDQ `quality`. A body with no image in it: the API never takes one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tipline.media.core import (
    DEFAULT_MAX_DISTANCE,
    MAX_QUERIES,
    NAME_MAX,
    HashValue,
    Signal,
)
from tipline.sharing.tlp import TLPS

MAX_ADDED = 10_000  # hashes per addition by the API; larger lists go by `tipline media bank import`
MAX_API_DISTANCE = 64  # beyond it nothing but noise matches (random PDQs differ by ~128 bits)

Pdq = Annotated[str, Field(pattern=r"^[0-9a-fA-F]{64}$", examples=["f" * 64])]
Md5 = Annotated[str, Field(pattern=r"^[0-9a-fA-F]{32}$")]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-fA-F]{64}$")]
Name = Annotated[str, Field(min_length=1, max_length=NAME_MAX)]


class HashIn(BaseModel):
    """One hash: exactly one of `pdq`, `md5`, `sha256`; `quality` (0-100) only with `pdq`."""

    model_config = ConfigDict(extra="forbid")

    pdq: Pdq | None = None
    md5: Md5 | None = None
    sha256: Sha256 | None = None
    quality: Annotated[int, Field(ge=0, le=100)] | None = None

    @model_validator(mode="after")
    def _one_signal(self) -> HashIn:
        given = [name for name in ("pdq", "md5", "sha256") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of pdq, md5, sha256")
        if self.quality is not None and self.pdq is None:
            raise ValueError("a quality goes with a pdq hash")
        return self

    def value(self) -> HashValue:
        for signal in Signal:
            if (text := getattr(self, signal.value)) is not None:
                return HashValue(signal, text.lower(), self.quality)
        raise AssertionError("validated: one signal is given")


class MatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hashes: Annotated[list[HashIn], Field(min_length=1, max_length=MAX_QUERIES)]
    max_distance: Annotated[int, Field(ge=0, le=MAX_API_DISTANCE)] = DEFAULT_MAX_DISTANCE


class MatchRead(BaseModel):
    """A bank's hash that matches: the bank, the hash, how many bits apart (0: the same)."""

    bank_id: int
    bank: str
    bank_kind: str
    hash_id: int
    signal: str
    value: str
    distance: int


class MatchResult(BaseModel):
    """The matches of one hash asked, in the order asked (`index` from 0)."""

    index: int
    signal: str
    value: str
    matches: list[MatchRead]


class MatchResponse(BaseModel):
    results: list[MatchResult]


class BankCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    kind: Literal["child", "ncii", "other"]
    owner: Name
    provenance: Annotated[str, Field(max_length=2000)] = ""
    tlp: Annotated[str, Field(examples=list(TLPS), max_length=20)] = "amber"
    retention_days: Annotated[int, Field(ge=1, le=36_500)] | None = None
    owner_organisation: Annotated[str, Field(max_length=NAME_MAX)] | None = None


class BankRead(BaseModel):
    id: int
    name: str
    kind: str
    owner: str
    provenance: str
    tlp: str
    retention_days: int | None
    created_at: datetime
    counts: dict[str, int]  # live hashes per signal type
    total: int


class BankDetail(BankRead):
    removed: int
    organisations: list[str]  # who may match besides staff (shown to staff only)
    partners: list[str]


class HashRead(BaseModel):
    id: int
    signal: str
    value: str
    quality: int | None
    source: str
    added_at: datetime


class HashPage(BaseModel):
    items: list[HashRead]
    next_after: int | None  # pass as `after` for the next page


class HashesAdd(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hashes: Annotated[list[HashIn], Field(min_length=1, max_length=MAX_ADDED)]
    source: Annotated[str, Field(max_length=200)] = ""


class HashesAdded(BaseModel):
    added: int
    skipped: int  # already live in the bank


class HashesRemove(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: Annotated[list[Annotated[int, Field(ge=1, le=2**62)]],
                   Field(min_length=1, max_length=MAX_ADDED)]  # fmt: skip


class HashesRemoved(BaseModel):
    removed: int


class GrantCreate(BaseModel):
    """One organisation or one partner agency (by name) that may match against the bank."""

    model_config = ConfigDict(extra="forbid")

    organisation: Annotated[str, Field(min_length=1, max_length=NAME_MAX)] | None = None
    partner: Annotated[str, Field(min_length=1, max_length=NAME_MAX)] | None = None
