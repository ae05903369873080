"""Every query of hash banks. Who may use which bank is decided here, in the statement, from
the caller: staff every bank; an organisation's user or token (role `platform`) the banks its
organisation owns or was granted; a partner agency's the banks it was granted; anyone else
(a citizen, anonymous) none. Hashes are read through their bank's condition, so a bank the
caller may not use yields no hash, no count and no match.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, or_, select, true, update
from sqlalchemy.orm import Session

from tipline.media.models import Bank, BankAccess, BankHash
from tipline.partners.models import Organisation, Partner
from tipline.principals import Caller, Principal, Role, is_staff

IN_CHUNK = 500  # values per IN list: well under SQLite's and PostgreSQL's parameter limits


def usable_condition(caller: Caller) -> ColumnElement[bool]:
    """Which banks this caller may match against and see, as a condition on `media_bank`."""
    if is_staff(caller):
        return true()
    if not isinstance(caller, Principal):
        return false()
    if caller.role is Role.PLATFORM and caller.organisation_id:
        granted = select(BankAccess.bank_id).where(
            BankAccess.organisation_id == caller.organisation_id
        )
        return or_(Bank.owner_organisation_id == caller.organisation_id, Bank.id.in_(granted))
    if caller.role is Role.PARTNER and caller.partner_id:
        return Bank.id.in_(
            select(BankAccess.bank_id).where(BankAccess.partner_id == caller.partner_id)
        )
    return false()


def usable_bank_ids(caller: Caller) -> Select[int]:
    return select(Bank.id).where(usable_condition(caller))


def usable_banks(session: Session, caller: Caller) -> list[Bank]:
    statement = select(Bank).where(usable_condition(caller)).order_by(Bank.name, Bank.id)
    return list(session.scalars(statement))


def usable_bank(session: Session, caller: Caller, bank_id: int) -> Bank | None:
    """One bank, if this caller may use it (None: absent or not theirs, answered alike)."""
    statement = select(Bank).where(Bank.id == bank_id, usable_condition(caller))
    return session.scalars(statement).one_or_none()


def bank_by_name(session: Session, caller: Caller, name: str) -> Bank | None:
    statement = select(Bank).where(Bank.name == name, usable_condition(caller))
    return session.scalars(statement).one_or_none()


def live_counts(session: Session, caller: Caller) -> dict[tuple[int, str], int]:
    """(bank, signal) → live hashes, over the banks this caller may use."""
    statement = (
        select(BankHash.bank_id, BankHash.signal, func.count())
        .where(BankHash.removed_at.is_(None), BankHash.bank_id.in_(usable_bank_ids(caller)))
        .group_by(BankHash.bank_id, BankHash.signal)
    )
    return {(bank, signal): count for bank, signal, count in session.execute(statement)}


def removed_count(session: Session, caller: Caller, bank_id: int) -> int:
    statement = select(func.count()).where(
        BankHash.bank_id == bank_id,
        BankHash.removed_at.is_not(None),
        BankHash.bank_id.in_(usable_bank_ids(caller)),
    )
    return session.scalar(statement) or 0


def bank_hashes(
    session: Session, caller: Caller, bank_id: int, after_id: int = 0, limit: int = 100
) -> list[BankHash]:
    """A bank's live hashes in id order, after `after_id` (keyset pages)."""
    statement = (
        select(BankHash)
        .where(
            BankHash.bank_id == bank_id,
            BankHash.removed_at.is_(None),
            BankHash.id > after_id,
            BankHash.bank_id.in_(usable_bank_ids(caller)),
        )
        .order_by(BankHash.id)
        .limit(limit)
    )
    return list(session.scalars(statement))


def every_live_hash(session: Session, caller: Caller, bank_id: int) -> Iterator[BankHash]:
    """A bank's live hashes, streamed in pages (an export of millions holds one page)."""
    after = 0
    while page := bank_hashes(session, caller, bank_id, after, 5000):
        yield from page
        after = page[-1].id


def exact_matches(
    session: Session, caller: Caller, signal: str, values: Sequence[str]
) -> list[tuple[BankHash, Bank]]:
    """The live hashes of `signal` equal to one of `values`, in the banks the caller may use."""
    found: list[tuple[BankHash, Bank]] = []
    for start in range(0, len(values), IN_CHUNK):
        statement = (
            select(BankHash, Bank)
            .join(Bank, Bank.id == BankHash.bank_id)
            .where(
                BankHash.signal == signal,
                BankHash.value.in_(values[start : start + IN_CHUNK]),
                BankHash.removed_at.is_(None),
                usable_condition(caller),
            )
            .order_by(BankHash.id)
        )
        found.extend((h, b) for h, b in session.execute(statement))
    return found


def live_pdq_rows(session: Session, bank_ids: Sequence[int]) -> list[tuple[int, str]]:
    """(hash id, value) of every live PDQ row of these banks, in id order: what the brute-force
    matcher compares (the caller's banks were chosen by `usable_bank_ids`)."""
    if not bank_ids:
        return []
    statement = (
        select(BankHash.id, BankHash.value)
        .where(
            BankHash.bank_id.in_(bank_ids),
            BankHash.signal == "pdq",
            BankHash.removed_at.is_(None),
        )
        .order_by(BankHash.id)
    )
    return [(ident, value) for ident, value in session.execute(statement)]


def hashes_with_banks(
    session: Session, caller: Caller, hash_ids: Sequence[int]
) -> dict[int, tuple[BankHash, Bank]]:
    """Live hashes by id, with their banks, of the banks the caller may use (what a PDQ
    matcher's ids become: an id of another's bank or a removed hash yields nothing)."""
    found: dict[int, tuple[BankHash, Bank]] = {}
    ids = list(hash_ids)
    for start in range(0, len(ids), IN_CHUNK):
        statement = (
            select(BankHash, Bank)
            .join(Bank, Bank.id == BankHash.bank_id)
            .where(
                BankHash.id.in_(ids[start : start + IN_CHUNK]),
                BankHash.removed_at.is_(None),
                usable_condition(caller),
            )
        )
        found |= {h.id: (h, b) for h, b in session.execute(statement)}
    return found


def hashes_by_id(session: Session, hash_ids: Sequence[int]) -> list[BankHash]:
    """Hashes by id, whatever their bank (the service's own additions, to tell the matcher)."""
    ids = list(hash_ids)
    found: list[BankHash] = []
    for start in range(0, len(ids), IN_CHUNK):
        statement = select(BankHash).where(BankHash.id.in_(ids[start : start + IN_CHUNK]))
        found.extend(session.scalars(statement.order_by(BankHash.id)))
    return found


def receipt_banks(session: Session, digest: str) -> list[int]:
    """The banks holding live hashes of a victim's receipt (by its digest)."""
    statement = select(BankHash.bank_id).where(
        BankHash.receipt_hash == digest, BankHash.removed_at.is_(None)
    )
    return sorted(set(session.scalars(statement)))


def live_values(session: Session, bank_id: int, signal: str, values: Sequence[str]) -> set[str]:
    """Which of `values` the bank holds already (live): an addition skips them."""
    held: set[str] = set()
    for start in range(0, len(values), IN_CHUNK):
        statement = select(BankHash.value).where(
            BankHash.bank_id == bank_id,
            BankHash.signal == signal,
            BankHash.value.in_(values[start : start + IN_CHUNK]),
            BankHash.removed_at.is_(None),
        )
        held.update(session.scalars(statement))
    return held


def remove_where(session: Session, condition: ColumnElement[bool], now: datetime) -> list[int]:
    """Mark the live hashes that meet `condition` removed and erase their values; their ids
    (for the PDQ matcher), in order."""
    statement = select(BankHash.id).where(condition, BankHash.removed_at.is_(None))
    ids = list(session.scalars(statement.order_by(BankHash.id)))
    for start in range(0, len(ids), IN_CHUNK):
        session.execute(
            update(BankHash)
            .where(BankHash.id.in_(ids[start : start + IN_CHUNK]))
            .values(removed_at=now, value="")
        )
    return ids


def access_of(session: Session, bank_id: int) -> tuple[list[str], list[str]]:
    """The names of the organisations and partner agencies granted a bank."""
    organisations = select(Organisation.name).join(
        BankAccess, BankAccess.organisation_id == Organisation.id
    )
    partners = select(Partner.name).join(BankAccess, BankAccess.partner_id == Partner.id)
    organisations = organisations.where(BankAccess.bank_id == bank_id)
    partners = partners.where(BankAccess.bank_id == bank_id)
    return (
        list(session.scalars(organisations.order_by(Organisation.name))),
        list(session.scalars(partners.order_by(Partner.name))),
    )


def grant_of(
    session: Session, bank_id: int, organisation_id: int | None, partner_id: int | None
) -> BankAccess | None:
    statement = select(BankAccess).where(
        BankAccess.bank_id == bank_id,
        BankAccess.organisation_id == organisation_id
        if organisation_id is not None
        else BankAccess.partner_id == partner_id,
    )
    return session.scalars(statement).first()


def expired_condition(bank: Bank, now: datetime) -> ColumnElement[bool] | None:
    if bank.retention_days is None:
        return None
    cutoff = now - timedelta(days=bank.retention_days)
    return (BankHash.bank_id == bank.id) & (BankHash.added_at < cutoff)


def banks_with_live_hashes(session: Session, condition: ColumnElement[bool]) -> list[int]:
    statement = select(BankHash.bank_id).where(condition, BankHash.removed_at.is_(None))
    return list(session.scalars(statement.distinct().order_by(BankHash.bank_id)))


def banks_with_retention(session: Session) -> list[Bank]:
    return list(session.scalars(select(Bank).where(Bank.retention_days.is_not(None))))


def add(session: Session, *records: Any) -> None:
    session.add_all(records)
    session.flush()


# The PDQ index (tipline.media.indexing) holds every bank's PDQ rows: these reads take no
# caller, and what the index finds is read again through the caller's condition
# (`hashes_with_banks`) before anyone sees it.


def pdq_rows_after(
    session: Session, after_id: int, batch: int = 100_000
) -> Iterator[list[tuple[int, int, str]]]:
    """(id, bank id, value) of the live PDQ rows of every bank with an id above `after_id`, in
    id order, `batch` rows at a time (an index's rebuild reads them all: after 0)."""
    while True:
        statement = (
            select(BankHash.id, BankHash.bank_id, BankHash.value)
            .where(BankHash.signal == "pdq", BankHash.removed_at.is_(None), BankHash.id > after_id)
            .order_by(BankHash.id)
            .limit(batch)
        )
        rows = [(ident, bank, value) for ident, bank, value in session.execute(statement)]
        if not rows:
            return
        yield rows
        after_id = rows[-1][0]


def live_pdq_ids(session: Session) -> list[int]:
    """The ids of the live PDQ rows of every bank, in id order (an index loaded from disk is
    compared with them)."""
    statement = (
        select(BankHash.id)
        .where(BankHash.signal == "pdq", BankHash.removed_at.is_(None))
        .order_by(BankHash.id)
    )
    return list(session.scalars(statement))


def pdq_rows_by_id(session: Session, hash_ids: Sequence[int]) -> list[tuple[int, int, str]]:
    """(id, bank id, value) of these live PDQ rows."""
    ids = list(hash_ids)
    found: list[tuple[int, int, str]] = []
    for start in range(0, len(ids), IN_CHUNK):
        statement = select(BankHash.id, BankHash.bank_id, BankHash.value).where(
            BankHash.id.in_(ids[start : start + IN_CHUNK]),
            BankHash.signal == "pdq",
            BankHash.removed_at.is_(None),
        )
        found.extend((ident, bank, value) for ident, bank, value in session.execute(statement))
    return found
