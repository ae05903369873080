"""Factories of workspace tests: reports stored with chosen urgency, age, status and place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tipline.audit.models import AuditEntry
from tipline.reports.core import risk_rank
from tipline.reports.models import Report
from tipline.reports.repository import add_report

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


class StoredReportMaker(Protocol):
    def __call__(
        self,
        narrative: str = ...,
        *,
        urgency: str = ...,
        age: timedelta = ...,
        category: str = ...,
        status: str = ...,
        province: str | None = ...,
        loss: Decimal | None = ...,
        at_risk: bool = ...,
        contact: str | None = ...,
    ) -> Report: ...


@pytest.fixture
def stored_report(db_session: Session) -> StoredReportMaker:
    """A report stored directly (no extraction, no triage), received `age` before NOW;
    `at_risk`: a child at risk or a risk to life (first within its urgency)."""

    def make(
        narrative: str = "Tôi bị lừa chuyển tiền qua Zalo",
        *,
        urgency: str = "normal",
        age: timedelta = timedelta(hours=1),
        category: str = "fraud.investment",
        status: str = "new",
        province: str | None = "Hà Nội",
        loss: Decimal | None = None,
        at_risk: bool = False,
        contact: str | None = None,
    ) -> Report:
        values: dict[str, Any] = {
            "channel": "web",
            "narrative": narrative,
            "language": "vi",
            "category": category,
            "urgency": urgency,
            "triage_reasons": ["a reason"],
            "listed_values": [],
            "loss_amount": loss,
            "loss_currency": "VND" if loss is not None else None,
            "province": province,
            "anonymous": False,
            "status": status,
            "created_at": NOW - age,
            "updated_at": NOW - age,
            "risk_rank": risk_rank(at_risk),
            "reporter_contact": contact,
        }
        return add_report(db_session, values)

    return make


class AuditReader(Protocol):
    def __call__(self) -> list[tuple[str, str, str, str]]: ...


@pytest.fixture
def audit_actions(db_session: Session) -> AuditReader:
    """(actor, action, target type, target id) of every audit entry, in order."""

    def read() -> list[tuple[str, str, str, str]]:
        stmt = select(
            AuditEntry.actor, AuditEntry.action, AuditEntry.target_type, AuditEntry.target_id
        ).order_by(AuditEntry.sequence)
        return [(a, b, c, d) for a, b, c, d in db_session.execute(stmt)]

    return read
