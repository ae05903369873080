"""URLs and host names: finding them, trimming sentence punctuation, canonical forms."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import idna

from tipline.indicators.psl import has_known_tld, registrable_domain
from tipline.indicators.spans import Intervals

# A label of letters (any script), digits and hyphens; hosts are two or more labels.
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_HOST = rf"(?:{_LABEL}\.)+{_LABEL}"
_URL_BODY = r"[^\s<>\"'`\u201c\u201d\u2018\u2019\u00ab\u00bb]*"

URL_BODY = re.compile(_URL_BODY)
_SCHEME_BEFORE = re.compile(r"(?:https?|ftp)$", re.IGNORECASE)
# `(?<![\w.@/-])www\.…`, case ignored, written to begin with a plain `w` or `W` (the lookbehind
# moved past it): the engine then skips in C to a `w` instead of trying every character.
_WWW_REST = rf"(?i:(?<![\w.@/-].)ww\.{_HOST}(?::\d{{1,5}})?(?:[/?#]{_URL_BODY})?)"
WWW_URL = re.compile(rf"w{_WWW_REST}|W{_WWW_REST}")
HOST = re.compile(_HOST)
# A run of the characters a host name is made of: letters and digits of any script (what
# `str.isalnum()` accepts), `.`, `-` and `_`. (`\w` is exactly `isalnum()` plus `_`.)
_HOST_RUN = re.compile(r"[\w.\-]*")

_TRAILING = ".,)!?;:\"'\u201d\u2019\u00bb]}>"

# Extensions of common files that are also top-level domains: `script.py` is a file, not Paraguay.
FILE_SUFFIXES = frozenset(
    {"zip", "mov", "py", "md", "rs", "pl", "sh", "ps", "so", "cs", "exe", "apk", "pdf", "doc"}
)

DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21}


@dataclass(frozen=True, slots=True)
class CanonicalUrl:
    """A canonical URL and its host, plus where the host sits inside the matched text."""

    url: str
    host: str
    host_start: int
    host_end: int


def scheme_urls(text: str) -> Iterator[tuple[int, int]]:
    """[start, end) of every `http://`, `https://` and `ftp://` link (untrimmed)."""
    i = text.find("://")
    while i != -1:
        scheme = _SCHEME_BEFORE.search(text, max(0, i - 5), i)
        if scheme is not None and not (scheme.start() and text[scheme.start() - 1].isalnum()):
            end = URL_BODY.match(text, i + 3).end()  # type: ignore[union-attr]
            yield scheme.start(), end
            i = text.find("://", end)
        else:
            i = text.find("://", i + 3)


class _HostRuns:
    """Where the run of host characters that reaches a position starts, and where the one
    that leaves it ends, in one text (scanned by the regex engine, backwards on the reversed
    text, made once)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._reversed: str | None = None

    def start_before(self, position: int) -> int:
        if self._reversed is None:
            self._reversed = self._text[::-1]
        back = len(self._text) - position
        return position - (_HOST_RUN.match(self._reversed, back).end() - back)  # type: ignore[union-attr]

    def end_after(self, position: int) -> int:
        return _HOST_RUN.match(self._text, position).end()  # type: ignore[union-attr]


# `103.97.125.12.bit.ly`: an IPv4 address run into a host is read as the address, then the host,
# the same way with or without a path after it (the IP extractor takes the address).
_IPV4_PREFIX = re.compile(r"(?:\d{1,3}\.){4}(?=[^\W\d_])")


def _past_ip_prefix(text: str, start: int, end: int) -> int:
    if not text[start : start + 1].isdigit():  # the common case costs one character test
        return start
    prefix = _IPV4_PREFIX.match(text, start, end)
    return prefix.end() if prefix else start


def hosts_with_path(text: str, skip: Intervals | None = None) -> Iterator[tuple[int, int]]:
    """[start, end) of `host.tld/path` links written without a scheme (untrimmed). Slashes
    inside the `skip` spans (links found already) are passed over: a link through one of them
    would overlap what was found."""
    runs = _HostRuns(text)
    slash = _next(text, "/", 0, skip)
    while slash != -1:
        start = _past_ip_prefix(text, runs.start_before(slash), slash)
        before = text[start - 1] if start else " "
        if start < slash and before not in "@/" and HOST.fullmatch(text, start, slash):
            end = URL_BODY.match(text, slash).end()  # type: ignore[union-attr]
            yield start, end
            slash = _next(text, "/", end, skip)
        else:
            slash = _next(text, "/", slash + 1, skip)


def _next(text: str, character: str, position: int, skip: Intervals | None) -> int:
    """Where `character` next occurs from `position` on, outside the `skip` spans."""
    found = text.find(character, position)
    while skip is not None and found != -1:
        end = skip.end_covering(found)
        if end is None:
            break
        found = text.find(character, end)
    return found


def bare_hosts(text: str, skip: Intervals | None = None) -> Iterator[tuple[int, int]]:
    """[start, end) of every host-like `name.tld` token not inside a link or an address. Dots
    inside the `skip` spans (indicators found already) are passed over."""
    n = len(text)
    runs = _HostRuns(text)
    dot = _next(text, ".", 0, skip)
    while dot != -1:
        if 0 < dot < n - 1 and text[dot + 1].isalnum() and text[dot - 1].isalnum():
            start = runs.start_before(dot)
            end = runs.end_after(dot)
            while end > start and text[end - 1] in ".-_":
                end -= 1
            start = _past_ip_prefix(text, start, end)
            before = text[start - 1] if start else " "
            after = text[end] if end < n else " "
            if before not in "@/:" and after != "@" and HOST.fullmatch(text, start, end):
                yield start, end
            dot = _next(text, ".", max(end, dot + 1), skip)
        else:
            dot = _next(text, ".", dot + 1, skip)


def trim_url(candidate: str) -> str:
    """Drop trailing sentence punctuation, which is never part of a URL."""
    return candidate.rstrip(_TRAILING)


def canonical_host(host: str) -> str | None:
    """Lower-case, IDNA (punycode), no trailing dot; None when the host is not a valid name."""
    host = host.rstrip(".").lower()
    if not host or len(host) > 253:
        return None
    if host.isascii():
        return host if all(0 < len(label) <= 63 for label in host.split(".")) else None
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return None


def ip_host(host: str) -> str | None:
    """The compressed address when `host` is an IP literal, else None."""
    if not host or not (host[0].isdigit() or host[0] == "[" or ":" in host):
        return None
    try:
        return ipaddress.ip_address(host.strip("[]")).compressed
    except ValueError:
        return None


@lru_cache(maxsize=16384)
def canonical_url(text: str) -> CanonicalUrl | None:
    """The spec's canonical URL of `text` (already refanged and trimmed), or None. Kept for
    the links seen last: a campaign's link comes back in report after report."""
    if "://" not in text:
        text = "http://" + text
        offset = -len("http://")
    else:
        offset = 0
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    raw_host = parts.hostname or ""
    host = ip_host(raw_host) or canonical_host(raw_host)
    if not host or not parts.scheme:
        return None
    scheme = parts.scheme.lower()
    netloc_host = f"[{host}]" if ":" in host else host
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        netloc_host = f"{netloc_host}:{port}"
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = f"{userinfo}@{netloc_host}" if userinfo else netloc_host
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    host_start = text.lower().find(raw_host, len(scheme) + 3) if raw_host else -1
    start = max(host_start, 0) + offset
    return CanonicalUrl(f"{scheme}://{netloc}{path}{query}", host, start, start + len(raw_host))


def is_domain_name(host: str) -> bool:
    """A host that is a real registrable name (public suffix) and not a common file name."""
    if host.rsplit(".", 1)[-1] in FILE_SUFFIXES or not has_known_tld(host):
        return False
    return registrable_domain(host) is not None
