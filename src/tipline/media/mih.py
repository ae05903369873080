"""Multi-index hashing of PDQ hashes (Norouzi, Punjani & Fleet, 2012), pure numpy.

The 256 bits of a hash are cut into `chunks` disjoint pieces of `bits` bits (the last few bits
may stay uncovered). If two hashes differ in at most `r` bits, then by pigeonhole one of the
pieces differs in at most `r // chunks` bits: so looking up, in one table per piece, every key
within `r // chunks` bits of the query's piece finds every hash within `r`, with no miss. Each
candidate is then checked on its full 256 bits. With 10,000,000 hashes, 11 pieces of 23 bits
and `r` = 31 (2 bits a piece) a query looks up 11 × 277 keys and checks a few thousand
candidates instead of ten million.

A table is kept as a sorted permutation (`order`) and the start of each key in it (`offsets`),
two flat int32 arrays: 72 MB a piece for 10,000,000 hashes, where faiss's IndexBinaryMultiHash
keeps a hash map of vectors (several times that, see docs/media.md). The hashes themselves are
kept as four columns of 64-bit words, so that checking a candidate reads two words first and
most candidates (about 64 bits away on two words) stop there. Values in, values out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np
import numpy.typing as npt

PDQ_BYTES = 32
WORDS = 4  # 64-bit words of a hash

Column = npt.NDArray[np.uint64]
Columns = tuple[Column, Column, Column, Column]
Int32s = npt.NDArray[np.int32]
Int64s = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Layout:
    """How a hash is cut: `chunks` pieces of `bits` bits, from the most significant bit."""

    chunks: int
    bits: int

    @classmethod
    def for_rows(cls, rows: int) -> Layout:
        """16 pieces of 16 bits (tables of 256 KB) up to 2,000,000 hashes; above, 11 pieces
        of 23 bits (32 MB of offsets a table, about one hash a key at 10,000,000)."""
        return cls(16, 16) if rows < 2_000_000 else cls(11, 23)

    def flips(self, radius: int) -> int:
        """Bits a piece may differ by so that no hash within `radius` is missed:
        chunks × (flips + 1) > radius."""
        return radius // self.chunks

    def probes(self, radius: int) -> int:
        """Keys looked up for one query within `radius`."""
        flips = self.flips(radius)
        return self.chunks * sum(math.comb(self.bits, k) for k in range(flips + 1))


def as_columns(codes: npt.NDArray[np.uint8]) -> Columns:
    """Hashes (n, 32) bytes, most-significant first, as four columns of 64-bit words."""
    words = np.ascontiguousarray(codes).view(">u8").astype(np.uint64).reshape(-1, WORDS)
    a, b, c, d = (np.ascontiguousarray(words[:, k]) for k in range(WORDS))
    return a, b, c, d


def as_codes(columns: Columns) -> npt.NDArray[np.uint8]:
    """The (n, 32) bytes of hashes kept as columns."""
    words = np.stack(columns, axis=1).astype(">u8")
    return words.view(np.uint8).reshape(-1, PDQ_BYTES)


def piece_key(columns: Columns, layout: Layout, piece: int) -> npt.NDArray[np.int64]:
    """The key of one piece of every hash."""
    word, offset = divmod(piece * layout.bits, 64)
    end = offset + layout.bits
    if end <= 64:
        value = columns[word] >> np.uint64(64 - end)
    else:  # the piece runs over into the next word
        value = (columns[word] << np.uint64(end - 64)) | (columns[word + 1] >> np.uint64(128 - end))
    keys: npt.NDArray[np.int64] = (value & np.uint64((1 << layout.bits) - 1)).astype(np.int64)
    return keys


def chunk_keys(columns: Columns, layout: Layout) -> npt.NDArray[np.int64]:
    """The key of every piece of every hash: (n, chunks)."""
    return np.stack([piece_key(columns, layout, p) for p in range(layout.chunks)], axis=1)


@lru_cache(maxsize=32)
def flip_masks(bits: int, flips: int) -> Int64s:
    """Every key of `bits` bits with at most `flips` bits set (0 first)."""
    masks = [0]
    for count in range(1, flips + 1):
        masks.extend(sum(1 << b for b in chosen) for chosen in combinations(range(bits), count))
    return np.array(masks, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class Tables:
    """One table a piece: positions sorted by the piece's key (`orders`, chunks × n), and
    where each key starts in them (`offsets`, chunks × (2^bits + 1))."""

    layout: Layout
    orders: Int32s
    offsets: Int32s

    @property
    def nbytes(self) -> int:
        return int(self.orders.nbytes + self.offsets.nbytes)


def build_tables(columns: Columns, layout: Layout) -> Tables:
    """The tables of these hashes (positions 0..n-1)."""
    orders = np.empty((layout.chunks, columns[0].shape[0]), dtype=np.int32)
    for piece in range(layout.chunks):
        orders[piece] = np.argsort(piece_key(columns, layout, piece), kind="stable")
    return with_orders(columns, layout, orders)


def with_orders(columns: Columns, layout: Layout, orders: Int32s) -> Tables:
    """Tables from stored orders: only the offsets are counted again (a loaded index)."""
    size = 1 << layout.bits
    offsets = np.zeros((layout.chunks, size + 1), dtype=np.int32)
    for piece in range(layout.chunks):
        counts = np.bincount(piece_key(columns, layout, piece), minlength=size)
        np.cumsum(counts, out=offsets[piece, 1:])
    return Tables(layout, orders, offsets)


def _expand(starts: Int64s, counts: Int64s) -> Int64s:
    """The concatenation of the ranges [start, start + count)."""
    ends = np.cumsum(counts)
    shift = np.repeat(starts - (ends - counts), counts)
    result: Int64s = np.arange(int(ends[-1]) if ends.size else 0, dtype=np.int64) + shift
    return result


def candidates(tables: Tables, queries: Columns, radius: int) -> tuple[Int64s, Int64s]:
    """(query index, position) of every stored hash that has a piece within the flips of the
    query's: all the hashes within `radius`, and others (some more than once)."""
    layout = tables.layout
    masks = flip_masks(layout.bits, layout.flips(radius))
    keys = chunk_keys(queries, layout)  # (q, chunks)
    # one probe per (query, piece, mask), as a flat index into the stacked offsets
    width = tables.offsets.shape[1]
    base = np.arange(layout.chunks, dtype=np.int64)[None, :, None] * width
    probes = ((keys[:, :, None] ^ masks[None, None, :]) + base).ravel()
    flat_offsets = tables.offsets.ravel()
    starts = flat_offsets[probes].astype(np.int64)
    counts = flat_offsets[probes + 1] - starts
    hit = np.flatnonzero(counts)
    starts, counts = starts[hit], counts[hit]
    per_query = layout.chunks * masks.size
    pieces = (hit // masks.size) % layout.chunks
    rows = tables.orders.shape[1]
    slots = _expand(starts + pieces * rows, counts)
    positions = np.take(tables.orders.ravel(), slots).astype(np.int64)
    return np.repeat(hit // per_query, counts), positions


def distances(
    columns: Columns, queries: Columns, query_of: Int64s, positions: Int64s, radius: int
) -> tuple[Int64s, Int64s, Int64s]:
    """The (query, position, distance) pairs within `radius`: two words first, the other two
    only for the pairs still within."""
    near = np.zeros(positions.shape[0], dtype=np.int64)
    for word in range(WORDS):
        xor = np.take(columns[word], positions) ^ np.take(queries[word], query_of)
        near += np.bitwise_count(xor)
        if word % 2:
            keep = near <= radius
            query_of, positions, near = query_of[keep], positions[keep], near[keep]
    return query_of, positions, near


def exhaustive(columns: Columns, queries: Columns, radius: int) -> tuple[Int64s, Int64s, Int64s]:
    """What `within` answers, by comparing every stored hash with every query (for a radius
    so wide that the tables would look up more keys than there are hashes)."""
    found_q, found_p, found_d = [], [], []
    for q in range(queries[0].shape[0]):
        near = np.zeros(columns[0].shape[0], dtype=np.int64)
        for word in range(WORDS):
            near += np.bitwise_count(columns[word] ^ queries[word][q])
        positions = np.flatnonzero(near <= radius)
        found_q.append(np.full(positions.shape[0], q, dtype=np.int64))
        found_p.append(positions.astype(np.int64))
        found_d.append(near[positions])
    none = [np.zeros(0, dtype=np.int64)]
    return tuple(np.concatenate(f or none) for f in (found_q, found_p, found_d))  # type: ignore[return-value]


def within(
    tables: Tables, columns: Columns, queries: Columns, radius: int
) -> tuple[Int64s, Int64s, Int64s]:
    """(query index, position, distance) of every stored hash within `radius` of a query,
    each pair once, by query then position."""
    query_of, positions = candidates(tables, queries, radius)
    query_of, positions, near = distances(columns, queries, query_of, positions, radius)
    size = max(columns[0].shape[0], 1)
    pairs, first = np.unique(query_of * size + positions, return_index=True)
    return pairs // size, pairs % size, near[first]
