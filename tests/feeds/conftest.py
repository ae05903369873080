"""A small world for the feed: reports of two categories with confirmed, unconfirmed and
blocklisted indicators, and Bank X, whose agreement allows phones and URLs of investment fraud."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from tests.principals import staff

from tipline.db_types import utc_now
from tipline.feeds.agreements import AgreementChange, set_agreement
from tipline.indicators.models import IndicatorRecord, IndicatorSource, ReportIndicator
from tipline.partners.service import add_organisation
from tipline.principals import Principal, Role
from tipline.reports.models import Report
from tipline.settings import Settings
from tipline.workspace.service import review_indicator

INVESTMENT = (
    "Sàn đầu tư giả, gọi 0912345678, link https://sangiaodich-vn.com/dangnhap, "
    "STK 0123456789 Vietcombank."
)
SEXTORTION = "Kẻ tống tiền dùng số 0987654321 đòi tiền để không tung ảnh."


@dataclass(frozen=True)
class FeedWorld:
    phone: int  # confirmed in an investment report
    url: int  # confirmed in the same report
    account: int  # named, never confirmed
    other_phone: int  # confirmed in a sextortion report
    listed: int  # a domain a blocklist lists (phishing), no report
    investment_report: int
    organisation_id: int

    @property
    def bank(self) -> Principal:
        return Principal(
            7, "bankx", Role.PLATFORM, "token", 3, organisation_id=self.organisation_id
        )


def indicator(session: Session, report_id: int, kind: str) -> int:
    found = session.scalars(
        select(IndicatorRecord.id)
        .join(ReportIndicator, ReportIndicator.indicator_id == IndicatorRecord.id)
        .where(ReportIndicator.report_id == report_id, IndicatorRecord.kind == kind)
    ).first()
    assert found is not None, kind
    return found


def filed(session: Session, make_report: Callable[..., Any], text: str, category: str) -> int:
    code = make_report(text).code
    report_id = session.scalars(select(Report.id).where(Report.code == code)).one()
    session.execute(update(Report).where(Report.id == report_id).values(category=category))
    return report_id


def listed_domain(session: Session, value: str, category: str) -> int:
    now = utc_now()
    record = IndicatorRecord(kind="domain", value=value, first_seen=now, last_seen=now)
    session.add(record)
    session.flush()
    session.add(
        IndicatorSource(indicator_id=record.id, source="ChongLuaDao", category=category,
                        first_seen=now - timedelta(days=3), last_seen=now)
    )  # fmt: skip
    session.flush()
    return record.id


@pytest.fixture
def feed_world(
    db_session: Session, make_report: Callable[..., Any], settings: Settings
) -> FeedWorld:
    investment = filed(db_session, make_report, INVESTMENT, "fraud.investment")
    sextortion = filed(db_session, make_report, SEXTORTION, "sextortion")
    lead = staff("analyst:an")
    phone, url = (
        indicator(db_session, investment, "phone"),
        indicator(db_session, investment, "url"),
    )
    other_phone = indicator(db_session, sextortion, "phone")
    for report_id, indicator_id in (
        (investment, phone),
        (investment, url),
        (sextortion, other_phone),
    ):
        review_indicator(db_session, lead, report_id, indicator_id, "confirmed", settings)
    listed = listed_domain(db_session, "vietcombank-khuyenmai.com", "fraud.phishing")
    bank = add_organisation(db_session, "cli:test", "Bank X", "bank")
    change = AgreementChange(frozenset({"phone", "url"}), frozenset({"fraud.investment"}), 70)
    set_agreement(db_session, "cli:test", "Bank X", change)
    return FeedWorld(
        phone, url, indicator(db_session, investment, "bank_account"), other_phone, listed,
        investment, bank.id,
    )  # fmt: skip
