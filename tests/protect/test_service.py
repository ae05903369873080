"""The victims' bank: made by the first victim who needs it, once, and never taken for another
kind of bank that happens to bear its name."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.principals import staff

from tipline.audit.models import AuditEntry
from tipline.errors import Conflict
from tipline.media.models import Bank, BankHash
from tipline.media.service import create_bank
from tipline.protect.schemas import VictimHashes
from tipline.protect.service import submit_hashes

NAME = "NCII reported by victims"


def hashes(digit: str) -> VictimHashes:
    return VictimHashes(pdq=digit * 64, md5=digit * 32, quality=80)


def test_the_first_victim_makes_the_bank_and_the_next_ones_join_it(db_session: Session) -> None:
    submit_hashes(db_session, NAME, hashes("a"))
    submit_hashes(db_session, NAME, hashes("b"))
    banks = db_session.scalars(select(Bank).where(Bank.name == NAME)).all()
    assert [(b.kind, b.owner, b.tlp, b.retention_days) for b in banks] == [
        ("ncii", "tipline", "amber", None)
    ]
    rows = db_session.scalars(select(BankHash).order_by(BankHash.id)).all()
    assert [(r.bank_id, r.signal, r.source) for r in rows] == [
        (banks[0].id, s, "victim") for s in ("pdq", "md5", "pdq", "md5")
    ]
    assert [r.quality for r in rows if r.signal == "pdq"] == [80, 80]
    made = select(func.count()).where(AuditEntry.action == "media.bank.create")
    assert db_session.scalar(made.select_from(AuditEntry)) == 1


def test_a_bank_of_another_kind_with_its_name_is_never_used(db_session: Session) -> None:
    create_bank(db_session, staff("admin:an"), NAME, "child", "Police")
    with pytest.raises(Conflict):
        submit_hashes(db_session, NAME, hashes("c"))
    assert db_session.scalar(select(func.count()).select_from(BankHash)) == 0
