"""The PDQ index: every hash within the distance (as a brute force finds), additions and
removals at once, a rebuild swapped in under queries, saved and loaded, a damaged file refused."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from tipline.media import index_files, mih
from tipline.media.index import PROBE_COST, SMALL, PdqIndex, Rows, Segment

Codes = npt.NDArray[np.uint8]


def random_codes(rows: int, seed: int) -> Codes:
    return np.random.default_rng(seed).integers(0, 256, (rows, 32), dtype=np.uint8)


def near_copies(codes: Codes, flips: list[int], seed: int) -> Codes:
    """A copy of one random row for each count of flipped bits (0 to 40 bits away)."""
    rng = np.random.default_rng(seed)
    picked = codes[rng.integers(0, codes.shape[0], len(flips))]
    bits = np.unpackbits(picked, axis=1)
    for row, count in enumerate(flips):
        bits[row, rng.choice(256, count, replace=False)] ^= 1
    return np.packbits(bits, axis=1)


def brute_force(codes: Codes, queries: Codes, radius: int) -> list[set[tuple[int, int]]]:
    """(row, distance) of every row within the radius of each query, by numpy."""
    found = []
    for query in queries:
        distance = np.bitwise_count(codes ^ query).sum(axis=1, dtype=np.int64)
        rows = np.flatnonzero(distance <= radius)
        found.append({(int(r), int(distance[r])) for r in rows})
    return found


def planted_queries(codes: Codes, seed: int) -> Codes:
    """Near copies at every distance from 0 to 40 (31 and 32 twice), and unrelated hashes."""
    flips = [*range(41), 31, 32, 31, 32]
    return np.concatenate([near_copies(codes, flips, seed), random_codes(20, seed + 1)])


@pytest.mark.parametrize("layout", [mih.Layout(16, 16), mih.Layout(11, 23)])
def test_multi_index_hashing_finds_what_the_brute_force_finds(layout: mih.Layout) -> None:
    codes = random_codes(3000, seed=7)
    queries = planted_queries(codes, seed=8)
    columns = mih.as_columns(codes)
    query, position, distance = mih.within(
        mih.build_tables(columns, layout), columns, mih.as_columns(queries), 31
    )
    found: list[set[tuple[int, int]]] = [set() for _ in queries]
    for q, p, d in zip(query.tolist(), position.tolist(), distance.tolist(), strict=True):
        found[q].add((p, d))
    expected = brute_force(codes, queries, 31)
    assert found == expected
    assert sum(len(f) for f in expected) >= 34  # the near copies within 31 bits


def test_pieces_cover_the_bits_most_significant_first() -> None:
    codes = np.zeros((1, 32), dtype=np.uint8)
    codes[0, 0] = 0b1000_0000  # the first bit of the hash
    codes[0, 2] = 0b0000_0010  # bit 22: the last of the first piece of 23
    keys = mih.chunk_keys(mih.as_columns(codes), mih.Layout(11, 23))
    assert keys[0, 0] == (1 << 22) | 1
    assert keys[0, 1:].tolist() == [0] * 10
    assert mih.Layout(11, 23).flips(31) == 2
    assert mih.Layout(16, 16).flips(31) == 1


def big_index(seed: int = 3) -> tuple[PdqIndex, Codes]:
    """An index whose main segment is searched by multi-index hashing (not exhaustively)."""
    codes = random_codes(60_000, seed)
    rows = Rows.of(np.arange(1000, 61_000), np.arange(60_000) % 3, codes)
    index = PdqIndex(Segment(rows))
    assert index.main.tables is not None
    return index, codes


def as_ids(answers: list[list[tuple[int, int]]]) -> list[set[tuple[int, int]]]:
    return [{(ident - 1000, dist) for ident, dist in answer} for answer in answers]


def test_the_index_answers_what_the_brute_force_finds_nearest_first() -> None:
    index, codes = big_index()
    queries = planted_queries(codes, seed=4)
    answers = index.search(queries, 31)
    assert as_ids(answers) == brute_force(codes, queries, 31)
    assert all([d for _, d in a] == sorted(d for _, d in a) for a in answers)
    assert as_ids(index.search(queries, 10)) == brute_force(codes, queries, 10)
    assert as_ids(index.search(queries, 40)) == brute_force(codes, queries, 40)  # 2 flips
    # so wide that the tables would cost more than reading every row: every row read
    assert index.main.tables is not None
    assert index.main.tables.layout.probes(48) * PROBE_COST > 60_000
    assert as_ids(index.search(queries[:3], 48)) == brute_force(codes, queries[:3], 48)


def test_a_query_names_its_banks() -> None:
    index, codes = big_index()
    answers = index.search(codes[:6], 0, banks=[1])
    assert answers == [[], [(1001, 0)], [], [], [(1004, 0)], []]


def test_additions_and_removals_count_at_once() -> None:
    index, codes = big_index()
    new = random_codes(2, seed=99)
    index.add(Rows.of([5, 6], [0, 0], new))
    assert index.search(new, 31) == [[(5, 0)], [(6, 0)]]
    index.remove([5, 1000])
    assert index.search(np.concatenate([new, codes[:1]]), 31) == [[], [(6, 0)], []]
    assert len(index) == 60_000 + 2 - 2
    assert index.pending() == 4


def test_a_rebuild_folds_in_what_changed_and_keeps_what_came_during_it() -> None:
    index, codes = big_index()
    early, late = random_codes(1, seed=11), random_codes(1, seed=12)
    index.add(Rows.of([7], [0], early))
    index.remove([1000])
    started, go_on = threading.Event(), threading.Event()

    def source() -> Rows:
        started.set()
        go_on.wait(10)
        return index.live_rows()

    worker = index.rebuild_in_background(source)
    assert started.wait(10)
    index.add(Rows.of([8], [0], late))  # while the rebuild runs
    index.remove([1001])
    go_on.set()
    worker.join(30)
    queries = np.concatenate([early, late, codes[:3]])
    assert index.search(queries, 0) == [[(7, 0)], [(8, 0)], [], [], [(1002, 0)]]
    assert len(index.main.rows) == 60_000  # 60,000 - 1000 + 7 (1001 went after it read)
    assert index.pending() == 2  # 8 added and 1001 removed since


def test_queries_during_a_background_rebuild_all_get_the_same_answer() -> None:
    index, codes = big_index()
    queries = planted_queries(codes, seed=5)
    expected = index.search(queries, 31)
    answers: list[list[list[tuple[int, int]]]] = []
    swapped = threading.Event()

    def ask() -> None:
        while not swapped.is_set():
            answers.append(index.search(queries, 31))
        answers.append(index.search(queries, 31))

    readers = [threading.Thread(target=ask) for _ in range(2)]
    for reader in readers:
        reader.start()
    before = index.main
    index.rebuild_in_background().join(60)
    swapped.set()
    for reader in readers:
        reader.join(60)
    assert index.main is not before
    assert len(answers) >= 2
    assert all(answer == expected for answer in answers)


def test_the_main_segment_is_saved_and_loaded(tmp_path: Path) -> None:
    index, codes = big_index()
    index_files.save(index.main, tmp_path)
    loaded = index_files.load(tmp_path)
    assert loaded is not None
    assert loaded.tables is not None
    assert index.main.tables is not None
    assert loaded.rows.ids.tolist() == index.main.rows.ids.tolist()
    assert np.array_equal(loaded.tables.orders, index.main.tables.orders)
    queries = planted_queries(codes, seed=6)
    assert PdqIndex(loaded).search(queries, 31) == index.search(queries, 31)


def test_a_small_segment_is_saved_without_tables(tmp_path: Path) -> None:
    codes = random_codes(10, seed=1)
    index_files.save(Segment(Rows.of(range(10), [0] * 10, codes)), tmp_path)
    index_files.save(Segment(Rows.of(range(3), [0] * 3, codes[:3])), tmp_path)  # a new one
    loaded = index_files.load(tmp_path)
    assert loaded is not None
    assert loaded.tables is None
    assert PdqIndex(loaded).search(codes[2:4], 0) == [[(2, 0)], []]
    kept = sorted(p.name.split("-")[-1] for p in tmp_path.iterdir())
    assert kept == [".lock", "banks.npy", "codes.npy", "ids.npy", "manifest.json"]  # old gone


def test_a_damaged_or_foreign_file_is_not_loaded(tmp_path: Path) -> None:
    codes = random_codes(10, seed=2)
    assert index_files.load(tmp_path) is None  # nothing saved yet
    manifest = index_files.save(Segment(Rows.of(range(10), [0] * 10, codes)), tmp_path)
    codes_file = next(tmp_path.glob("*-codes.npy"))
    data = bytearray(codes_file.read_bytes())
    data[-1] ^= 1
    codes_file.write_bytes(bytes(data))
    assert index_files.load(tmp_path) is None
    index_files.save(Segment(Rows.of(range(10), [0] * 10, codes)), tmp_path)
    manifest.write_text(manifest.read_text().replace('"format": 1', '"format": 0'))
    assert index_files.load(tmp_path) is None
    manifest.write_text("{not json")
    assert index_files.load(tmp_path) is None


def test_the_delta_stays_exhaustive_however_large_until_a_rebuild() -> None:
    index = PdqIndex()
    codes = random_codes(SMALL + 10, seed=21)
    index.add(Rows.of(range(SMALL + 10), [0] * (SMALL + 10), codes))
    assert index.pending() == SMALL + 10
    assert index.search(codes[-2:], 0) == [[(SMALL + 8, 0)], [(SMALL + 9, 0)]]
    assert index.delta.tables is None
    index.rebuild()
    assert index.main.tables is not None  # folded into a main segment with tables
    assert index.pending() == 0
    assert index.search(codes[-2:], 0) == [[(SMALL + 8, 0)], [(SMALL + 9, 0)]]
