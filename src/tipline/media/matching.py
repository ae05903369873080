"""PDQ matching behind one small interface, so that an index can replace the brute force.

`tipline.media.service.match` decides which banks a caller may match against (in the
repository's query) and asks the current `PdqMatcher` for the live PDQ rows of those banks
within a Hamming distance of each query. The matcher answers hash ids and distances only;
the service turns them into rows through the caller's condition again, so a matcher that knew
of a removed hash or of another's bank still yields nothing of it.

`BruteForcePdq` compares every live row of the banks with numpy, reading them from the
database on each call: always in step, slow for millions. An index (tipline.media.index, on
faiss) is installed with `use_pdq_matcher`; the service tells the current matcher of every
addition and removal once it is committed (`added`, `removed`), so that it can count them at
once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from tipline.media import repository

PDQ_BYTES = 32


@dataclass(frozen=True, slots=True)
class PdqHit:
    """A live PDQ row within the distance of a query: its id and how many bits differ."""

    hash_id: int
    distance: int


class PdqMatcher(Protocol):
    """Finds, for each PDQ query (64 hex), the live PDQ rows of the given banks within
    `max_distance` bits, nearest first."""

    def search(
        self, session: Session, bank_ids: Sequence[int], queries: Sequence[str], max_distance: int
    ) -> list[list[PdqHit]]:
        """One list of hits per query, in the queries' order."""

    def added(self, bank_id: int, rows: Sequence[tuple[int, str]]) -> None:
        """PDQ rows (id, value) were committed to a bank: match them from now on."""

    def removed(self, bank_id: int, hash_ids: Sequence[int]) -> None:
        """Rows of a bank were removed (committed): never match them again."""


def pdq_array(values: Sequence[str]) -> npt.NDArray[np.uint8]:
    """PDQ hashes (64 hex each) as an (n, 32) array of bytes, most-significant first."""
    if not values:
        return np.zeros((0, PDQ_BYTES), dtype=np.uint8)
    raw = bytes.fromhex("".join(values))
    return np.frombuffer(raw, dtype=np.uint8).reshape(len(values), PDQ_BYTES)


def hamming(rows: npt.NDArray[np.uint8], query: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint16]:
    """The Hamming distance of each row of `rows` (n, 32) to `query` (32,): four 64-bit words
    a row, XORed and their bits counted."""
    words = np.ascontiguousarray(rows).view(np.uint64)
    differing = np.bitwise_xor(words, np.ascontiguousarray(query).view(np.uint64))
    distances: npt.NDArray[np.uint16] = np.bitwise_count(differing).sum(axis=1, dtype=np.uint16)
    return distances


def nearest(
    ids: npt.NDArray[np.int64], rows: npt.NDArray[np.uint8], query: npt.NDArray[np.uint8],
    max_distance: int,
) -> list[PdqHit]:  # fmt: skip
    """The rows within `max_distance` of `query`, nearest first (then by id)."""
    distances = hamming(rows, query)
    within = np.flatnonzero(distances <= max_distance)
    order = within[np.lexsort((ids[within], distances[within]))]
    return [PdqHit(int(ids[i]), int(distances[i])) for i in order]


class BruteForcePdq:
    """Every live PDQ row of the banks, read from the database and compared with numpy."""

    def search(
        self, session: Session, bank_ids: Sequence[int], queries: Sequence[str], max_distance: int
    ) -> list[list[PdqHit]]:
        stored = repository.live_pdq_rows(session, bank_ids)
        ids = np.array([ident for ident, _ in stored], dtype=np.int64)
        rows = pdq_array([value for _, value in stored])
        return [nearest(ids, rows, query, max_distance) for query in pdq_array(queries)]

    def added(self, bank_id: int, rows: Sequence[tuple[int, str]]) -> None:
        """Nothing to do: every search reads the database."""

    def removed(self, bank_id: int, hash_ids: Sequence[int]) -> None:
        """Nothing to do: every search reads the database."""


_current: list[PdqMatcher] = [BruteForcePdq()]


def pdq_matcher() -> PdqMatcher:
    """The matcher in use: the brute force until an index is installed."""
    return _current[0]


def use_pdq_matcher(matcher: PdqMatcher) -> PdqMatcher:
    """Install `matcher` for every match from now on; the one it replaces."""
    previous, _current[0] = _current[0], matcher
    return previous
