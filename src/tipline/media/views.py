"""Banks, hashes and matches as the API shows them (`schemas`), from the service's values."""

from __future__ import annotations

from collections.abc import Sequence

from tipline.media.core import HashValue
from tipline.media.models import BankHash
from tipline.media.schemas import (
    BankDetail,
    BankRead,
    HashPage,
    HashRead,
    MatchRead,
    MatchResponse,
    MatchResult,
)
from tipline.media.service import BankSummary, BankView, Match


def bank_read(summary: BankSummary) -> BankRead:
    bank = summary.bank
    return BankRead(
        id=bank.id, name=bank.name, kind=bank.kind, owner=bank.owner, provenance=bank.provenance,
        tlp=bank.tlp, retention_days=bank.retention_days, created_at=bank.created_at,
        counts=summary.counts, total=summary.total,
    )  # fmt: skip


def bank_detail(view: BankView) -> BankDetail:
    return BankDetail(
        **bank_read(view.summary).model_dump(), removed=view.removed,
        organisations=view.organisations, partners=view.partners,
    )  # fmt: skip


def hash_page(rows: Sequence[BankHash], limit: int) -> HashPage:
    items = [
        HashRead(
            id=h.id,
            signal=h.signal,
            value=h.value,
            quality=h.quality,
            source=h.source,
            added_at=h.added_at,
        )  # fmt: skip
        for h in rows
    ]
    return HashPage(items=items, next_after=rows[-1].id if len(rows) == limit else None)


def _match_read(match: Match) -> MatchRead:
    return MatchRead(
        bank_id=match.bank_id, bank=match.bank_name, bank_kind=match.bank_kind,
        hash_id=match.hash_id, signal=match.signal, value=match.value, distance=match.distance,
    )  # fmt: skip


def match_response(asked: Sequence[HashValue], found: Sequence[Sequence[Match]]) -> MatchResponse:
    return MatchResponse(
        results=[
            MatchResult(
                index=i,
                signal=h.signal.value,
                value=h.value,
                matches=[_match_read(m) for m in matches],
            )  # fmt: skip
            for i, (h, matches) in enumerate(zip(asked, found, strict=True))
        ]
    )
