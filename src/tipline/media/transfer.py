"""Import a bank's hashes from HMA's and ThreatExchange's files, and export them to those
formats and to STIX 2.1 where the bank's TLP and kind allow (`core.export_problem`).

Imports go in chunks (each committed, so a file of millions holds one chunk in memory and an
interrupted import keeps what it added); a line that is not a hash is reported by number and
skipped. Exports stream the bank's live hashes a page at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from tipline.audit.service import record
from tipline.errors import InvalidInput, NotPermitted
from tipline.media import core, formats, repository, service
from tipline.media.core import HashValue, Recipient
from tipline.media.formats import Exported, LineProblem
from tipline.media.models import Bank
from tipline.partners.service import find_organisation, find_partner
from tipline.principals import Caller, Principal
from tipline.sharing.tlp import Tlp, parse_tlp

CHUNK = 5000
MAX_PROBLEMS = 100  # kept to show; the rest are only counted


@dataclass(slots=True)
class Imported:
    """What an import did: hashes added, skipped (already in the bank), lines refused."""

    added: int = 0
    skipped: int = 0
    refused: int = 0
    problems: list[LineProblem] = field(default_factory=list)


def import_hashes(
    session: Session, caller: Caller, bank_id: int, fmt: str, lines: Iterable[str], source: str,
    progress: Callable[[int], None] | None = None,
) -> Imported:  # fmt: skip
    """Add every hash of an import file to a bank (staff); `progress` is told how many hashes
    each committed chunk held."""
    if fmt not in formats.IMPORT_FORMATS:
        raise InvalidInput(f"an import format is one of {', '.join(formats.IMPORT_FORMATS)}",
                           field="format")  # fmt: skip
    service.find_bank(session, caller, str(bank_id))
    done = Imported()
    try:
        _import_lines(session, caller, bank_id, formats.read_lines(fmt, lines), source, done,
                      progress)  # fmt: skip
    finally:  # what was committed is in the audit log, even if the import stopped half-way
        if done.added or done.skipped:
            session.rollback()
            details = {"format": fmt, "added": done.added, "skipped": done.skipped,
                       "refused": done.refused, "source": source[:200]}  # fmt: skip
            record(session, _actor(caller), "media.hash.import", "media_bank", bank_id, details)
            session.commit()
    return done


def _import_lines(
    session: Session, caller: Caller, bank_id: int, reads: Iterable[formats.Read], source: str,
    done: Imported, progress: Callable[[int], None] | None,
) -> None:  # fmt: skip
    chunk: list[HashValue] = []
    for read in reads:
        if isinstance(read, LineProblem):
            done.refused += 1
            if len(done.problems) < MAX_PROBLEMS:
                done.problems.append(read)
        elif read is not None:
            chunk.append(read)
        if len(chunk) >= CHUNK:
            _add_chunk(session, caller, bank_id, chunk, source, done, progress)
            chunk = []
    if chunk:
        _add_chunk(session, caller, bank_id, chunk, source, done, progress)


def _actor(caller: Caller) -> str:
    return caller.actor if isinstance(caller, Principal) else "anonymous"


def _add_chunk(
    session: Session, caller: Caller, bank_id: int, chunk: list[HashValue], source: str,
    done: Imported, progress: Callable[[int], None] | None,
) -> None:  # fmt: skip
    added = service.add_hashes(session, caller, bank_id, chunk, source, audited=False)
    done.added += len(added.ids)
    done.skipped += added.skipped
    if progress is not None:
        progress(len(chunk))


def recipient_of(
    session: Session, bank: Bank, organisation: str | None, partner: str | None
) -> Recipient | None:
    """The recipient an export is for, with whether the bank was granted to it."""
    if organisation:
        found = find_organisation(session, organisation)
        granted = found.id == bank.owner_organisation_id or (
            repository.grant_of(session, bank.id, found.id, None) is not None
        )
        return Recipient(found.name, granted, None)
    if partner:
        agency = find_partner(session, partner)
        granted = repository.grant_of(session, bank.id, None, agency.id) is not None
        return Recipient(agency.name, granted, parse_tlp(agency.max_tlp))
    return None


def export_bank(
    session: Session, caller: Caller, bank_id: int, fmt: str, identity_name: str,
    organisation: str | None = None, partner: str | None = None,
) -> Iterator[str]:  # fmt: skip
    """The bank's live hashes in `fmt` (`hma`, `threatexchange`, `stix`), as pieces of text;
    refused (before anything is written) where the bank's TLP and kind do not allow it."""
    if not core.may_manage(caller) or not isinstance(caller, Principal):
        raise NotPermitted("Only staff export hash banks.")
    if fmt not in formats.FORMATS:
        raise InvalidInput(f"a format is one of {', '.join(formats.FORMATS)}", field="format")
    bank = service.find_bank(session, caller, str(bank_id))
    tlp = parse_tlp(bank.tlp)
    recipient = recipient_of(session, bank, organisation, partner)
    if (problem := core.export_problem(bank.kind, tlp, recipient)) is not None:
        raise NotPermitted(problem)
    details = {"format": fmt, "for": recipient.name if recipient else None}
    record(session, caller.actor, "media.bank.export", "media_bank", bank.id, details)
    session.commit()
    return _pieces(session, caller, bank, fmt, tlp, identity_name)


def _pieces(
    session: Session, caller: Caller, bank: Bank, fmt: str, tlp: Tlp, identity_name: str
) -> Iterator[str]:
    rows = (
        Exported(h.signal, h.value, h.quality, h.added_at)
        for h in repository.every_live_hash(session, caller, bank.id)
    )
    if fmt == "stix":
        yield from formats.stix_bundle(rows, tlp, identity_name)
    elif fmt == "threatexchange":
        yield from (formats.descriptor(row, bank.name, bank.kind, tlp) for row in rows)
    else:  # no header or comment: python-threatexchange reads every line as a signal
        yield from (formats.signal_line(row) for row in rows)
