"""The purge: each data class past its retention removed in one transaction, audited, then
the evidence files deleted and the database's files cleaned of what went.

`purge_due(factory, settings)` is what a periodic job calls (daily is plenty).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from tipline.audit.service import record
from tipline.db_types import utc_now
from tipline.evidence.store import EvidenceStore
from tipline.media.service import announce_removed, remove_added_before
from tipline.retention import repository
from tipline.retention.core import DataClass, Policy, PurgeOutcome
from tipline.settings import Settings

SYSTEM_ACTOR = "system:retention"


def policy_of(settings: Settings) -> Policy:
    """The retention the settings give (TIPLINE_RETENTION_<CLASS>_DAYS)."""
    return Policy({
        DataClass.NARRATIVES: settings.retention_narratives_days,
        DataClass.CONTACTS: settings.retention_contacts_days,
        DataClass.EVIDENCE: settings.retention_evidence_days,
        DataClass.HASHES: settings.retention_hashes_days,
        DataClass.REQUESTS: settings.retention_requests_days,
    })  # fmt: skip


def count_due(session: Session, cutoffs: dict[DataClass, datetime]) -> dict[DataClass, int]:
    """How many of each class are past their cutoff (what a dry run shows)."""
    counters = {
        DataClass.NARRATIVES: repository.count_narratives,
        DataClass.CONTACTS: repository.count_contacts,
        DataClass.EVIDENCE: lambda s, c: len(repository.expired_evidence(s, c)),
        DataClass.HASHES: repository.count_hashes,
        DataClass.REQUESTS: repository.count_requests,
    }
    return {kind: counters[kind](session, cutoff) for kind, cutoff in cutoffs.items()}


def _remove(
    session: Session, cutoffs: dict[DataClass, datetime], now: datetime
) -> tuple[dict[DataClass, int], list[str], dict[int, list[int]]]:
    """Remove every class past its cutoff: counts, evidence files to delete, hashes removed."""
    counts: dict[DataClass, int] = {}
    files: list[str] = []
    hashes: dict[int, list[int]] = {}
    if cutoff := cutoffs.get(DataClass.NARRATIVES):
        counts[DataClass.NARRATIVES] = repository.clear_narratives(session, cutoff)
    if cutoff := cutoffs.get(DataClass.CONTACTS):
        counts[DataClass.CONTACTS] = repository.clear_contacts(session, cutoff)
    if cutoff := cutoffs.get(DataClass.EVIDENCE):
        expired = repository.expired_evidence(session, cutoff)
        repository.delete_evidence(session, [evidence_id for evidence_id, _ in expired])
        files = [sha256 for _, sha256 in expired]
        counts[DataClass.EVIDENCE] = len(expired)
    if cutoff := cutoffs.get(DataClass.HASHES):
        hashes = remove_added_before(session, cutoff, now)
        counts[DataClass.HASHES] = sum(len(ids) for ids in hashes.values())
    if cutoff := cutoffs.get(DataClass.REQUESTS):
        counts[DataClass.REQUESTS] = repository.delete_requests(session, cutoff)
    return counts, files, hashes


def purge(
    session: Session, policy: Policy, store: EvidenceStore, *, dry_run: bool = False,
    actor: str = SYSTEM_ACTOR, now: datetime | None = None,
) -> PurgeOutcome:  # fmt: skip
    """Enforce `policy`: remove what is past it, in one transaction with one audit entry
    (counts, classes, cutoffs); then delete the evidence files and clean the database's files.
    A dry run counts and changes nothing."""
    moment = now or utc_now()
    cutoffs = policy.cutoffs(moment)
    if dry_run:
        return PurgeOutcome(count_due(session, cutoffs), cutoffs, dry_run=True)
    repository.secure_delete(session)
    try:
        counts, files, hashes = _remove(session, cutoffs, moment)
        outcome = PurgeOutcome(counts, cutoffs, dry_run=False)
        record(session, actor, "retention.purge", "retention", "purge", outcome.audit_details())
        session.commit()
    except BaseException:
        session.rollback()
        raise
    announce_removed(hashes)
    for sha256 in files:  # a crash before this leaves files `tipline evidence sweep` removes
        store.path_for(sha256).unlink(missing_ok=True)
    if outcome.total:
        repository.compact(session, bool(counts.get(DataClass.NARRATIVES)))
    return outcome


def purge_due(factory: sessionmaker[Session], settings: Settings) -> PurgeOutcome:
    """The periodic job: enforce the configured retention now."""
    with factory() as session:
        return purge(session, policy_of(settings), EvidenceStore(settings.data_dir))
