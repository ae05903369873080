"""Every query of rotation: sealed values read and written as they are stored (no decryption
by the column type), in batches by id."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import Table, Text, bindparam, func, select, type_coerce, update
from sqlalchemy.orm import Session

from tipline.evidence.models import Evidence, EvidenceAttachment
from tipline.reports.models import Report
from tipline.workspace.models import ReportNote


class SealedColumn(NamedTuple):
    table: Table
    column: str

    @property
    def label(self) -> str:  # the associated data its values are sealed with
        return f"{self.table.name}.{self.column}"


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


# Every column encrypted at rest (tipline.db_types.EncryptedText); the narrative first, whose
# search terms follow it.
SEALED = (
    SealedColumn(_table(Report), "narrative"),
    SealedColumn(_table(Report), "reporter_contact"),
    SealedColumn(_table(ReportNote), "text"),
    SealedColumn(_table(Evidence), "original_name"),
    SealedColumn(_table(EvidenceAttachment), "file_name"),
)


def count(session: Session, sealed: SealedColumn) -> int:
    column = sealed.table.c[sealed.column]
    stmt = select(func.count()).select_from(sealed.table).where(column.is_not(None))
    return int(session.scalar(stmt) or 0)


def stored_values(
    session: Session, sealed: SealedColumn, after: int, batch: int
) -> list[tuple[int, str]]:
    """Up to `batch` (id, value as stored) after id `after`, by id."""
    table = sealed.table
    raw = type_coerce(table.c[sealed.column], Text)
    stmt = (
        select(table.c.id, raw)
        .where(table.c.id > after, raw.is_not(None))
        .order_by(table.c.id)
        .limit(batch)
    )
    return [(ident, value) for ident, value in session.execute(stmt)]


def store_values(session: Session, sealed: SealedColumn, values: Sequence[dict[str, Any]]) -> None:
    """Write {"ident", "value"[, "terms"]} as they are (already sealed)."""
    if not values:
        return
    table = sealed.table
    changes: dict[str, Any] = {sealed.column: bindparam("value", type_=Text)}
    if "terms" in values[0]:
        changes["search_terms"] = bindparam("terms")
    stmt = update(table).where(table.c.id == bindparam("ident")).values(changes)
    session.connection().execute(stmt, list(values))


def evidence_hashes(session: Session) -> list[str]:
    return list(session.scalars(select(Evidence.sha256).order_by(Evidence.id)))
