"""The operator's profile for the pages: read once per change of its file."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from tipline.about.profile import Profile, ProfileError, read_profile
from tipline.settings import Settings

log = logging.getLogger(__name__)


def operator_profile(settings: Settings) -> Profile:
    """The profile of `settings.about_file`, or the default. A file broken after start-up (the
    server refuses to start on one) leaves the pages on the default, and says so in the log:
    a victim must still be able to report."""
    path = settings.about_file
    if path is None:
        return _read(None, 0)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = -1
    try:
        return _read(path, stamp)
    except ProfileError as error:
        log.error("about file unusable, showing the default: %s", error.message)
        return _read(None, 0)


@lru_cache(maxsize=4)
def _read(path: Path | None, stamp: int) -> Profile:
    return read_profile(path)
