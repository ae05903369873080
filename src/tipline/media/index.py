"""The PDQ index: every live PDQ hash of every bank, found within a Hamming distance at once.

An index is a `main` segment, built once, plus a small `delta` segment of the hashes added since
and a sorted array of the ids removed since (tombstones, dropped from every answer). An addition
or a removal makes a new state under a lock, so it counts from the next query on; a query reads
one state and never waits for a rebuild. A rebuild (in a thread) folds the delta and the
tombstones into a new main segment and swaps it in, keeping what was added or removed while it
ran. A segment of a few hashes is searched exhaustively with faiss's IndexBinaryFlat; a large one
by multi-index hashing (tipline.media.mih), which never misses a hash within the distance
(docs/media.md says why this and not faiss's IndexBinaryMultiHash, HNSW or IVF).

Rows carry the hash's id (media_hash.id) and its bank's id, so that one index serves every bank
and a query names the banks it may match.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import faiss
import numpy as np
import numpy.typing as npt

from tipline.media import mih

Int64s = npt.NDArray[np.int64]
Codes = npt.NDArray[np.uint8]
SMALL = 50_000  # a segment below this many rows is searched exhaustively
# a key looked up (and its rows checked) costs about this many rows compared in a row: above
# that, a wide radius reads every row instead
PROBE_COST = 16
REBUILD_AFTER = 65_536  # additions or removals since the last build that call for a rebuild


@dataclass(frozen=True, slots=True)
class Rows:
    """PDQ hashes with their ids and banks: `codes` (n, 32) bytes, most-significant first."""

    ids: Int64s
    banks: Int64s
    codes: Codes

    @classmethod
    def empty(cls) -> Rows:
        none = np.zeros(0, dtype=np.int64)
        return cls(none, none, np.zeros((0, mih.PDQ_BYTES), dtype=np.uint8))

    @classmethod
    def of(cls, ids: npt.ArrayLike, banks: npt.ArrayLike, codes: Codes) -> Rows:
        codes = np.ascontiguousarray(codes, dtype=np.uint8).reshape(-1, mih.PDQ_BYTES)
        rows = cls(np.asarray(ids, dtype=np.int64), np.asarray(banks, dtype=np.int64), codes)
        if not rows.ids.shape[0] == rows.banks.shape[0] == codes.shape[0]:
            raise ValueError("ids, banks and codes differ in length")
        return rows

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    def take(self, keep: npt.NDArray[np.bool_] | Int64s) -> Rows:
        return Rows(self.ids[keep], self.banks[keep], self.codes[keep])

    def __add__(self, other: Rows) -> Rows:
        return Rows.joined([self, other])

    @classmethod
    def joined(cls, parts: Sequence[Rows]) -> Rows:
        """The rows of every part, in order."""
        if not parts:
            return cls.empty()
        return cls(
            np.concatenate([p.ids for p in parts]),
            np.concatenate([p.banks for p in parts]),
            np.concatenate([p.codes for p in parts]),
        )


@dataclass(frozen=True, slots=True)
class Hits:
    """Matches of a batch of queries: query index, the row's id and bank, distance."""

    query: Int64s
    ids: Int64s
    banks: Int64s
    distance: Int64s


class Segment:
    """Rows searched together, read-only once made (safe to search from many threads). The
    hashes are kept once, as the four 64-bit columns the search reads."""

    def __init__(
        self, rows: Rows, tables: mih.Tables | None = None, exhaustive: bool = False
    ) -> None:
        self.ids, self.banks = rows.ids, rows.banks
        self.columns = mih.as_columns(rows.codes)
        self.flat: faiss.IndexBinaryFlat | None = None
        self.tables = tables
        if tables is None and len(rows) >= SMALL and not exhaustive:
            self.tables = mih.build_tables(self.columns, mih.Layout.for_rows(len(rows)))
        if self.tables is None:
            self.flat = faiss.IndexBinaryFlat(mih.PDQ_BYTES * 8)
            self.flat.add(rows.codes)

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    @property
    def rows(self) -> Rows:
        return Rows(self.ids, self.banks, mih.as_codes(self.columns))

    def search(self, queries: Codes, radius: int) -> Hits:
        if self.tables is not None and self.tables.layout.probes(radius) * PROBE_COST > len(self):
            query, position, distance = mih.exhaustive(
                self.columns, mih.as_columns(queries), radius
            )
        elif self.tables is not None:
            query, position, distance = mih.within(
                self.tables, self.columns, mih.as_columns(queries), radius
            )
        else:
            query, position, distance = _flat_range(self.flat, queries, radius)
        return Hits(query, self.ids[position], self.banks[position], distance)

    @property
    def nbytes(self) -> int:
        """Bytes held: ids, banks, hashes, tables (a small segment's faiss copy left out)."""
        tables = self.tables.nbytes if self.tables is not None else 0
        held = self.ids.nbytes + self.banks.nbytes + sum(c.nbytes for c in self.columns)
        return int(held) + tables


def _flat_range(
    flat: faiss.IndexBinaryFlat | None, queries: Codes, radius: int
) -> tuple[Int64s, Int64s, Int64s]:
    if flat is None or flat.ntotal == 0 or queries.shape[0] == 0:
        none = np.zeros(0, dtype=np.int64)
        return none, none, none
    # faiss's binary range search keeps distances strictly below its radius
    limits, distance, position = flat.range_search(np.ascontiguousarray(queries), radius + 1)
    query = np.repeat(np.arange(queries.shape[0], dtype=np.int64), np.diff(limits).astype(np.int64))
    return query, position.astype(np.int64), distance.astype(np.int64)


@dataclass(frozen=True, slots=True)
class _State:
    main: Segment
    delta: Segment
    removed: Int64s = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


Match = tuple[int, int]  # (hash id, distance)


def _live(state: _State) -> Rows:
    rows = state.main.rows + state.delta.rows
    return rows.take(~np.isin(rows.ids, state.removed))


class PdqIndex:
    """Every live PDQ row, searchable within a distance; additions and removals count at once.

    `on_rebuilt` is called (in the rebuilding thread) with the new main segment, e.g. to save
    it to disk.
    """

    def __init__(
        self, main: Segment | None = None, on_rebuilt: Callable[[Segment], None] | None = None
    ) -> None:
        empty = Segment(Rows.empty())
        self._state = _State(main if main is not None else empty, empty)
        self._lock = threading.Lock()  # for changing the state
        self._rebuild_lock = threading.Lock()  # one rebuild at a time
        self._worker: threading.Thread | None = None
        self.on_rebuilt = on_rebuilt

    @property
    def main(self) -> Segment:
        return self._state.main

    @property
    def delta(self) -> Segment:
        """The rows added since the main segment was built."""
        return self._state.delta

    def __len__(self) -> int:
        """Rows that can match (tombstones left out)."""
        return int(self.live_ids().shape[0])

    def live_ids(self) -> Int64s:
        """The ids of the rows that can match, main then delta."""
        state = self._state
        ids = np.concatenate([state.main.ids, state.delta.ids])
        live: Int64s = ids[~np.isin(ids, state.removed)]
        return live

    def pending(self) -> int:
        """Additions and removals not yet folded into the main segment."""
        state = self._state
        return len(state.delta) + int(state.removed.shape[0])

    def add(self, rows: Rows) -> None:
        """Match these rows from the next query on."""
        with self._lock:
            state = self._state
            # the delta is searched exhaustively: made again at each addition, it must be cheap
            # to make (and a long rebuild can let it grow past SMALL)
            delta = Segment(state.delta.rows + rows, exhaustive=True)
            self._state = replace(state, delta=delta)

    def remove(self, ids: Sequence[int]) -> None:
        """Never match these ids again, from the next query on."""
        with self._lock:
            state = self._state
            removed = np.union1d(state.removed, np.asarray(ids, dtype=np.int64))
            self._state = replace(state, removed=removed)

    def search(
        self, codes: Codes, radius: int, banks: Sequence[int] | None = None
    ) -> list[list[Match]]:
        """For each query hash, the (id, distance) of the live rows within `radius` (of the
        given banks, or all), nearest first then by id."""
        state = self._state
        queries = np.ascontiguousarray(codes, dtype=np.uint8).reshape(-1, mih.PDQ_BYTES)
        found = [state.main.search(queries, radius), state.delta.search(queries, radius)]
        query = np.concatenate([h.query for h in found])
        ids = np.concatenate([h.ids for h in found])
        distance = np.concatenate([h.distance for h in found])
        keep = ~np.isin(ids, state.removed)
        if banks is not None:
            wanted = np.asarray(banks, dtype=np.int64)
            keep &= np.isin(np.concatenate([h.banks for h in found]), wanted)
        query, ids, distance = query[keep], ids[keep], distance[keep]
        # a row can be in both segments for a while after a rebuild from the database
        order = np.lexsort((ids, distance, query))
        query, ids, distance = query[order], ids[order], distance[order]
        first = np.ones(query.shape[0], dtype=bool)
        first[1:] = (query[1:] != query[:-1]) | (ids[1:] != ids[:-1])
        answers: list[list[Match]] = [[] for _ in range(queries.shape[0])]
        for q, ident, dist in zip(query[first], ids[first], distance[first], strict=True):
            answers[q].append((int(ident), int(dist)))
        return answers

    def live_rows(self) -> Rows:
        """Every row that can match, main then delta."""
        return _live(self._state)

    def rebuild(self, source: Callable[[], Rows] | None = None) -> Segment:
        """Build a new main segment from the live rows (or from `source`, read after this
        starts, e.g. the database) and swap it in; what changed meanwhile is kept."""
        with self._rebuild_lock:
            with self._lock:
                before = self._state
            rows = source() if source is not None else _live(before)
            main = Segment(rows)
            with self._lock:
                now = self._state
                # the delta only grows between rebuilds: what came after `before` stays
                later = np.arange(len(before.delta), len(now.delta))
                removed = np.setdiff1d(now.removed, before.removed)
                delta = Segment(now.delta.rows.take(later), exhaustive=True)
                self._state = _State(main, delta, removed)
        if self.on_rebuilt is not None:
            self.on_rebuilt(main)
        return main

    def rebuild_in_background(self, source: Callable[[], Rows] | None = None) -> threading.Thread:
        """Start a rebuild in a thread (or return the one running)."""
        with self._lock:
            if self._worker is not None and self._worker.is_alive():
                return self._worker
            self._worker = threading.Thread(
                target=self.rebuild, args=(source,), name="pdq-index-rebuild", daemon=True
            )
            self._worker.start()
            return self._worker

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a running rebuild to end."""
        worker = self._worker
        if worker is not None:
            worker.join(timeout)
