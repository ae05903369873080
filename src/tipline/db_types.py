"""Column types shared by every capability's models."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from tipline.keyring import KEY_FILE, KeyRing, MissingKey, ring_of
from tipline.messages import storable
from tipline.settings import get_settings

# A 64-bit key on PostgreSQL; SQLite only auto-increments a column declared INTEGER.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every backend (SQLite has no time zones: it stores naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


# Running servers see keys `tipline keys rotate` adds to the data folder's key file this soon.
RELOAD_SECONDS = 2.0


@dataclass
class _Installed:
    ring: KeyRing
    configured: str | None
    data_dir: Path
    stamp: int | None  # the key file's mtime when read; None for configured keys
    checked: float


_installed: list[_Installed] = []


def _stamp(data_dir: Path) -> int | None:
    try:
        return (data_dir / KEY_FILE).stat().st_mtime_ns
    except FileNotFoundError:
        return None


def use_data_keys(configured: str | None, data_dir: Path) -> KeyRing:
    """Make these the process's data keys (the app and the CLI, from their settings)."""
    ring = ring_of(configured, data_dir)
    stamp = None if configured else _stamp(data_dir)
    _installed[:] = [_Installed(ring, configured, data_dir, stamp, time.monotonic())]
    return ring


def data_keys() -> KeyRing:
    """The process's data keys: those given to `use_data_keys`, else the environment's; read
    again when the data folder's key file changed (checked every RELOAD_SECONDS)."""
    if not _installed:
        settings = get_settings()
        return use_data_keys(settings.data_keys, settings.data_dir)
    keys = _installed[0]
    now = time.monotonic()
    if keys.configured is None and now - keys.checked > RELOAD_SECONDS:
        keys.checked = now
        if _stamp(keys.data_dir) != keys.stamp:
            return use_data_keys(None, keys.data_dir)
    return keys.ring


def _open(value: str, label: str) -> str:
    try:
        return data_keys().open(value, label)
    except MissingKey:
        if not _installed or _installed[0].configured is not None:
            raise
        return use_data_keys(None, _installed[0].data_dir).open(value, label)  # added just now?


class EncryptedText(TypeDecorator[str]):
    """Text encrypted at rest under the data keys (tipline.keyring): the ORM and Core read
    and write plain text, the database holds `v1:<key id>:<ciphertext>`. `label` (table and
    column) binds each value to its column. Such a column can be read and written, not
    compared or searched in SQL: search goes through the keyed terms (Report.search_terms).

    `sqlite_length`: a column declared VARCHAR(n) before it was encrypted (PostgreSQL's is
    widened to TEXT; SQLite does not enforce the length, and rebuilding its table is not worth
    it), so that the models and the migrations agree."""

    impl = Text
    cache_ok = True

    def __init__(self, label: str, sqlite_length: int | None = None) -> None:
        super().__init__()
        self.label = label
        self.sqlite_length = sqlite_length

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite" and self.sqlite_length is not None:
            return dialect.type_descriptor(String(self.sqlite_length))
        return Text()

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        # Made storable first (no NUL, no lone surrogate): as every other text, but before it is
        # encrypted, where tipline.db's last guard can no longer see it.
        return None if value is None else data_keys().seal(storable(value), self.label)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else _open(value, self.label)
