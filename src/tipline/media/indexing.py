"""The PDQ matcher on the index (tipline.media.index), kept in step with the database.

One index holds the live PDQ rows of every bank, each with its bank's id; a search names the
banks the caller may use (chosen by the service in the repository's query), and the service reads
every hit again through the caller's condition, so a row the index still holds after it was
removed elsewhere yields nothing.

In step with the database:
- the service tells the matcher of each committed addition and removal (`added`, `removed`): they
  count from the next query on;
- another process (`tipline serve --workers N`) adds rows this one was not told of: before each
  search the matcher reads the PDQ rows above the highest id it has seen (the primary key's
  index: cheap);
- on start, the saved main segment is loaded from the data folder and compared with the
  database's live ids: rows it lacks are added, rows no longer live are removed; if it is
  missing, damaged or far behind, it is rebuilt from the database in the background (the brute
  force answers meanwhile);
- after REBUILD_AFTER changes the main segment is rebuilt in the background, then saved.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from tipline.media import index_files, repository
from tipline.media.index import REBUILD_AFTER, PdqIndex, Rows, Segment
from tipline.media.matching import PdqHit, pdq_array, use_pdq_matcher

log = logging.getLogger(__name__)


def rows_of(found: Sequence[tuple[int, int, str]]) -> Rows:
    """Index rows from (id, bank id, value) triples."""
    return Rows.of([r[0] for r in found], [r[1] for r in found], pdq_array([r[2] for r in found]))


class IndexedPdq:
    """A PdqMatcher answering from a PdqIndex."""

    def __init__(
        self, index: PdqIndex, factory: sessionmaker[Session], folder: Path | None = None
    ) -> None:
        self.index = index
        self.factory = factory
        self.folder = folder
        self._seen = 0
        self.note_seen()
        self._catching_up = threading.Lock()
        index.on_rebuilt = self._save

    def note_seen(self) -> None:
        """Catch up from the highest id the index holds."""
        self._seen = max(self._seen, int(self.index.live_ids().max(initial=0)))

    def search(
        self, session: Session, bank_ids: Sequence[int], queries: Sequence[str], max_distance: int
    ) -> list[list[PdqHit]]:
        self.catch_up(session)
        answers = self.index.search(pdq_array(queries), max_distance, banks=bank_ids)
        return [[PdqHit(ident, distance) for ident, distance in a] for a in answers]

    def added(self, bank_id: int, rows: Sequence[tuple[int, str]]) -> None:
        if not rows:
            return
        self.index.add(rows_of([(ident, bank_id, value) for ident, value in rows]))
        self._seen = max(self._seen, max(ident for ident, _ in rows))
        self.rebuild_if_due()

    def removed(self, bank_id: int, hash_ids: Sequence[int]) -> None:
        self.index.remove(hash_ids)
        self.rebuild_if_due()

    def catch_up(self, session: Session) -> int:
        """Add the rows committed by other processes since the highest id seen."""
        added = 0
        with self._catching_up:
            for found in repository.pdq_rows_after(session, self._seen):
                self.index.add(rows_of(found))
                self._seen = max(self._seen, found[-1][0])
                added += len(found)
        if added:
            self.rebuild_if_due()
        return added

    def rebuild_from_database(self) -> threading.Thread:
        """Rebuild the main segment from the database's live rows, in the background."""
        return self.index.rebuild_in_background(self.read_all)

    def read_all(self) -> Rows:
        """Every live PDQ row of the database."""
        with self.factory() as session:
            return Rows.joined([rows_of(found) for found in repository.pdq_rows_after(session, 0)])

    def rebuild_if_due(self) -> None:
        """Rebuild in the background once enough has changed since the last build."""
        if self.index.pending() >= REBUILD_AFTER:
            self.index.rebuild_in_background()

    def _save(self, segment: Segment) -> None:
        if self.folder is not None:
            index_files.save(segment, self.folder)


def reconcile(matcher: IndexedPdq, session: Session) -> tuple[int, int]:
    """Bring a loaded index in step with the database: (rows added, rows removed)."""
    held = matcher.index.live_ids()
    live = np.asarray(repository.live_pdq_ids(session), dtype=np.int64)
    # rows above the highest id held come with catch_up; below it, what the file lacks
    missing = np.setdiff1d(live[live <= held.max(initial=0)], held)
    gone = np.setdiff1d(held, live)
    if missing.size:
        matcher.index.add(rows_of(repository.pdq_rows_by_id(session, missing.tolist())))
    if gone.size:
        matcher.index.remove(gone.tolist())
    added = matcher.catch_up(session)
    matcher.rebuild_if_due()
    return int(missing.size) + added, int(gone.size)


def open_pdq_index(factory: sessionmaker[Session], folder: Path) -> IndexedPdq:
    """The saved index, in step with the database, or one rebuilt from it (then saved)."""
    segment = index_files.load(folder)
    if segment is None:
        matcher = IndexedPdq(PdqIndex(), factory, folder)
        matcher.index.rebuild(matcher.read_all)
        matcher.note_seen()
        return matcher
    matcher = IndexedPdq(PdqIndex(segment), factory, folder)
    with factory() as session:
        added, removed = reconcile(matcher, session)
    log.info("PDQ index loaded: %d rows, %d added, %d removed", len(segment), added, removed)
    return matcher


def start_pdq_index(factory: sessionmaker[Session], folder: Path) -> threading.Thread:
    """Open the index in a thread and install it as the matcher once it is ready (the brute
    force answers until then)."""

    def run() -> None:
        use_pdq_matcher(open_pdq_index(factory, folder))

    thread = threading.Thread(target=run, name="pdq-index-open", daemon=True)
    thread.start()
    return thread
