"""A small world for requests to organisations: a bank (VCB), a second bank (TCB), a telecom
and a platform; a campaign of two reports naming two VCB accounts and a TCB account."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tipline.accounts import service as accounts
from tipline.accounts.models import User
from tipline.campaigns.service import campaign_uid_of
from tipline.partners.models import Organisation
from tipline.partners.service import add_organisation
from tipline.reports.models import Report

# The victims' stories: two VCB accounts, one TCB account, a phone that links them.
FIRST = (
    "Người gọi từ số 0981 234 567 tự xưng nhân viên ngân hàng bảo tôi chuyển 15.000.000đ vào "
    "STK 0123456789 Vietcombank và 9988776655 Vietcombank."
)
SECOND = (
    "Số 0981 234 567 gọi, bảo tôi chuyển 8.000.000đ vào STK 0123456789 Vietcombank, rồi "
    "5.000.000đ vào STK 5566778899 Techcombank."
)


def signed_in(session: Session, name: str, role: str, **record: int) -> tuple[str, str]:
    """A user of `role` (for a partner or organisation by id): a session cookie and an API
    token of theirs. No password (its hashing is slow, and signing in is tested elsewhere)."""
    user = User(username=name, display_name=name, role=role, password_hash="-", **record)
    session.add(user)
    session.flush()
    cookie = accounts.start_session(session, user)
    session.commit()
    return cookie, accounts.create_token(session, "cli:test", name, "machine").plaintext


@dataclass(frozen=True)
class Desk:
    vcb: Organisation
    tcb: Organisation
    viettel: Organisation
    meta: Organisation
    first: Report
    second: Report
    campaign: UUID
    secret_first: str  # the first victim's, to follow her report


def organisations(session: Session) -> tuple[Organisation, ...]:
    made = [
        add_organisation(session, "cli:t", name, kind)
        for name, kind in (("Vietcombank", "bank"), ("Techcombank", "bank"),
                           ("Viettel", "telecom"), ("Meta", "platform"))
    ]  # fmt: skip
    made[0].bank_code, made[1].bank_code = "VCB", "TCB"
    made[0].response_hours = {"freeze": 1}
    made[2].phone_prefixes = "+8498,+8496"
    made[3].domains = "facebook.com,facebook"
    session.commit()
    return tuple(made)


@pytest.fixture
def desk(db_session: Session, make_report: Callable[..., Any]) -> Desk:
    vcb, tcb, viettel, meta = organisations(db_session)
    receipts = [make_report(FIRST, loss_amount=15_000_000),
                make_report(SECOND, loss_amount=13_000_000)]  # fmt: skip
    codes = [receipt.code for receipt in receipts]
    first, second = (
        db_session.scalars(select(Report).where(Report.code == code)).one() for code in codes
    )
    campaign = campaign_uid_of(db_session, first.id)
    assert campaign is not None
    return Desk(vcb, tcb, viettel, meta, first, second, campaign, receipts[0].secret)
