"""Registrable domains by the Public Suffix List (private suffixes included), never fetched.

tldextract is told to use only the snapshot it ships with: no network, no cache folder.
"""

from __future__ import annotations

from functools import lru_cache

import tldextract

_EXTRACT = tldextract.TLDExtract(
    suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
)


def _top_level_labels() -> frozenset[str]:
    labels: set[str] = set()
    for suffix in _EXTRACT.tlds:
        label = suffix.rsplit(".", 1)[-1].lower()
        labels.add(label)
        if not label.isascii():
            try:
                labels.add(label.encode("idna").decode("ascii"))
            except UnicodeError:
                pass
    return frozenset(labels)


TOP_LEVEL_LABELS = _top_level_labels()


def has_known_tld(host: str) -> bool:
    """A cheap first test: does the host end in a label that some public suffix ends in?"""
    return host.rsplit(".", 1)[-1].lower().rstrip(".") in TOP_LEVEL_LABELS


@lru_cache(maxsize=65536)
def registrable_domain(host: str) -> str | None:
    """`ib.shop.example.com.vn` → `example.com.vn`; None when the host has no public suffix."""
    parts = _EXTRACT.extract_str(host)
    if not parts.suffix or not parts.domain:
        return None
    return f"{parts.domain}.{parts.suffix}"
