"""What a backup holds and how its contents are checked: pure values, no I/O.

A backup is a tar archive (encrypted by `tipline.backups.sealed`) of these members:

    database/tipline.sqlite | database/tipline.pgdump   one consistent snapshot
    evidence/sha256/ab/cd/<sha256>                      each file the snapshot's rows name
    data/audit-checkpoints.jsonl                        the signed checkpoints of the audit log
    data/allowlists/…, data/advice/…                    what the operator added to the data folder
    keys/<file>                                         only when the operator asks for them
    manifest.json                                       last: every member's SHA-256 and size,
                                                        rows per table, schema revision, keys
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/tipline.sqlite"
PG_MEMBER = "database/tipline.pgdump"
CHECKPOINTS_MEMBER = "data/audit-checkpoints.jsonl"
# The operator's own files in the data folder (MISP warninglists, advice overrides); models and
# indexes there are derived from the database and rebuilt, not backed up.
OPERATOR_FOLDERS = ("allowlists", "advice")
_NAME = r"[A-Za-z0-9][A-Za-z0-9._-]*"
_MEMBER = re.compile(
    r"^(manifest\.json|database/tipline\.(sqlite|pgdump)|data/audit-checkpoints\.jsonl"
    rf"|data/(allowlists|advice)(/{_NAME})+"
    r"|evidence/sha256/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}"
    rf"|keys/{_NAME})$"
)
_EVIDENCE = re.compile(r"^evidence/sha256/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})$")


def is_member_name(name: str) -> bool:
    """True for the names a backup may hold (nothing else is ever read out of one)."""
    return _MEMBER.match(name) is not None


def evidence_member(sha256: str) -> str:
    return f"evidence/sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def evidence_hash_of(member: str) -> str | None:
    """The SHA-256 an evidence member is named by (its path must agree with it), else None."""
    match = _EVIDENCE.match(member)
    if match is None or match.group(3)[:4] != match.group(1) + match.group(2):
        return None
    return match.group(3)


@dataclass(frozen=True, slots=True)
class FileEntry:
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a backup says of itself (written last into it, authenticated with the rest)."""

    created_at: str
    engine: str
    schema_revision: str
    tables: dict[str, int]
    files: dict[str, FileEntry]
    keys: dict[str, Any]
    keys_included: bool
    format: int = FORMAT
    tipline_version: str = ""

    @property
    def database_member(self) -> str:
        return SQLITE_MEMBER if self.engine == "sqlite" else PG_MEMBER

    @property
    def evidence_hashes(self) -> set[str]:
        return {h for name in self.files if (h := evidence_hash_of(name)) is not None}

    def as_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "tipline_version": self.tipline_version,
            "created_at": self.created_at,
            "engine": self.engine,
            "schema_revision": self.schema_revision,
            "tables": dict(sorted(self.tables.items())),
            "files": {
                name: {"sha256": f.sha256, "size": f.size} for name, f in sorted(self.files.items())
            },
            "keys": self.keys,
            "keys_included": self.keys_included,
        }


def manifest_from_json(data: Mapping[str, Any]) -> Manifest:
    """Read a manifest back; a missing or mistyped field raises KeyError, TypeError, ValueError."""
    if int(data["format"]) != FORMAT:
        raise ValueError(f"backup format {data['format']} (this tipline reads {FORMAT})")
    files = {
        str(name): FileEntry(str(entry["sha256"]), int(entry["size"]))
        for name, entry in data["files"].items()
    }
    return Manifest(
        created_at=str(data["created_at"]),
        engine=str(data["engine"]),
        schema_revision=str(data["schema_revision"]),
        tables={str(k): int(v) for k, v in data["tables"].items()},
        files=files,
        keys=dict(data["keys"]),
        keys_included=bool(data["keys_included"]),
        tipline_version=str(data.get("tipline_version", "")),
    )


@dataclass(frozen=True, slots=True)
class DatabaseFacts:
    """What a snapshot's own rows say: rows per table, revision, the evidence files it names."""

    tables: dict[str, int]
    schema_revision: str
    evidence_hashes: set[str] = field(default_factory=set)


def file_problems(expected: Mapping[str, FileEntry], found: Mapping[str, FileEntry]) -> list[str]:
    """Each member missing, extra, or not matching its recorded SHA-256 and size."""
    problems = [f"{name}: missing from the backup" for name in sorted(set(expected) - set(found))]
    problems += [f"{name}: not in the manifest" for name in sorted(set(found) - set(expected))]
    for name in sorted(set(expected) & set(found)):
        if expected[name] != found[name]:
            problems.append(f"{name}: its SHA-256 or size differs from the manifest's")
    return problems


def database_problems(manifest: Manifest, facts: DatabaseFacts) -> list[str]:
    """Each table whose rows differ from the manifest's count, a changed revision, and each
    evidence file the database names that the backup lacks (or holds without a row)."""
    problems = []
    if facts.schema_revision != manifest.schema_revision:
        problems.append(
            f"schema revision {facts.schema_revision!r}, the manifest says "
            f"{manifest.schema_revision!r}"
        )
    for table in sorted(set(manifest.tables) | set(facts.tables)):
        recorded, counted = manifest.tables.get(table), facts.tables.get(table)
        if recorded != counted:
            problems.append(f"table {table}: {counted} rows, the manifest says {recorded}")
    held = manifest.evidence_hashes
    problems += [f"evidence {h}: named by the database, not in the backup"
                 for h in sorted(facts.evidence_hashes - held)]  # fmt: skip
    problems += [f"evidence {h}: in the backup, named by no row"
                 for h in sorted(held - facts.evidence_hashes)]  # fmt: skip
    return problems


class Tracker(Protocol):
    """Where long work says how far it is (the CLI draws Rich progress bars)."""

    def begin(self, step: str, total: int) -> None: ...

    def advance(self, amount: int = 1) -> None: ...


class Silent:
    """A tracker that shows nothing (tests, periodic jobs)."""

    def begin(self, step: str, total: int) -> None:
        return None

    def advance(self, amount: int = 1) -> None:
        return None
