"""A victim adds her photo's hashes to the victims' NCII bank, and withdraws them with her
receipt. The bank is named by the settings (`victim_bank`), and made by the first victim who
needs it (an admin then grants platforms the right to match against it)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tipline.audit.service import record
from tipline.errors import Conflict
from tipline.media.core import HashValue, Signal
from tipline.media.service import add_victim_hashes, withdraw
from tipline.protect import repository
from tipline.protect.schemas import VictimHashes, VictimReceipt


def victims_bank(session: Session, name: str) -> int:
    """The id of the victims' NCII bank, made (and audited) when it does not exist yet."""
    if (bank_id := repository.victims_bank_id(session, name)) is not None:
        return bank_id
    if (made := repository.add_victims_bank(session, name)) is not None:
        record(session, "system", "media.bank.create", "media_bank", made,
               {"name": name, "kind": "ncii", "for": "victims"})  # fmt: skip
        return made
    # Another request made it at the same moment, or a bank of another kind has the name.
    if (bank_id := repository.victims_bank_id(session, name)) is None:
        raise Conflict(f"The bank {name!r} is not an NCII bank: set victim_bank to another name.")
    return bank_id


def submit_hashes(session: Session, bank_name: str, hashes: VictimHashes) -> VictimReceipt:
    """Add one photo's PDQ and MD5 to the victims' bank; the receipt code that withdraws them."""
    bank_id = victims_bank(session, bank_name)
    values = [
        HashValue(Signal.PDQ, hashes.pdq.lower(), hashes.quality),
        HashValue(Signal.MD5, hashes.md5.lower()),
    ]
    code = add_victim_hashes(session, bank_id, values)
    return VictimReceipt(receipt=code)


def withdraw_hashes(session: Session, receipt: str) -> int:
    """Remove every hash of a receipt: how many (0 when the code names none)."""
    return withdraw(session, receipt)
