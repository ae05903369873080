"""The queries of this capability: the bank victims' hashes go to, found or made."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tipline.db_types import utc_now
from tipline.media.core import BankKind
from tipline.media.models import Bank

PROVENANCE = (
    "Hashes (PDQ and MD5) that victims computed of their own intimate photos in their browser, "
    "on /protect-my-photo, and sent with their consent; the photos never reached tipline. Each "
    "victim can withdraw hers with her receipt code."
)


def victims_bank_id(session: Session, name: str) -> int | None:
    """The id of the NCII bank named `name`, or None when there is none."""
    statement = select(Bank.id).where(Bank.name == name, Bank.kind == BankKind.NCII.value)
    return session.scalar(statement)


def add_victims_bank(session: Session, name: str) -> int | None:
    """Make the NCII bank `name` (owned by tipline, TLP amber, kept until withdrawn): its id, or
    None when a bank of that name exists (made at the same moment, or of another kind)."""
    bank = Bank(
        name=name, kind=BankKind.NCII.value, owner="tipline", provenance=PROVENANCE,
        tlp="amber", retention_days=None, created_by="system", created_at=utc_now(),
    )  # fmt: skip
    try:
        with session.begin_nested():
            session.add(bank)
    except IntegrityError:
        return None
    return bank.id
