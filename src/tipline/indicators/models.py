"""Indicators as stored: one row per (kind, canonical value), its reports, the analysts' reviews
of those links, and its feeds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column

from tipline.db import Base
from tipline.db_types import BigId, UtcDateTime, utc_now
from tipline.indicators.accounts import account_digits

# Values longer than tipline.indicators.types.MAX_STORED_VALUE_BYTES are not stored.
MAX_VALUE_LENGTH = 2000


def _account_digits(context: DefaultExecutionContext) -> str | None:
    """The column default of `account_digits`: from the row's kind and value, however it is
    inserted (the upsert, bulk import, a bench's `insert()`)."""
    row = context.get_current_parameters()
    return account_digits(row["kind"], row["value"])


class IndicatorRecord(Base):
    """A phone, account, link, wallet… that reports or feeds named, counted once."""

    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("kind", "value"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(MAX_VALUE_LENGTH))
    allowlisted: Mapped[bool] = mapped_column(Boolean, default=False)
    first_seen: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen: Mapped[datetime] = mapped_column(UtcDateTime)
    # Reports that name it (feeds are counted in IndicatorSource, not here).
    report_count: Mapped[int] = mapped_column(Integer, default=0)
    # A bank account's digits without its bank (tipline.indicators.accounts), None otherwise:
    # the check finds an account at any bank through them.
    account_digits: Mapped[str | None] = mapped_column(
        String(32), default=_account_digits, index=True
    )
    # Its TLP 2.0 marking when shared (tipline.sharing.tlp), set by an analyst; None: the
    # instance's default (Settings.sharing_default_tlp).
    tlp: Mapped[str | None] = mapped_column(String(16))

    def __repr__(self) -> str:
        return f"IndicatorRecord({self.kind}:{self.value}, reports={self.report_count})"


class ReportIndicator(Base):
    """An indicator named in a report: where in the narrative, and whether an analyst confirmed it.

    `span_start`/`span_end` are None for a value the reporter listed separately.
    `reporter_own`: the report calls the value the reporter's own (a victim's phone, email or
    account), or an analyst said so; the public check and anything shared leave such links out.
    """

    __tablename__ = "report_indicator"
    # By indicator, with whether the link is the reporter's own: campaign linking counts an
    # indicator's links and its reporter's-own links from this index alone.
    __table_args__ = (Index("ix_report_indicator_indicator_id", "indicator_id", "reporter_own"),)

    report_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("report.id", ondelete="CASCADE"), primary_key=True
    )
    indicator_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True
    )
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    reporter_own: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class IndicatorReview(Base):
    """An analyst's decision on an indicator extracted from a report: confirmed or rejected.

    `report_indicator.confirmed` mirrors a confirmation; a rejection is remembered here so that
    the indicator is not offered again as merely extracted.
    """

    __tablename__ = "indicator_review"
    # Campaign linking counts the rejections of an indicator (tipline.campaigns.repository).
    __table_args__ = (Index("ix_indicator_review_indicator_id", "indicator_id"),)

    report_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("report.id", ondelete="CASCADE"), primary_key=True
    )
    indicator_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(16))  # confirmed or rejected
    actor: Mapped[str] = mapped_column(String(200))
    reviewed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class IndicatorSource(Base):
    """An indicator listed by a feed (e.g. ChongLuaDao), so the check can name the source."""

    __tablename__ = "indicator_source"
    __table_args__ = (UniqueConstraint("indicator_id", "source"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    indicator_id: Mapped[int] = mapped_column(BigId, ForeignKey("indicator.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(40))
    first_seen: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen: Mapped[datetime] = mapped_column(UtcDateTime)
    # From a partner's STIX or MISP: the marking it came with, how many times the partner saw
    # it (its sighting's count), and the partner's id of the object.
    tlp: Mapped[str | None] = mapped_column(String(16))
    sightings: Mapped[int | None] = mapped_column(Integer)
    stix_id: Mapped[str | None] = mapped_column(String(120))
