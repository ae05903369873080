"""Reading a blocklist feed: one domain, URL or IP a line, `#` comments. Pure: no database.

A line that is a page on a legitimate host (`facebook.com/xyz`, `zalo.me/xyz`, an app-store
page) reports that page (its URL, and its social account if it has one) but never the host:
an allowlisted domain is not attributed to a feed, so facebook.com never becomes a scam domain.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tipline.errors import InvalidInput
from tipline.indicators.allowlist import Allowlist
from tipline.indicators.extract import extract_with
from tipline.indicators.types import Indicator, Kind
from tipline.vocabulary import CATEGORIES

SOURCE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._\-]{0,99}$")
MAX_LINE_LENGTH = 4096


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """The indicators one feed line attributes to the feed, or why the line is skipped."""

    line: int
    indicators: tuple[Indicator, ...]
    skipped: str | None = None


def check_feed_names(source: str, category: str) -> None:
    """InvalidInput unless the source is a plain name and the category a triage category."""
    if not SOURCE_NAME.match(source):
        raise InvalidInput(
            "a source name is letters, digits, spaces, '.', '_' or '-' (at most 100)",
            field="source",
        )
    if category not in CATEGORIES:
        raise InvalidInput(
            f"unknown category {category!r}: one of {', '.join(CATEGORIES)}", field="category"
        )


def decode_lines(raw: bytes) -> list[str]:
    """The file's lines; a file that is not UTF-8 is refused, naming the first bad line."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        message = f"line {line}: not valid UTF-8 (byte {exc.start})"
        raise InvalidInput(message, field="file") from exc
    return text.splitlines()


def feed_entry(number: int, line: str, allowlist: Allowlist) -> FeedEntry | None:
    """What one line attributes (a host of `allowlist` is never listed); None for a blank or
    comment line."""
    text = line.split(" #", 1)[0].strip()
    if not text or text.startswith("#"):
        return None
    if len(text) > MAX_LINE_LENGTH:
        return FeedEntry(number, (), f"longer than {MAX_LINE_LENGTH} characters")
    found = extract_with(text, allowlist) or _as_host(text, allowlist)
    kept = tuple(i for i in found if not (i.kind == Kind.DOMAIN and i.allowlisted))
    if kept:
        return FeedEntry(number, kept)
    if found:
        return FeedEntry(number, (), "a legitimate (allowlisted) host: not listed as a scam")
    return FeedEntry(number, (), "not a domain, URL or IP address")


def _as_host(text: str, allowlist: Allowlist) -> list[Indicator]:
    """A line that reads as a file name in prose (`moonlive.sh`) is still a host in a blocklist."""
    if any(c.isspace() for c in text) or "://" in text or "/" in text:
        return []
    found = extract_with(f"http://{text}", allowlist)
    return [i for i in found if i.kind in (Kind.DOMAIN, Kind.IP)]


def feed_entries(lines: list[str], allowlist: Allowlist) -> Iterator[FeedEntry]:
    """Every non-comment line's entry, numbered from 1."""
    for number, line in enumerate(lines, start=1):
        entry = feed_entry(number, line, allowlist)
        if entry is not None:
            yield entry
