"""Extraction with the installation's allowlist: the curated lists and the operator's under the
data folder (`Settings.allowlist_dir`), loaded once.

The pure functions (`extract_with`, `read.read_value`, …) take the allowlist as an argument;
these are the spec's `extract(text)` and its kin, for callers that use the installation's.
"""

from __future__ import annotations

from functools import lru_cache

from tipline.indicators import read
from tipline.indicators.allowlist import Allowlist, load_allowlist
from tipline.indicators.extract import extract_with
from tipline.indicators.types import Indicator, Kind


@lru_cache(maxsize=1)
def default_allowlist() -> Allowlist:
    """The curated allowlist plus the operator's lists under the data folder, loaded once."""
    # Imported here: the reading modules ship without the settings in `tipline-client`.
    from tipline.settings import get_settings

    return load_allowlist(get_settings().allowlist_dir)


def extract(text: str) -> list[Indicator]:
    """Every indicator in `text` per the spec, in order of first appearance."""
    return extract_with(text, default_allowlist())


def read_value(text: str, signal_type: str | None = None) -> Indicator | None:
    """The indicator a typed value stands for, or None when it is none of the spec's kinds
    (`signal_type`: see `read.read_value`)."""
    return read.read_value(text, default_allowlist(), signal_type)


def read_value_in_full(text: str) -> tuple[Indicator | None, list[Indicator]]:
    """`read_value`, and every indicator in the value (see `read.read_value_in_full`)."""
    return read.read_value_in_full(text, default_allowlist())


def canonical_value(kind: Kind, text: str) -> str | None:
    """The canonical value of `text` read as an indicator of `kind`, or None if it is not one."""
    return read.canonical_value(kind, text, default_allowlist())
