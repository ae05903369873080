"""Factories of dashboard tests: reports stored at a chosen instant, their indicators, campaigns."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Protocol

import pytest
from sqlalchemy.orm import Session

from tipline.campaigns.models import CampaignReport
from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.reports.models import Report

# 2026-11-05 00:30 in Vietnam is 2026-11-04 17:30 UTC: a day boundary the dashboard must respect.
SEEN = datetime(2026, 11, 1, tzinfo=UTC)


class ReportAt(Protocol):
    def __call__(
        self,
        created_at: datetime,
        *,
        category: str = ...,
        urgency: str = ...,
        province: str | None = ...,
        loss: Decimal | str | None = ...,
        currency: str | None = ...,
    ) -> Report: ...


@pytest.fixture
def report_at(db_session: Session) -> ReportAt:
    """A report stored directly (no extraction, no triage), received at `created_at`."""
    made = [0]

    def make(
        created_at: datetime,
        *,
        category: str = "fraud.investment",
        urgency: str = "normal",
        province: str | None = "Hà Nội",
        loss: Decimal | str | None = None,
        currency: str | None = "VND",
    ) -> Report:
        made[0] += 1
        report = Report(
            code=f"TL-DASH-{made[0]:04d}", channel="web", narrative="Tôi bị lừa", language="vi",
            category=category, urgency=urgency, triage_reasons=[], listed_values=[],
            loss_amount=Decimal(loss) if loss is not None else None,
            loss_currency=currency if loss is not None else None, province=province,
            anonymous=False, status="new", created_at=created_at, updated_at=created_at,
        )  # fmt: skip
        db_session.add(report)
        db_session.flush()
        return report

    return make


class IndicatorMaker(Protocol):
    def __call__(
        self, value: str, reports: list[Report], kind: str = ..., allowlisted: bool = ...
    ) -> IndicatorRecord: ...


@pytest.fixture
def indicator_in(db_session: Session) -> IndicatorMaker:
    """An indicator named by `reports`."""

    def make(
        value: str, reports: list[Report], kind: str = "phone", allowlisted: bool = False
    ) -> IndicatorRecord:
        record = IndicatorRecord(
            kind=kind, value=value, allowlisted=allowlisted, first_seen=SEEN, last_seen=SEEN,
            report_count=len(reports),
        )  # fmt: skip
        db_session.add(record)
        db_session.flush()
        db_session.add_all(ReportIndicator(report_id=r.id, indicator_id=record.id) for r in reports)
        db_session.flush()
        return record

    return make


class CampaignMaker(Protocol):
    def __call__(self, reports: list[Report]) -> int: ...


@pytest.fixture
def campaign_of(db_session: Session) -> CampaignMaker:
    """Put `reports` in one campaign (its id: the smallest report id, as tipline.campaigns does)."""

    def make(reports: list[Report]) -> int:
        campaign_id = min(r.id for r in reports)
        db_session.add_all(CampaignReport(report_id=r.id, campaign_id=campaign_id) for r in reports)
        db_session.flush()
        return campaign_id

    return make
