"""The PDQ index as the service's matcher: in step with the database (additions and removals
at once, rows another process added, a restart that loads and reconciles, a damaged file
rebuilt)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from tests.media.banks import LEAD, bank_with, flipped, pdq, pdq_value

from tipline.media import index_files, matching, service
from tipline.media.index import PdqIndex
from tipline.media.indexing import IndexedPdq, open_pdq_index
from tipline.media.matching import BruteForcePdq


@pytest.fixture
def indexed(session_factory: sessionmaker[Session], tmp_path: Path) -> Iterator[IndexedPdq]:
    matcher = IndexedPdq(PdqIndex(), session_factory, tmp_path / "pdq-index")
    previous = matching.use_pdq_matcher(matcher)
    yield matcher
    matching.use_pdq_matcher(previous)


def matched(session: Session, value: str, max_distance: int = 31) -> list[tuple[str, int]]:
    [hits] = service.match(session, LEAD, [pdq_value(value)], max_distance=max_distance)
    return [(m.value, m.distance) for m in hits]


def test_additions_and_removals_through_the_service_count_at_once(
    db_session: Session, indexed: IndexedPdq
) -> None:
    child = bank_with(db_session, "CSAM known", "child", [pdq_value(pdq(1))])
    ncii = bank_with(db_session, "NCII", "ncii")
    base = pdq(2)
    added = service.add_hashes(db_session, LEAD, ncii.id, [pdq_value(flipped(base, 9))], "t")
    assert len(indexed.index) == 2
    assert matched(db_session, base) == [(flipped(base, 9), 9)]
    assert matched(db_session, flipped(pdq(1), 31)) == [(pdq(1), 31)]
    assert matched(db_session, flipped(pdq(1), 32)) == []
    service.remove_hashes(db_session, LEAD, ncii.id, added.ids)
    assert indexed.index.search(matching.pdq_array([flipped(base, 9)]), 0) == [[]]
    assert matched(db_session, base) == []
    assert child.id != ncii.id


def test_the_index_answers_as_the_brute_force(db_session: Session, indexed: IndexedPdq) -> None:
    values = [pdq(k) for k in range(30)] + [flipped(pdq(3), k, start=k) for k in (5, 20, 30)]
    bank_with(db_session, "CSAM known", "child", [pdq_value(v) for v in values])
    queries = [pdq_value(flipped(pdq(k), 25, start=k)) for k in range(6)] + [pdq_value(pdq(99))]
    by_index = service.match(db_session, LEAD, queries)
    matching.use_pdq_matcher(BruteForcePdq())
    assert service.match(db_session, LEAD, queries) == by_index
    assert [len(hits) for hits in by_index] == [1, 1, 1, 2, 1, 1, 0]  # pdq(3) and one near copy


def test_rows_another_process_added_are_found_before_a_search(
    db_session: Session, session_factory: sessionmaker[Session]
) -> None:
    elsewhere = IndexedPdq(PdqIndex(), session_factory)
    bank = bank_with(db_session, "CSAM known", "child", [pdq_value(pdq(5))])  # brute force's
    previous = matching.use_pdq_matcher(elsewhere)
    try:
        assert len(elsewhere.index) == 0
        assert matched(db_session, pdq(5)) == [(pdq(5), 0)]
        assert len(elsewhere.index) == 1
        assert elsewhere.catch_up(db_session) == 0
    finally:
        matching.use_pdq_matcher(previous)
    assert bank.name == "CSAM known"


def test_a_restart_loads_the_saved_index_and_reconciles_it(
    db_session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    folder = tmp_path / "pdq-index"
    bank = bank_with(db_session, "CSAM known", "child", [pdq_value(pdq(k)) for k in range(5)])
    first = open_pdq_index(session_factory, folder)  # no file: built from the database, saved
    assert len(first.index.main.rows) == 5
    assert (folder / index_files.MANIFEST).exists()
    # while it was down: one row removed, two added
    ids = sorted(int(i) for i in first.index.main.rows.ids)
    previous = matching.use_pdq_matcher(BruteForcePdq())
    try:
        service.remove_hashes(db_session, LEAD, bank.id, ids[:1])
        service.add_hashes(db_session, LEAD, bank.id, [pdq_value(pdq(7)), pdq_value(pdq(8))], "t")
    finally:
        matching.use_pdq_matcher(previous)
    again = open_pdq_index(session_factory, folder)
    assert sorted(again.index.main.rows.ids.tolist()) == ids  # loaded, not rebuilt
    assert len(again.index) == 6
    codes = matching.pdq_array([pdq(0), pdq(1), pdq(7), pdq(8)])
    assert [len(hits) for hits in again.index.search(codes, 0)] == [0, 1, 1, 1]


def test_a_damaged_index_file_is_rebuilt_from_the_database(
    db_session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    folder = tmp_path / "pdq-index"
    bank_with(db_session, "CSAM known", "child", [pdq_value(pdq(k)) for k in range(3)])
    open_pdq_index(session_factory, folder)
    ids_file = next(folder.glob("*-ids.npy"))
    ids_file.write_bytes(ids_file.read_bytes()[:-8])
    assert index_files.load(folder) is None
    rebuilt = open_pdq_index(session_factory, folder)
    assert len(rebuilt.index.main.rows) == 3
    assert index_files.load(folder) is not None  # saved whole again
