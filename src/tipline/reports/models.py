"""A report as stored: what a victim told, how triage read it, and how it came in."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Index,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.orm.attributes import get_history

from tipline.db import Base
from tipline.db_types import BigId, EncryptedText, UtcDateTime, data_keys, utc_now
from tipline.vocabulary import QUEUE_POSITION

# `urgency_rank` (QUEUE_POSITION: critical first) keeps the queue's place next to `urgency`, so
# that the queue's order is a plain ascending index (see tipline.workspace).


def _queue_position(context: Any) -> int:
    return QUEUE_POSITION.get(context.get_current_parameters().get("urgency"), 2)


def _search_terms(context: Any) -> str:
    return data_keys().search_terms(context.get_current_parameters().get("narrative") or "")


class Report(Base):
    """One report. `reporter_contact` and `narrative` are personal data: never log them."""

    __tablename__ = "report"
    __table_args__ = (
        UniqueConstraint("source", "external_id"),
        Index("ix_report_status_urgency", "status", "urgency"),
        Index("ix_report_category", "category"),
        Index("ix_report_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    # Where an imported report came from and its id there: (source, external_id) is unique,
    # so importing the same file twice adds nothing. Demo data has source "demo".
    source: Mapped[str | None] = mapped_column(String(100))
    external_id: Mapped[str | None] = mapped_column(String(200))
    # Encrypted at rest (tipline.keyring), as are `reporter_contact` and evidence file names;
    # `search_terms` holds keyed hashes of its words, which the full-text index reads
    # (filled on insert, and by `_narrative_changed` when an edit changes the narrative).
    narrative: Mapped[str] = mapped_column(EncryptedText("report.narrative"))
    search_terms: Mapped[str] = mapped_column(Text, default=_search_terms, server_default="")
    language: Mapped[str] = mapped_column(String(8))
    category: Mapped[str] = mapped_column(String(40))
    urgency: Mapped[str] = mapped_column(String(16))
    # QUEUE_POSITION[urgency], filled on insert; whoever changes `urgency` sets it too.
    urgency_rank: Mapped[int] = mapped_column(
        SmallInteger, default=_queue_position, server_default=text("2")
    )
    # 0 for a child at risk or a risk to life (triage's `at_risk`), else 1: second in the
    # queue's order, after `urgency_rank` (tipline.reports.core.risk_rank).
    risk_rank: Mapped[int] = mapped_column(SmallInteger, default=1, server_default=text("1"))
    triage_reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # The values the reporter listed apart from the narrative, as typed (even unreadable ones).
    listed_values: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # The transfers she made, as she gave them (`PaymentCreate.stored()`): date, amount, her
    # bank, the account she paid and its bank.
    payments: Mapped[list[Any] | None] = mapped_column(JSON, default=list)
    loss_amount: Mapped[Decimal | None] = mapped_column(Numeric(20, 2))
    loss_currency: Mapped[str | None] = mapped_column(String(8))
    occurred_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    province: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(100))
    victim_age_group: Mapped[str | None] = mapped_column(String(16))
    victim_gender: Mapped[str | None] = mapped_column(String(16))
    reporter_contact: Mapped[str | None] = mapped_column(
        EncryptedText("report.reporter_contact", 200)
    )
    # Who reported (tipline.vocabulary.REPORTERS), when the form or API said: whom advice is for.
    reporter: Mapped[str | None] = mapped_column(String(16))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="new")
    # The analyst working the report (a username, as a case's assignee): claimed or assigned
    # from the queue; None while nobody has it.
    assignee: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    def __repr__(self) -> str:  # never the narrative or the contact
        return f"Report(id={self.id!r}, code={self.code!r}, status={self.status!r})"


@event.listens_for(Report, "before_update")
def _narrative_changed(_mapper: Any, _connection: Any, report: Report) -> None:
    if get_history(report, "narrative").has_changes():
        report.search_terms = data_keys().search_terms(report.narrative)
