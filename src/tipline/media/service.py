"""Hash banks: create one, grant who may match against it, add and remove hashes, let a victim
withdraw hers, list, and match.

Staff manage banks. A platform's or partner's caller matches against the banks it may use
(decided in the repository's query); a victim adds her own photo's hashes to an NCII bank
without an account and gets a receipt code that withdraws them. Every change is in the audit log
with counts, never a victim's hash or receipt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from tipline.audit.service import record
from tipline.db_types import utc_now
from tipline.errors import Conflict, InvalidInput, NotFound, NotPermitted
from tipline.media import core, repository
from tipline.media.core import DEFAULT_MAX_DISTANCE, BankKind, HashValue, Signal
from tipline.media.matching import pdq_matcher
from tipline.media.models import Bank, BankAccess, BankHash
from tipline.media.repository import usable_bank_ids
from tipline.partners.service import find_organisation, find_partner
from tipline.principals import Caller, Principal
from tipline.sharing.tlp import parse_tlp


@dataclass(frozen=True, slots=True)
class Match:
    """A bank's hash that matches a query: the bank, the hash, how far (0: the same)."""

    bank_id: int
    bank_name: str
    bank_kind: str
    hash_id: int
    signal: str
    value: str
    distance: int


@dataclass(frozen=True, slots=True)
class BankSummary:
    """A bank with its live hashes per signal type."""

    bank: Bank
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class BankView:
    """One bank: its live counts, how many were removed, who may match against it."""

    summary: BankSummary
    removed: int
    organisations: list[str]
    partners: list[str]


def _manager(caller: Caller) -> Principal:
    if not core.may_manage(caller) or not isinstance(caller, Principal):
        raise NotPermitted("Only staff manage hash banks.")
    return caller


def _bank(session: Session, caller: Caller, bank_id: int) -> Bank:
    bank = repository.usable_bank(session, caller, bank_id)
    if bank is None:
        raise NotFound("no such bank")
    return bank


def find_bank(session: Session, caller: Caller, name_or_id: str) -> Bank:
    """A bank the caller may use, by its name or its id (as the CLI and import name it)."""
    text = name_or_id.strip()
    bank = repository.bank_by_name(session, caller, text)
    if bank is None and text.isdigit():
        bank = repository.usable_bank(session, caller, int(text))
    if bank is None:
        raise NotFound(f"no bank {text!r}", field="bank")
    return bank


def create_bank(
    session: Session, caller: Caller, name: str, kind: str, owner: str, provenance: str = "",
    tlp: str = "amber", retention_days: int | None = None, owner_organisation: str | None = None,
) -> Bank:  # fmt: skip
    """Create a bank of hashes (staff)."""
    principal = _manager(caller)
    if (problem := core.bank_problem(name, kind, owner, retention_days)) is not None:
        raise InvalidInput(problem, field="bank")
    try:
        level = parse_tlp(tlp)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="tlp") from exc
    if repository.bank_by_name(session, caller, name.strip()) is not None:
        raise Conflict(f"bank {name.strip()!r} already exists", field="name")
    owner_id = find_organisation(session, owner_organisation).id if owner_organisation else None
    bank = Bank(
        name=name.strip(), kind=kind, owner=owner.strip(), owner_organisation_id=owner_id,
        provenance=provenance.strip(), tlp=level.value, retention_days=retention_days,
        created_by=principal.actor, created_at=utc_now(),
    )  # fmt: skip
    repository.add(session, bank)
    details = {"name": bank.name, "kind": kind, "tlp": bank.tlp}
    record(session, principal.actor, "media.bank.create", "media_bank", bank.id, details)
    session.commit()
    return bank


def grant(
    session: Session, caller: Caller, bank_id: int, organisation: str | None = None,
    partner: str | None = None,
) -> BankAccess:  # fmt: skip
    """Let an organisation's or a partner agency's users and tokens match against a bank."""
    principal = _manager(caller)
    bank = _bank(session, caller, bank_id)
    if (organisation is None) == (partner is None):
        raise InvalidInput("grant one organisation or one partner agency", field="grant")
    org_id = find_organisation(session, organisation).id if organisation else None
    partner_id = find_partner(session, partner).id if partner else None
    existing = repository.grant_of(session, bank.id, org_id, partner_id)
    if existing is not None:
        return existing
    access = BankAccess(bank_id=bank.id, organisation_id=org_id, partner_id=partner_id,
                        granted_by=principal.actor, granted_at=utc_now())  # fmt: skip
    repository.add(session, access)
    details = {"organisation": organisation, "partner": partner}
    record(session, principal.actor, "media.bank.grant", "media_bank", bank.id, details)
    session.commit()
    return access


@dataclass(frozen=True, slots=True)
class Added:
    """What an addition did: the new rows' ids, and how many were in the bank already."""

    ids: list[int]
    skipped: int


def _insert(
    session: Session, bank: Bank, hashes: Sequence[HashValue], source: str,
    receipt_hash: str | None,
) -> Added:  # fmt: skip
    """Insert the hashes the bank does not hold yet (live), in one statement per signal type."""
    now, ids, skipped = utc_now(), list[int](), 0
    for signal in Signal:
        values = [h for h in hashes if h.signal is signal]
        held = repository.live_values(session, bank.id, signal.value, [h.value for h in values])
        fresh = list({h.value: h for h in values if h.value not in held}.values())
        skipped += sum(1 for h in hashes if h.signal is signal) - len(fresh)
        if not fresh:
            continue
        rows = [
            {"bank_id": bank.id, "signal": signal.value, "value": h.value, "quality": h.quality,
             "source": source[:200], "added_at": now, "receipt_hash": receipt_hash}
            for h in fresh
        ]  # fmt: skip
        statement = insert(BankHash).returning(BankHash.id, sort_by_parameter_order=True)
        ids.extend(session.scalars(statement, rows))
    return Added(ids, skipped)


def _announce_added(session: Session, bank_id: int, ids: Sequence[int]) -> None:
    """Tell the PDQ matcher of committed PDQ rows."""
    rows = [(h.id, h.value) for h in repository.hashes_by_id(session, ids) if h.signal == "pdq"]
    if rows:
        pdq_matcher().added(bank_id, rows)


def add_hashes(
    session: Session, caller: Caller, bank_id: int, hashes: Sequence[HashValue], source: str,
    audited: bool = True,
) -> Added:  # fmt: skip
    """Add hashes to a bank (staff); one already live in the bank is skipped. `audited=False`:
    the caller records the whole (an import records one entry, not one a chunk)."""
    principal = _manager(caller)
    bank = _bank(session, caller, bank_id)
    added = _insert(session, bank, hashes, source, None)
    if audited:
        details = {"added": len(added.ids), "skipped": added.skipped, "source": source[:200]}
        record(session, principal.actor, "media.hash.add", "media_bank", bank.id, details)
    session.commit()
    _announce_added(session, bank.id, added.ids)
    return added


def add_victim_hashes(session: Session, bank_id: int, hashes: Sequence[HashValue]) -> str:
    """A victim's own photo's hashes, added to an NCII bank with her consent: the receipt code
    that withdraws them (she keeps it; tipline keeps its digest only)."""
    bank = session.get(Bank, bank_id)
    if bank is None or bank.kind != BankKind.NCII.value:
        raise NotFound("no such bank")
    if not hashes or len(hashes) > 16:
        raise InvalidInput("send one photo's hashes", field="hashes")
    code = core.new_receipt_code()
    added = _insert(session, bank, hashes, "victim", core.receipt_digest(code))
    record(session, "reporter", "media.hash.victim", "media_bank", bank.id,
           {"added": len(added.ids)})  # fmt: skip
    session.commit()
    _announce_added(session, bank.id, added.ids)
    return code


def announce_removed(removed: dict[int, list[int]]) -> None:
    """Tell this process's PDQ matcher which hashes left each bank (after the commit)."""
    for bank_id, ids in removed.items():
        if ids:
            pdq_matcher().removed(bank_id, ids)


def remove_hashes(session: Session, caller: Caller, bank_id: int, hash_ids: Sequence[int]) -> int:
    """Remove hashes from a bank (staff): they never match again, and their values are erased."""
    principal = _manager(caller)
    bank = _bank(session, caller, bank_id)
    condition = (BankHash.bank_id == bank.id) & BankHash.id.in_(list(hash_ids))
    ids = repository.remove_where(session, condition, utc_now())
    record(session, principal.actor, "media.hash.remove", "media_bank", bank.id,
           {"removed": len(ids)})  # fmt: skip
    session.commit()
    announce_removed({bank.id: ids})
    return len(ids)


def withdraw(session: Session, receipt_code: str) -> int:
    """A victim withdraws her consent: every hash of her receipt is removed at once (how many;
    0 for a code that names none, which says nothing of whether it ever did)."""
    digest = core.receipt_digest(receipt_code)
    banks = repository.receipt_banks(session, digest)
    removed = {
        bank_id: repository.remove_where(
            session, (BankHash.receipt_hash == digest) & (BankHash.bank_id == bank_id), utc_now()
        )
        for bank_id in banks
    }
    count = sum(len(ids) for ids in removed.values())
    if count:
        record(session, "reporter", "media.hash.withdraw", "media_bank", ",".join(map(str, banks)),
               {"removed": count})  # fmt: skip
    session.commit()
    announce_removed(removed)
    return count


def expire_hashes(session: Session, now: datetime | None = None) -> int:
    """Remove the hashes older than their bank's retention; how many."""
    moment = now or utc_now()
    removed: dict[int, list[int]] = {}
    for bank in repository.banks_with_retention(session):
        condition = repository.expired_condition(bank, moment)
        if condition is not None:
            removed[bank.id] = repository.remove_where(session, condition, moment)
    count = sum(len(ids) for ids in removed.values())
    if count:
        record(session, "system", "media.hash.expire", "media_bank", "retention",
               {"removed": count})  # fmt: skip
    session.commit()
    announce_removed(removed)
    return count


def remove_added_before(session: Session, cutoff: datetime, now: datetime) -> dict[int, list[int]]:
    """Remove every live hash added before `cutoff`, whatever its bank (the instance's own
    retention, `tipline purge`), in the caller's transaction: their ids by bank, for
    `announce_removed` once committed."""
    condition = BankHash.added_at < cutoff
    return {
        bank_id: repository.remove_where(session, (BankHash.bank_id == bank_id) & condition, now)
        for bank_id in repository.banks_with_live_hashes(session, condition)
    }


def list_banks(session: Session, caller: Caller) -> list[BankSummary]:
    """The banks the caller may use, by name, with their live counts."""
    counts = repository.live_counts(session, caller)
    return [
        BankSummary(bank, {s: counts.get((bank.id, s), 0) for s in core.SIGNALS})
        for bank in repository.usable_banks(session, caller)
    ]


def view_bank(session: Session, caller: Caller, bank_id: int) -> BankView:
    """One bank the caller may use (staff: with who may match against it)."""
    bank = _bank(session, caller, bank_id)
    counts = repository.live_counts(session, caller)
    summary = BankSummary(bank, {s: counts.get((bank.id, s), 0) for s in core.SIGNALS})
    organisations, partners = (
        repository.access_of(session, bank.id) if core.may_manage(caller) else ([], [])
    )
    removed = repository.removed_count(session, caller, bank.id)
    return BankView(summary, removed, organisations, partners)


def bank_hashes(
    session: Session, caller: Caller, bank_id: int, after_id: int = 0, limit: int = 100
) -> list[BankHash]:
    """A page of a bank's live hashes (staff: platforms match, they never read a bank)."""
    _manager(caller)
    bank = _bank(session, caller, bank_id)
    return repository.bank_hashes(session, caller, bank.id, after_id, limit)


def match(
    session: Session, caller: Caller, hashes: Sequence[HashValue],
    max_distance: int = DEFAULT_MAX_DISTANCE,
) -> list[list[Match]]:  # fmt: skip
    """For each hash, the live hashes of the banks the caller may use that match it: MD5 and
    SHA-256 exactly, PDQ within `max_distance` bits (nearest first). One list per hash."""
    if len(hashes) > core.MAX_QUERIES:
        raise InvalidInput(f"at most {core.MAX_QUERIES} hashes a call", field="hashes")
    if not 0 <= max_distance <= core.PDQ_BITS:
        raise InvalidInput("a distance is 0 to 256 bits", field="max_distance")
    found: list[list[Match]] = [[] for _ in hashes]
    for signal in (Signal.MD5, Signal.SHA256):
        _match_exact(session, caller, hashes, signal, found)
    _match_pdq(session, caller, hashes, max_distance, found)
    return found


def _match_of(row: BankHash, bank: Bank, distance: int) -> Match:
    return Match(bank.id, bank.name, bank.kind, row.id, row.signal, row.value, distance)


def _match_exact(
    session: Session, caller: Caller, hashes: Sequence[HashValue], signal: Signal,
    found: list[list[Match]],
) -> None:  # fmt: skip
    asked = [i for i, h in enumerate(hashes) if h.signal is signal]
    if not asked:
        return
    values = list({hashes[i].value for i in asked})
    by_value: dict[str, list[Match]] = {}
    for row, bank in repository.exact_matches(session, caller, signal.value, values):
        by_value.setdefault(row.value, []).append(_match_of(row, bank, 0))
    for i in asked:
        found[i] = by_value.get(hashes[i].value, [])


def _match_pdq(
    session: Session, caller: Caller, hashes: Sequence[HashValue], max_distance: int,
    found: list[list[Match]],
) -> None:  # fmt: skip
    asked = [i for i, h in enumerate(hashes) if h.signal is Signal.PDQ]
    if not asked:
        return
    bank_ids: list[int] = list(session.scalars(usable_bank_ids(caller)))
    queries = [hashes[i].value for i in asked]
    hits = pdq_matcher().search(session, bank_ids, queries, max_distance)
    rows = repository.hashes_with_banks(session, caller, [h.hash_id for hs in hits for h in hs])
    for i, query_hits in zip(asked, hits, strict=True):
        found[i] = [
            _match_of(*rows[hit.hash_id], hit.distance) for hit in query_hits if hit.hash_id in rows
        ]
