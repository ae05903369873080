"""The private check's use cases: build the keyed set, rotate its key, follow the database, and
answer a check (docs/private-check.md)."""

from __future__ import annotations

import logging
import multiprocessing
import re
import secrets
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from tipline.client import oprf
from tipline.client.private import MODE, decode_bytes, encode_bytes, read_bucket
from tipline.db_types import utc_now
from tipline.errors import Conflict, InvalidInput
from tipline.privatecheck import core, repository
from tipline.privatecheck.models import ACTIVE, BUILDING
from tipline.privatecheck.repository import Position, StoredKey
from tipline.privatecheck.schemas import PrivateCheckParameters, PrivateCheckStatus
from tipline.sealing import seal, sealing_key, unseal
from tipline.settings import Settings

log = logging.getLogger("tipline.privatecheck")
BATCH = 20_000  # indicators read, sealed and written at once by a build
CHUNK = 2_000  # indicators a worker process seals at once
SWEEP = 5_000  # indicators the follow job re-reads each round, in id order, round and round
# Reports and reviews are read again this far back: a transaction stamped before the last round
# may commit after it.
OVERLAP = timedelta(minutes=2)
_LOOSE_BUCKET = re.compile(r"[0-9a-f]{1,8}")
Progress = Callable[[int], None]


class NotReady(Conflict):
    """No key answers yet: the set was never built (409: the server's state, not the request;
    tipline's API answers no 5xx it can help)."""

    code = "not_ready"


NO_KEY_YET = (
    "the private check has no key yet: `tipline serve` builds the first set as it starts,"
    " or run `tipline private-check build`"
)


@dataclass(frozen=True, slots=True)
class Built:
    key_id: str
    entries: int
    indicators: int


@dataclass(frozen=True, slots=True)
class Followed:
    changed: int
    swept: int
    expired: int


@lru_cache(maxsize=4)
def _sealing(secret_key: str | None, data_dir: Path) -> bytes:
    return sealing_key(secret_key, data_dir)  # the key file made with its folder if new


@lru_cache(maxsize=16)
def _unsealed(sealing: bytes, sealed_key: str) -> bytes:
    return bytes.fromhex(unseal(sealing, sealed_key))


def raw_key(settings: Settings, stored: StoredKey) -> bytes:
    """The OPRF key of a stored key, unsealed once per process."""
    return _unsealed(_sealing(settings.secret_key, settings.data_dir), stored.sealed_key)


def new_key(session: Session, settings: Settings) -> StoredKey:
    """A fresh random key, sealed, in state `building`."""
    sealing = _sealing(settings.secret_key, settings.data_dir)
    sealed = seal(sealing, oprf.random_scalar().hex())
    key_id = secrets.token_hex(8)
    return repository.add_key(session, key_id, sealed, settings.private_check_prefix_bits)


@contextmanager
def _pool(processes: int) -> Iterator[Pool | None]:
    if processes <= 1:
        yield None
        return
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        yield pool


def _batches(
    factory: sessionmaker[Session], expired: datetime | None, size: int
) -> Iterator[tuple[int, int | None, list[core.Listed], int]]:
    """(low, high, listed, read) for each batch of indicator ids: high None on the last."""
    after = 0
    while True:
        with factory() as session:
            ids = repository.indicator_ids_after(session, after, size)
            facts = repository.facts_between(session, ids[0], ids[-1]) if ids else []
        last = len(ids) < size
        yield after + 1, None if last else ids[-1], core.listed(facts, expired), len(ids)
        if last:
            return
        after = ids[-1]


def _seal(
    pool: Pool | None, key: bytes, bits: int, listed: Sequence[core.Listed]
) -> Callable[[], list[core.Entry]]:
    """Start sealing `listed` (in the pool when there is one); call the result to wait."""
    if pool is None:
        entries = core.sealed_entries(key, bits, listed)
        return lambda: entries
    jobs = [(key, bits, listed[i : i + CHUNK]) for i in range(0, len(listed), CHUNK)]
    pending: AsyncResult[list[list[core.Entry]]] = pool.map_async(core.sealed_batch, jobs)
    return lambda: [entry for part in pending.get() for entry in part]


def fill(
    factory: sessionmaker[Session],
    settings: Settings,
    stored: StoredKey,
    processes: int = 1,
    progress: Progress | None = None,
) -> Built:
    """Bring key `stored`'s whole set in step with the database, a batch of ids at a time
    (entries of ids no longer listed go); the sealing runs in `processes` processes while the
    next batch is read."""
    key, bits = raw_key(settings, stored), stored.prefix_bits
    expired = core.expired_before(utc_now(), settings.private_check_expiry_days)
    entries = indicators = 0
    waiting: deque[tuple[int, int | None, Callable[[], list[core.Entry]], int]] = deque()

    def write() -> None:
        nonlocal entries, indicators
        low, high, sealed, read = waiting.popleft()
        done = sealed()
        with factory() as session:
            repository.save_entries(session, stored.pk, done)
            repository.drop_range(session, stored.pk, low, high, [e.indicator_id for e in done])
            session.commit()
        entries, indicators = entries + len(done), indicators + read
        if progress is not None:
            progress(read)

    with _pool(processes) as pool:
        for low, high, listed, read in _batches(factory, expired, BATCH):
            waiting.append((low, high, _seal(pool, key, bits, listed), read))
            if len(waiting) > 1:
                write()
        while waiting:
            write()
    return Built(stored.key_id, entries, indicators)


def build(
    factory: sessionmaker[Session],
    settings: Settings,
    processes: int = 1,
    progress: Progress | None = None,
) -> Built:
    """The active key's set rebuilt in place; without a key, a first key and its set (checks
    answer once it is whole)."""
    with factory() as session:
        active = repository.keys(session, [ACTIVE])
        repository.start_following(session, utc_now())
        stored = active[0] if active else new_key(session, settings)
        session.commit()
    built = fill(factory, settings, stored, processes, progress)
    if not active:
        with factory() as session:
            repository.activate(session, stored.pk, utc_now())
            session.commit()
    return built


def rotate(
    factory: sessionmaker[Session],
    settings: Settings,
    processes: int = 1,
    progress: Progress | None = None,
) -> Built:
    """A new key: its set built beside the old one (the follow job keeps both in step
    meanwhile), then the switch in one transaction, then the old key and its set forgotten."""
    with factory() as session:
        for unfinished in repository.keys(session, [BUILDING]):  # an interrupted rotation's
            repository.forget_key(session, unfinished.pk)
        stored = new_key(session, settings)
        old = repository.keys(session, [ACTIVE])
        repository.start_following(session, utc_now())
        session.commit()
    built = fill(factory, settings, stored, processes, progress)
    with factory() as session:
        repository.activate(session, stored.pk, utc_now())
        session.commit()
        for key in old:
            repository.forget_key(session, key.pk)
            session.commit()
    return built


def build_first_set(factory: sessionmaker[Session], settings: Settings) -> Built | None:
    """The first key and its set when there is no key at all (a new installation); None when
    a key exists. Two server processes starting together may both build one: the later
    activation retires the other (`repository.activate`), so one key answers."""
    with factory() as session:
        if repository.keys(session, [ACTIVE, BUILDING]):
            return None
    return build(factory, settings)


def follow(
    factory: sessionmaker[Session], settings: Settings, now: datetime | None = None
) -> Followed | None:
    """One round of the follow job: the indicators that changed since the last round, the
    sweep's next ids and the expired ones, in every kept key's set. None when there is no set
    or another process is following."""
    now = now or utc_now()
    expired = core.expired_before(now, settings.private_check_expiry_days)
    with factory() as session:
        position = repository.lock_follow(session)
        stored = repository.keys(session) if position is not None else []
        if position is None or not stored:
            return None
        newest = repository.latest_ids(session)
        changed = repository.changed_indicators(session, position, position.changes_since - OVERLAP)
        swept = repository.indicator_ids_after(session, position.sweep_after, SWEEP)
        listed = core.listed(repository.facts_of(session, changed), expired)
        swept_listed = core.listed(repository.facts_between(session, *_span(swept)), expired)
        written = _written.setdefault((id(factory), settings.sqlalchemy_url), _Written())
        known = written.prints if written.mark == position.changes_since else {}
        prints: dict[tuple[int, int], int] = {}
        gone = 0
        for key in stored:
            prints |= _refresh(session, settings, key, listed, changed, known)
            if swept:
                _refresh(session, settings, key, swept_listed, range(swept[0], swept[-1] + 1))
                for ident in swept:  # sealed from a later read: not what `prints` says
                    prints.pop((key.pk, ident), None)
            gone += repository.drop_expired(session, key.pk, expired) if expired else 0
        sweep_after = swept[-1] if len(swept) == SWEEP else 0
        repository.move_follow(session, Position(now, *newest, sweep_after))
        session.commit()
    written.mark, written.prints = now, prints
    return Followed(len(changed), len(swept), gone)


@dataclass
class _Written:
    """What this process's last follow round left in the sets: (key pk, indicator id) →
    `core.fingerprint` of the item sealed or kept. A round reads changes two minutes back
    (`OVERLAP`), so under a stream of reports it met each new indicator about seven times and
    sealed it again each time (~0.1 ms of CPU each; issue 18); now it seals again only those
    whose entry would change. Trusted only while the follow row's `changes_since` is still
    the `mark` this process wrote: another process's round, a build or a rotation since, and
    every item is sealed again. The sweep seals everything it reads, as before."""

    mark: datetime | None = None
    prints: dict[tuple[int, int], int] = field(default_factory=dict)


# One a process and database (a test's app and database come and go within one process).
_written: dict[tuple[int, str], _Written] = {}


def _span(ids: Sequence[int]) -> tuple[int, int]:
    return (ids[0], ids[-1]) if ids else (1, 0)


def _refresh(
    session: Session,
    settings: Settings,
    stored: StoredKey,
    listed: Sequence[core.Listed],
    considered: Sequence[int] | set[int],
    known: Mapping[tuple[int, int], int] | None = None,
) -> dict[tuple[int, int], int]:
    """The entries of `listed` under the key `stored` sealed (but those `known` to be in the
    set as they would be sealed now), and the other `considered` indicators' dropped; the
    fingerprints of what the set now holds of `listed`."""
    prints = {(stored.pk, item.id): core.fingerprint(item) for item in listed}
    known = known or {}
    fresh = [
        item for item in listed if known.get((stored.pk, item.id)) != prints[stored.pk, item.id]
    ]
    entries = core.sealed_entries(raw_key(settings, stored), stored.prefix_bits, fresh)
    repository.save_entries(session, stored.pk, entries)
    repository.drop_entries(session, stored.pk, considered, [item.id for item in listed])
    return prints


def parameters(session: Session) -> PrivateCheckParameters:
    """How to ask the key that answers now."""
    active = repository.keys(session, [ACTIVE])
    if not active:
        raise NotReady(NO_KEY_YET)
    key = active[0]
    return PrivateCheckParameters(
        suite=oprf.SUITE, mode=MODE, prefix_bits=key.prefix_bits, key_id=key.key_id
    )


@dataclass(frozen=True, slots=True)
class Answered:
    """An answer as bytes; `to_json` writes the API's body (`PrivateCheckAnswer`)."""

    key_id: str
    evaluated: bytes
    entries: str  # the bucket's entries as the answer lists them, `["tag","sealed"],…`

    def to_json(self) -> str:
        # Written by hand: base64 text the database joined, no validation or escaping needed
        # (the key id is hex), a fraction of pydantic's time for the same bytes.
        evaluated = encode_bytes(self.evaluated)
        return f'{{"key_id":"{self.key_id}","evaluated":"{evaluated}","entries":[{self.entries}]}}'


def answer(session: Session, settings: Settings, bucket: str, blinded: str) -> Answered:
    """The blinded element evaluated under the active key, and the entries of its bucket."""
    if _LOOSE_BUCKET.fullmatch(bucket) is None:
        raise InvalidInput("a bucket is lower-case hex (see prefix_bits)", field="bucket")
    read = repository.bucket(session, int(bucket, 16))
    if read is None:
        raise NotReady(NO_KEY_YET)
    try:
        read_bucket(bucket, read.key.prefix_bits)
    except ValueError as exc:
        raise InvalidInput(f"{exc} (prefix_bits {read.key.prefix_bits})", field="bucket") from None
    try:
        evaluated = oprf.blind_evaluate(raw_key(settings, read.key), decode_bytes(blinded, 32))
    except ValueError:
        message = "blinded is a ristretto255 element: 32 bytes, base64url"
        raise InvalidInput(message, field="blinded") from None
    return Answered(read.key.key_id, evaluated, read.entries)


def status(session: Session) -> PrivateCheckStatus:
    """The keys, the active set's size and the follow job's last round."""
    kept = repository.keys(session)
    active = next((k for k in kept if k.state == ACTIVE), None)
    building = next((k for k in kept if k.state == BUILDING), None)
    followed_at, sweep_after = repository.following(session)
    return PrivateCheckStatus(
        active_key=active.key_id if active else None,
        active_entries=repository.count_entries(session, active.pk) if active else 0,
        building_key=building.key_id if building else None,
        prefix_bits=active.prefix_bits if active else None,
        followed_at=followed_at,
        sweep_after=sweep_after,
    )
