"""Rotation: every sealed value and evidence file re-encrypted under the current data key, in
batches each committed, so that an interrupted rotation resumes where it stopped and a second
one finds nothing to do. A narrative re-encrypted gets its search terms under the same key (a
narrative sealed under the current key was indexed under it: they are written together)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from tipline.evidence.store import EvidenceStore
from tipline.keyring import KeyRing, sealed_key_id
from tipline.keys import repository
from tipline.keys.repository import SEALED, SealedColumn

BATCH = 500
PLAIN = "plain"  # a value or file stored before encryption

Advance = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class Rotated:
    values: int  # re-encrypted
    files: int


def _resealed(ring: KeyRing, sealed: SealedColumn, ident: int, value: str) -> dict[str, object]:
    plain = ring.open(value, sealed.label)
    change: dict[str, object] = {"ident": ident, "value": ring.seal(plain, sealed.label)}
    if sealed.column == "narrative":
        change["terms"] = ring.search_terms(plain)
    return change


def _rotate_column(
    factory: sessionmaker[Session], ring: KeyRing, sealed: SealedColumn, advance: Advance
) -> int:
    changed, after = 0, 0
    while True:
        with factory() as session, session.begin():
            rows = repository.stored_values(session, sealed, after, BATCH)
            stale = [(i, v) for i, v in rows if sealed_key_id(v) != ring.current.id]
            changes = [_resealed(ring, sealed, i, v) for i, v in stale]
            repository.store_values(session, sealed, changes)
        if not rows:
            return changed
        changed += len(changes)
        after = rows[-1][0]
        advance(len(rows))


def totals(factory: sessionmaker[Session]) -> tuple[int, int]:
    """How many sealed values, and how many evidence files, a rotation goes through."""
    with factory() as session:
        values = sum(repository.count(session, sealed) for sealed in SEALED)
        return values, len(repository.evidence_hashes(session))


def rotate(
    factory: sessionmaker[Session], store: EvidenceStore, ring: KeyRing, advance: Advance
) -> Rotated:
    """Re-encrypt every value and evidence file not under `ring`'s current key."""
    values = sum(_rotate_column(factory, ring, sealed, advance) for sealed in SEALED)
    with factory() as session:
        hashes = repository.evidence_hashes(session)
    files = 0
    for sha256 in hashes:
        if store.path_for(sha256).exists() and store.reseal(sha256):
            files += 1
        advance(1)
    return Rotated(values, files)


def key_usage(session: Session, store: EvidenceStore) -> Counter[str]:
    """How many values and files each key id (or PLAIN) holds."""
    used: Counter[str] = Counter()
    for sealed in SEALED:
        after = 0
        while rows := repository.stored_values(session, sealed, after, 5000):
            used.update(sealed_key_id(value) or PLAIN for _, value in rows)
            after = rows[-1][0]
    for sha256 in repository.evidence_hashes(session):
        try:
            used[store.key_of(sha256) or PLAIN] += 1
        except FileNotFoundError:
            continue  # `tipline evidence verify` reports it
    return used
