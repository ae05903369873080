"""Requests to organisations as stored: the request, its lines (one indicator each), its history
of statuses, and the deliveries of its webhooks.

The organisation's side (what it answers for, its promised response times, its webhook) lives
on its record, `tipline.partners.models.Organisation`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, Numeric, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from tipline.db import Base
from tipline.db_types import BigId, UtcDateTime, utc_now


class OrgRequest(Base):
    """One request to one organisation, from a report, a campaign or a case.

    `reference` is what both sides quote (`YC-2026-000123`). `due_at` is set when it is sent
    (tipline.orgrequests.core.due_at). `auto_drafted`: tipline drafted it for a new report that
    named an account of a confirmed campaign; it waits at the top of the queue for one click.
    """

    __tablename__ = "org_request"
    # An organisation's requests newest first, and everyone's (staff), walk the last two
    # without a sort; the overdue overview reads (status, due_at, organisation_id) alone
    # (tipline.orgrequests.overdue; bench/org_requests.py).
    __table_args__ = (
        Index("ix_org_request_organisation_status", "organisation_id", "status", "due_at"),
        Index("ix_org_request_status_due", "status", "due_at", "organisation_id"),
        Index("ix_org_request_organisation_created", "organisation_id", "created_at", "id"),
        Index("ix_org_request_created", "created_at", "id"),
        # The figures dashboard's (tipline.orgrequests.outcomes): per organisation, from the
        # index alone, the requests sent in its window (bench/org_requests.py).
        Index(
            "ix_org_request_figures",
            "organisation_id",
            "sent_at",
            "status",
            "due_at",
            "seen_at",
            "answered_at",
            "outcome",
            "amount_frozen",
        ),  # fmt: skip
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    organisation_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisation.id"))
    type: Mapped[str] = mapped_column(String(16))  # tipline.orgrequests.core.REQUEST_TYPES
    status: Mapped[str] = mapped_column(String(16), default="draft")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[str] = mapped_column(Text, default="")  # what the analyst asks, in words
    report_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("report.id", ondelete="SET NULL"), index=True
    )
    campaign_uid: Mapped[UUID | None] = mapped_column(Uuid, index=True)
    case_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("case_file.id", ondelete="SET NULL")
    )
    auto_drafted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The organisation's answer.
    outcome: Mapped[str | None] = mapped_column(String(16))  # core.OUTCOMES
    org_reference: Mapped[str | None] = mapped_column(String(100))
    amount_frozen: Mapped[Decimal | None] = mapped_column(Numeric(20, 2))
    currency: Mapped[str] = mapped_column(String(8), default="VND")
    preserved: Mapped[str] = mapped_column(Text, default="")  # what it preserved, in words
    answer_note: Mapped[str] = mapped_column(Text, default="")


LINE_NOTE_LENGTH = 500


class OrgRequestLine(Base):
    """One indicator a request is about (an account to freeze, a page to take down), with the
    amount and the victims' transfer times for a freeze (no victim's name or contact)."""

    __tablename__ = "org_request_line"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("org_request.id", ondelete="CASCADE"), index=True
    )
    indicator_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("indicator.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(2000))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(20, 2))
    transfer_times: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO 8601, UTC
    outcome: Mapped[str | None] = mapped_column(String(16))  # core.LineOutcome, when answered so
    amount_frozen: Mapped[Decimal | None] = mapped_column(Numeric(20, 2))
    note: Mapped[str | None] = mapped_column(String(LINE_NOTE_LENGTH))  # the answer's, per line


class OrgRequestEvent(Base):
    """A step of a request: who did what, when (drafted, sent, seen, reminded, answered…)."""

    __tablename__ = "org_request_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("org_request.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))  # the status after this step
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class WebhookAttempt(Base):
    """One attempt to deliver a webhook: when, the receiver's HTTP status (None: no answer),
    what went wrong in a few words (`timeout`, `ConnectError`, `HTTP 500`), how long it took.
    Never the body or the secret."""

    __tablename__ = "webhook_attempt"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    delivery_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("webhook_delivery.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)  # 1 for the first attempt
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    status: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str] = mapped_column(String(500), default="")
    milliseconds: Mapped[int] = mapped_column(Integer, default=0)


class WebhookDelivery(Base):
    """One webhook to deliver to an organisation (an outbox row): its body, signed when sent
    (HMAC-SHA256 over the timestamp and the body), retried with backoff until delivered or
    given up; every attempt's outcome kept."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_due", "delivered_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organisation_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisation.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("org_request.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(40))  # request.sent, request.reminder…
    body: Mapped[str] = mapped_column(Text)  # the JSON sent
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    gave_up: Mapped[bool] = mapped_column(Boolean, default=False)
    last_status: Mapped[int | None] = mapped_column(Integer)  # the HTTP status of the last try
    last_error: Mapped[str] = mapped_column(String(500), default="")


class OrgRequestFile(Base):
    """A file an organisation answered a request with: the content is in the evidence store
    (`tipline.evidence`), with its custody; this row says which request it answered."""

    __tablename__ = "org_request_file"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("org_request.id", ondelete="CASCADE"), index=True
    )
    evidence_id: Mapped[int] = mapped_column(BigId, ForeignKey("evidence.id"))
    file_name: Mapped[str] = mapped_column(String(255))
    attached_by: Mapped[str] = mapped_column(String(200))
    attached_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
