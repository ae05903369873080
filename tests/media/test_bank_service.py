"""Hash banks' use cases: create, add, remove, a victim's withdrawal, retention, and matching
(MD5 and SHA-256 exactly, PDQ within 31 bits)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.media.banks import LEAD, bank_with, flipped, md5, pdq, pdq_value, sha256

from tipline.audit.models import AuditEntry
from tipline.db_types import utc_now
from tipline.errors import Conflict, InvalidInput, NotFound, NotPermitted
from tipline.media import matching, service
from tipline.media.core import HashValue, Signal
from tipline.media.matching import BruteForcePdq, PdqHit
from tipline.media.models import BankHash
from tipline.principals import Principal, Role


def test_a_bank_is_created_by_staff_once(db_session: Session) -> None:
    bank = service.create_bank(db_session, LEAD, " CSAM known ", "child", "C50",
                               provenance="NCMEC list 2026-11", tlp="TLP:RED")  # fmt: skip
    assert (bank.name, bank.kind, bank.tlp, bank.created_by) == (
        "CSAM known",
        "child",
        "red",
        "supervisor:mai",
    )
    with pytest.raises(Conflict):
        service.create_bank(db_session, LEAD, "CSAM known", "child", "C50")
    with pytest.raises(InvalidInput, match="TLP"):
        service.create_bank(db_session, LEAD, "Other", "other", "C50", tlp="blue")
    platform = Principal(7, "meta", Role.PLATFORM, "token", organisation_id=1)
    with pytest.raises(NotPermitted):
        service.create_bank(db_session, platform, "Mine", "other", "Meta")


def test_hashes_are_added_once_and_counted(db_session: Session) -> None:
    bank = bank_with(db_session, "NCII")
    values = [pdq_value(pdq(1), 90), pdq_value(pdq(2)), HashValue(Signal.MD5, md5("a")),
              HashValue(Signal.SHA256, sha256("a"))]  # fmt: skip
    first = service.add_hashes(db_session, LEAD, bank.id, values, "analyst upload")
    again = service.add_hashes(db_session, LEAD, bank.id, [*values[:2], pdq_value(pdq(3))], "x")
    assert (len(first.ids), first.skipped) == (4, 0)
    assert (len(again.ids), again.skipped) == (1, 2)
    [summary] = service.list_banks(db_session, LEAD)
    assert summary.counts == {"pdq": 3, "md5": 1, "sha256": 1}
    stored = db_session.get(BankHash, first.ids[0])
    assert stored is not None
    assert (stored.quality, stored.source, stored.removed_at) == (90, "analyst upload", None)


def test_exact_hashes_match_exactly(db_session: Session) -> None:
    bank = bank_with(
        db_session,
        "CSAM known",
        values=[HashValue(Signal.MD5, md5("x")), HashValue(Signal.SHA256, sha256("x"))],
    )
    found = service.match(db_session, LEAD, [
        HashValue(Signal.MD5, md5("x")), HashValue(Signal.SHA256, sha256("x")),
        HashValue(Signal.MD5, md5("y")),
    ])  # fmt: skip
    assert [[(m.bank_name, m.signal, m.value, m.distance) for m in ms] for ms in found] == [
        [("CSAM known", "md5", md5("x"), 0)],
        [("CSAM known", "sha256", sha256("x"), 0)],
        [],
    ]
    assert found[0][0].bank_id == bank.id


def test_pdq_matches_within_31_bits_nearest_first(db_session: Session) -> None:
    base = pdq(10)
    near, edge, beyond = flipped(base, 4), flipped(base, 31, start=3), flipped(base, 32)
    bank_with(db_session, "CSAM known", values=[pdq_value(v) for v in (edge, beyond, near)])
    [hits] = service.match(db_session, LEAD, [pdq_value(base)])
    assert [(m.value, m.distance) for m in hits] == [(near, 4), (edge, 31)]
    [strict] = service.match(db_session, LEAD, [pdq_value(base)], max_distance=10)
    assert [m.value for m in strict] == [near]
    [far] = service.match(db_session, LEAD, [pdq_value(pdq(11))])
    assert far == []


def test_one_call_matches_many_across_banks(db_session: Session) -> None:
    child = bank_with(db_session, "CSAM known", values=[pdq_value(pdq(1))])
    ncii = bank_with(db_session, "NCII", "ncii", values=[pdq_value(flipped(pdq(1), 2))])
    queries = [pdq_value(pdq(n)) for n in range(1, 1001)]
    found = service.match(db_session, LEAD, queries)
    assert len(found) == 1000
    assert [(m.bank_id, m.distance) for m in found[0]] == [(child.id, 0), (ncii.id, 2)]
    assert all(hits == [] for hits in found[1:])
    with pytest.raises(InvalidInput, match="at most 1000"):
        service.match(db_session, LEAD, [*queries, pdq_value(pdq(0))])


def test_a_removed_hash_never_matches_and_its_value_is_erased(db_session: Session) -> None:
    bank = bank_with(db_session, "CSAM known")
    added = service.add_hashes(
        db_session, LEAD, bank.id, [pdq_value(pdq(5)), HashValue(Signal.MD5, md5("z"))], "t"
    )
    assert service.remove_hashes(db_session, LEAD, bank.id, added.ids) == 2
    assert service.match(
        db_session, LEAD, [pdq_value(pdq(5)), HashValue(Signal.MD5, md5("z"))]
    ) == [[], []]
    stored = db_session.scalars(select(BankHash).order_by(BankHash.id)).all()
    assert [(h.value, h.removed_at is not None) for h in stored] == [("", True), ("", True)]
    assert service.view_bank(db_session, LEAD, bank.id).removed == 2
    # Added again later: a new row, live.
    assert len(service.add_hashes(db_session, LEAD, bank.id, [pdq_value(pdq(5))], "t").ids) == 1


def test_a_victim_withdraws_her_hashes_with_her_receipt(db_session: Session) -> None:
    bank = bank_with(db_session, "NCII reported by victims", "ncii")
    hers = [pdq_value(pdq(20), 95), HashValue(Signal.MD5, md5("photo"))]
    receipt = service.add_victim_hashes(db_session, bank.id, hers)
    other = service.add_victim_hashes(db_session, bank.id, [pdq_value(pdq(21))])
    assert [len(hs) for hs in service.match(db_session, LEAD, hers)] == [1, 1]
    assert service.withdraw(db_session, receipt.lower().replace("-", " ")) == 2
    assert service.withdraw(db_session, receipt) == 0
    assert service.match(db_session, LEAD, hers) == [[], []]
    assert len(service.match(db_session, LEAD, [pdq_value(pdq(21))])[0]) == 1  # not hers: kept
    assert other != receipt
    receipts = db_session.scalars(select(BankHash.receipt_hash)).all()
    assert receipt not in receipts  # only its digest is kept
    details = db_session.scalars(select(AuditEntry.details_json)).all()
    assert details
    assert all(receipt not in d and pdq(20) not in d for d in details)


def test_a_victim_adds_only_to_an_ncii_bank(db_session: Session) -> None:
    child = bank_with(db_session, "CSAM known")
    with pytest.raises(NotFound):
        service.add_victim_hashes(db_session, child.id, [pdq_value(pdq(1))])


def test_hashes_past_the_banks_retention_are_removed(db_session: Session) -> None:
    kept = bank_with(db_session, "Forever", values=[pdq_value(pdq(1))])
    short = service.create_bank(db_session, LEAD, "Year", "other", "C50", retention_days=365)
    service.add_hashes(db_session, LEAD, short.id, [pdq_value(pdq(2))], "t")
    assert service.expire_hashes(db_session, utc_now() + timedelta(days=364)) == 0
    assert service.expire_hashes(db_session, utc_now() + timedelta(days=366)) == 1
    counts = {s.bank.name: s.total for s in service.list_banks(db_session, LEAD)}
    assert counts == {"Forever": 1, "Year": 0}
    assert kept.id != short.id


class Recording(BruteForcePdq):
    """The brute force, recording what the service told it (as an index would learn it)."""

    def __init__(self) -> None:
        self.told: list[tuple[str, int, list[int]]] = []

    def added(self, bank_id: int, rows: Sequence[tuple[int, str]]) -> None:
        self.told.append(("added", bank_id, [ident for ident, _ in rows]))

    def removed(self, bank_id: int, hash_ids: Sequence[int]) -> None:
        self.told.append(("removed", bank_id, list(hash_ids)))


@pytest.fixture
def recording() -> Iterator[Recording]:
    matcher = Recording()
    previous = matching.use_pdq_matcher(matcher)
    yield matcher
    matching.use_pdq_matcher(previous)


def test_the_matcher_is_told_of_each_pdq_addition_and_removal(
    db_session: Session, recording: Recording
) -> None:
    bank = bank_with(db_session, "NCII", "ncii")
    added = service.add_hashes(
        db_session, LEAD, bank.id, [pdq_value(pdq(1)), HashValue(Signal.MD5, md5("q"))], "t"
    )
    pdq_id = db_session.scalar(select(func.min(BankHash.id)).where(BankHash.signal == "pdq"))
    receipt = service.add_victim_hashes(db_session, bank.id, [pdq_value(pdq(2))])
    service.remove_hashes(db_session, LEAD, bank.id, added.ids)
    service.withdraw(db_session, receipt)
    victims = db_session.scalar(select(func.max(BankHash.id)))
    assert recording.told == [
        ("added", bank.id, [pdq_id]),
        ("added", bank.id, [victims]),
        ("removed", bank.id, sorted(added.ids)),
        ("removed", bank.id, [victims]),
    ]


def test_a_matcher_that_answers_a_removed_or_foreign_id_yields_nothing(
    db_session: Session,
) -> None:
    class Stale(BruteForcePdq):
        def search(self, session: Session, bank_ids: Sequence[int], queries: Sequence[str],
                   max_distance: int) -> list[list[PdqHit]]:  # fmt: skip
            return [[PdqHit(ident, 0) for ident in self.ids] for _ in queries]

    bank = bank_with(db_session, "CSAM known")
    added = service.add_hashes(
        db_session, LEAD, bank.id, [pdq_value(pdq(1)), pdq_value(pdq(2))], "t"
    )
    service.remove_hashes(db_session, LEAD, bank.id, added.ids[:1])
    stale = Stale()
    stale.ids = [*added.ids, 9_999]  # type: ignore[attr-defined]
    previous = matching.use_pdq_matcher(stale)
    try:
        [hits] = service.match(db_session, LEAD, [pdq_value(pdq(3))])
    finally:
        matching.use_pdq_matcher(previous)
    assert [m.hash_id for m in hits] == added.ids[1:]
