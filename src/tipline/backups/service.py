"""Backup, verify and restore: the database, the evidence its rows name, the audit checkpoints.

`take_backup` is consistent while the server runs: one database snapshot (SQLite `VACUUM
INTO`, PostgreSQL `pg_dump` of an exported snapshot), then exactly the evidence files that
snapshot names (content-addressed and never rewritten, so a file copied later is the file the
row meant). The checkpoint file is read before the snapshot: every entry a checkpoint signs is
then in the snapshot's audit log.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tipline.backups import engines, repository
from tipline.backups.archive import Packer, unpack
from tipline.backups.core import (
    CHECKPOINTS_MEMBER,
    OPERATOR_FOLDERS,
    PG_MEMBER,
    SQLITE_MEMBER,
    DatabaseFacts,
    Manifest,
    Silent,
    Tracker,
    database_problems,
    evidence_member,
    file_problems,
    is_member_name,
)
from tipline.backups.keys import (
    key_destinations,
    key_files,
    key_for_backup,
    key_for_new_backup,
    key_identifiers,
)
from tipline.backups.sealed import DamagedBackup, read_header
from tipline.db import make_engine
from tipline.db_types import utc_now
from tipline.errors import Conflict, InvalidInput, NotFound
from tipline.evidence.store import EvidenceStore
from tipline.settings import Settings

CHECKPOINTS_FILE = "audit-checkpoints.jsonl"


@dataclass(frozen=True, slots=True)
class Verified:
    manifest: Manifest
    problems: list[str]

    @property
    def intact(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class _Snapshot:
    member: str
    path: Path
    engine: str
    facts: DatabaseFacts


def _snapshot(settings: Settings, work: Path) -> _Snapshot:
    url = settings.sqlalchemy_url
    if url.startswith("sqlite"):
        target = work / "tipline.sqlite"
        engines.snapshot_sqlite(engines.sqlite_path(url), target)
        return _Snapshot(SQLITE_MEMBER, target, "sqlite", engines.sqlite_facts(target))
    target = work / "tipline.pgdump"
    engine = make_engine(url)
    try:
        with engines.pg_snapshot(engine) as (connection, snapshot_id):
            facts = repository.database_facts(connection)
            engines.dump_postgres(url, snapshot_id, target)
    finally:
        engine.dispose()
    return _Snapshot(PG_MEMBER, target, "postgresql", facts)


def _pack_evidence(
    packer: Packer, store: EvidenceStore, hashes: set[str], tracker: Tracker
) -> None:
    """Each file as stored (encrypted at rest or not: a backup needs no data key); the
    manifest records the stored bytes' SHA-256, `tipline evidence verify` the content's."""
    tracker.begin("evidence files", len(hashes))
    for sha256 in sorted(hashes):
        path = store.path_for(sha256)
        if not path.exists():
            raise NotFound(
                f"evidence {sha256} is named by the database but missing from the store "
                "(`tipline evidence verify`; a purge running at the same time?)"
            )
        packer.add_file(evidence_member(sha256), path)
        tracker.advance()


def take_backup(
    settings: Settings, destination: Path, *, include_keys: bool = False,
    tracker: Tracker | None = None, now: datetime | None = None,
) -> Manifest:  # fmt: skip
    """Write an encrypted backup of this instance to `destination` (a new file)."""
    tracker = tracker or Silent()
    if destination.exists():
        raise Conflict(f"{destination} exists: a backup is never written over a file")
    key = key_for_new_backup(settings)
    checkpoints_path = settings.data_dir / CHECKPOINTS_FILE
    checkpoints = checkpoints_path.read_bytes() if checkpoints_path.exists() else None
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".backup-") as work:
        tracker.begin("database snapshot", 1)
        snapshot = _snapshot(settings, Path(work))
        tracker.advance()
        packer = Packer(destination, key.key, key.source)
        try:
            packer.add_file(snapshot.member, snapshot.path)
            _pack_evidence(
                packer, EvidenceStore(settings.data_dir), snapshot.facts.evidence_hashes, tracker
            )
            if checkpoints is not None:
                packer.add_bytes(CHECKPOINTS_MEMBER, checkpoints)
            for name, path in operator_files(settings.data_dir):
                packer.add_file(name, path)
            for name, path in key_files(settings).items() if include_keys else ():
                packer.add_file(f"keys/{name}", path)
            manifest = Manifest(
                created_at=(now or utc_now()).isoformat(), engine=snapshot.engine,
                schema_revision=snapshot.facts.schema_revision, tables=snapshot.facts.tables,
                files=dict(packer.files), keys=key_identifiers(settings),
                keys_included=include_keys, tipline_version=_version(),
            )  # fmt: skip
            packer.close(manifest)
        except BaseException:
            packer.abandon()
            raise
    return manifest


def operator_files(data: Path) -> list[tuple[str, Path]]:
    """The operator's files in the data folder, by member name (a name a backup may not hold,
    such as a hidden file, is left out)."""
    found = []
    for folder in OPERATOR_FOLDERS:
        for path in sorted((data / folder).rglob("*")):
            name = f"data/{path.relative_to(data).as_posix()}"
            if path.is_file() and not path.is_symlink() and is_member_name(name):
                found.append((name, path))
    return found


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tipline")
    except PackageNotFoundError:
        return ""


def _facts_of(manifest: Manifest, folder: Path) -> DatabaseFacts:
    path = folder / manifest.database_member
    if manifest.engine == "sqlite":
        return engines.sqlite_facts(path)
    return engines.dump_facts(path)


def _read_all(
    settings: Settings, source: Path, folder: Path, everything: bool, tracker: Tracker
) -> Verified:
    """Decrypt and unpack a backup into `folder` (all members, or the database alone), then
    check every member against the manifest and the database against both."""

    def place(name: str) -> Path | None:
        if not everything and not name.startswith("database/"):
            return None
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    if not source.is_file():
        raise NotFound(f"no backup at {source}")
    tracker.begin("reading the backup", source.stat().st_size)
    with source.open("rb") as stream:
        key_source, header, ad = read_header(stream)
        key = key_for_backup(settings, key_source)
        manifest, files = unpack(stream, key, header, ad, place, tracker.advance)
    problems = file_problems(manifest.files, files)
    if manifest.database_member in files and not problems:
        problems += database_problems(manifest, _facts_of(manifest, folder))
    return Verified(manifest, problems)


def verify_backup(settings: Settings, source: Path, tracker: Tracker | None = None) -> Verified:
    """Decrypt a backup and recompute everything its manifest says (in a temporary folder)."""
    with tempfile.TemporaryDirectory(prefix="tipline-verify-") as work:
        return _read_all(settings, source, Path(work), False, tracker or Silent())


def _refuse_unless_empty(settings: Settings, manifest_engine: str | None = None) -> None:
    data = settings.data_dir
    names = ("evidence", CHECKPOINTS_FILE, "tipline.db", *OPERATOR_FOLDERS)
    held = [name for name in names if (data / name).exists()]
    if held:
        raise Conflict(f"{data} already holds {', '.join(held)}: restore into an empty folder")
    url = settings.sqlalchemy_url
    if url.startswith("sqlite"):
        if engines.sqlite_path(url).exists():
            raise Conflict(f"{engines.sqlite_path(url)} exists: restore into an empty database")
        return
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if repository.table_names(connection):
                raise Conflict("the configured PostgreSQL database has tables: restore into an "
                               "empty one (createdb)")  # fmt: skip
    finally:
        engine.dispose()


def restore_backup(settings: Settings, source: Path, tracker: Tracker | None = None) -> Manifest:
    """Restore a backup into the configured, empty data folder and database, after checking
    all of it; nothing is put in place unless every check holds."""
    tracker = tracker or Silent()
    _refuse_unless_empty(settings)
    data = settings.make_data_dir()
    staging = Path(tempfile.mkdtemp(dir=data, prefix=".restore-"))
    try:
        verified = _read_all(settings, source, staging, True, tracker)
        if not verified.intact:
            raise DamagedBackup("the backup does not verify: " + "; ".join(verified.problems[:5]))
        manifest = verified.manifest
        _place_database(settings, manifest, staging / manifest.database_member)
        _place_files(settings, manifest, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _place_database(settings: Settings, manifest: Manifest, snapshot: Path) -> None:
    url = settings.sqlalchemy_url
    is_sqlite = url.startswith("sqlite")
    if is_sqlite != (manifest.engine == "sqlite"):
        raise InvalidInput(f"this backup is of a {manifest.engine} database; the configured one "
                           "is not: set TIPLINE_DATABASE_URL to match")  # fmt: skip
    if is_sqlite:
        target = engines.sqlite_path(url)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        snapshot.chmod(0o600)
        snapshot.replace(target)
        return
    engines.restore_postgres(url, snapshot)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            counts = repository.row_counts(connection)
    finally:
        engine.dispose()
    if counts != manifest.tables:
        raise DamagedBackup("the restored database's rows differ from the backup's manifest")


def _place_files(settings: Settings, manifest: Manifest, staging: Path) -> None:
    data = settings.data_dir
    if (staging / "evidence").exists():
        (staging / "evidence").replace(data / "evidence")
    held = staging / "data"
    for item in sorted(held.iterdir()) if held.exists() else ():
        item.replace(data / item.name)  # the checkpoints, the operator's folders
    for name, target in key_destinations(settings).items():
        held = staging / "keys" / name
        if held.exists() and not target.exists():
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            held.chmod(0o600)
            shutil.move(held, target)
