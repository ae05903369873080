"""The `extract` contract: every indicator in a text, canonical, once, with its first span."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from tipline.indicators.allowlist import Allowlist
from tipline.indicators.crypto import SHORTEST_TOKEN, find_wallets_and_hashes
from tipline.indicators.defang import Refanged, refang
from tipline.indicators.masks import is_masked_host, is_masked_name, touches_mask
from tipline.indicators.numbers import find_numbers
from tipline.indicators.psl import has_known_tld, registrable_domain
from tipline.indicators.social import (
    account_from_url,
    find_mentions,
    find_named_handles,
    is_invite_link,
)
from tipline.indicators.spans import Intervals
from tipline.indicators.types import Indicator, Kind
from tipline.indicators.urls import (
    _HOST,
    WWW_URL,
    bare_hosts,
    canonical_host,
    canonical_url,
    hosts_with_path,
    ip_host,
    is_domain_name,
    scheme_urls,
    trim_url,
)

EMAIL = re.compile(rf"(?<![\w.+%-])[\w.+%-]{{1,64}}@{_HOST}", re.IGNORECASE)
# `(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}…` written to begin with its first digit: the engine then
# skips to a digit in C before it tries the rest (a third faster than a leading lookahead). The
# lookbehind, moved past that digit, still tests the character before it.
IPV4 = re.compile(r"\d(?<![\w.]\d)\d{0,2}\.(?:\d{1,3}\.){2}\d{1,3}(?!\w|\.\d)")
# `phiên bản 1.2.3.4`, `version 10.0.19045.1` are software versions, not addresses.
_VERSION_BEFORE = re.compile(r"(?:version|phien ban|phiên bản|ver\.?|v|build|firmware)\s?$", re.I)
IPV6 = re.compile(
    r"(?=[0-9A-Fa-f:])(?<![\w.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:]|\.\w)"
)

Span = tuple[int, int]


class _Found:
    """Indicators by (kind, value), keeping the earliest span of each."""

    def __init__(self, refanged: Refanged) -> None:
        self._refanged = refanged
        self._items: dict[tuple[Kind, str], tuple[Span, bool]] = {}
        self.taken = Intervals()

    def add(self, kind: Kind, value: str, start: int, end: int, allowlisted: bool = False) -> None:
        span = self._refanged.original_span(start, end)
        key = (kind, value)
        known = self._items.get(key)
        if known is None or span[0] < known[0][0]:
            self._items[key] = (span, allowlisted)

    def is_taken(self, start: int, end: int) -> bool:
        return self.taken.overlaps(start, end)

    def indicators(self) -> list[Indicator]:
        ordered = sorted(self._items.items(), key=lambda item: (item[1][0][0], item[0][0]))
        return [Indicator(kind, value, flag, span) for (kind, value), (span, flag) in ordered]


def _url_candidates(text: str) -> Iterator[Span]:
    """Links with a scheme, then `www.` links, then hosts with a path; each trimmed, and
    left out when it overlaps one found before."""
    seen = Intervals()

    def unseen(spans: Iterator[Span]) -> Iterator[Span]:
        for start, raw_end in spans:
            end = start + len(trim_url(text[start:raw_end]))
            if end > start and not seen.overlaps(start, end):
                seen.add(start, end)
                yield (start, end)

    yield from unseen(scheme_urls(text))
    if "www." in text or "WWW." in text or "Www." in text:
        yield from unseen(match.span() for match in WWW_URL.finditer(text))
    yield from unseen(hosts_with_path(text, skip=seen))


def _host_indicator(host: str, allowlist: Allowlist) -> tuple[Kind, str, bool] | None:
    """What a URL's host names: its IP, or its registrable domain; and whether it is benign."""
    if ip_host(host):
        return Kind.IP, host, allowlist.is_benign_ip(host)
    registrable = registrable_domain(host)
    if registrable:
        return Kind.DOMAIN, registrable, allowlist.is_benign_host(registrable, registrable)
    return None


def _add_host(found: _Found, host: str, start: int, end: int, allowlist: Allowlist) -> None:
    """The domain (or ip) of a URL's host."""
    named = _host_indicator(host, allowlist)
    if named is not None:
        kind, value, benign = named
        found.add(kind, value, start, end, benign)


def link_host(link: str, allowlist: Allowlist) -> Indicator | None:
    """The domain (or IP) that a canonical URL (a URL indicator's value) names, as extraction
    reads it from the link, without reading the rest of the link again."""
    url = canonical_url(link)
    if url is None:
        return None
    named = _host_indicator(url.host, allowlist)
    if named is None:
        return None
    kind, value, benign = named
    return Indicator(kind, value, benign, (url.host_start, url.host_end))


def _find_urls(text: str, found: _Found, allowlist: Allowlist) -> None:
    for start, end in _url_candidates(text):
        url = canonical_url(text[start:end])
        if url is None:
            continue
        if is_masked_host(url.host) or touches_mask(text, start, start):
            found.taken.add(start, end)  # `https://xxx.vn/login`: no link, and nothing in it
            continue
        is_bare = "://" not in text[start:end] and not text[start:end].lower().startswith("www.")
        registrable = None if ip_host(url.host) else registrable_domain(url.host)
        if is_bare and (registrable is None or not is_domain_name(url.host)):
            continue  # `Tp.HCM/abc` is not a link: a scheme-less one needs a real public suffix
        found.taken.add(start, end)
        host_start, host_end = start + url.host_start, start + url.host_end
        _add_host(found, url.host, host_start, host_end, allowlist)
        account = account_from_url(url.url, registrable)
        benign = (
            registrable is not None
            and account is None
            and not is_invite_link(url.url, registrable)
            and allowlist.is_benign_host(url.host, registrable)
            and not allowlist.is_shortener(url.host, registrable)
        )
        found.add(Kind.URL, url.url, start, end, benign)
        if account:
            found.add(Kind.SOCIAL, account, start, end)


def _email_matches(text: str) -> Iterator[re.Match[str]]:
    """EMAIL's matches, as `finditer` gives them, with each search begun at most a local part's
    length before the next `@` (found by `str.find`) instead of at every character: a match
    holds an `@` at most 64 characters after its start, so none starts earlier."""
    position = 0
    while (at := text.find("@", position)) != -1:
        match = EMAIL.search(text, max(position, at - 64))
        if match is None:
            return
        yield match
        position = match.end()


def _find_emails(text: str, found: _Found) -> None:
    for match in _email_matches(text):
        start, end = match.span()
        local, _, host = match.group(0).rpartition("@")
        host = canonical_host(host) or ""
        if found.is_taken(start, end) or not registrable_domain(host) or local.startswith("."):
            continue
        found.taken.add(start, end)
        if is_masked_name(local) or is_masked_host(host) or touches_mask(text, start, start):
            continue  # `abc***@gmail.com`, `xxx@gmail.com`: an address someone hid
        found.add(Kind.EMAIL, f"{local.lower()}@{host}", start, end)


def _find_wallets_and_hashes(text: str, found: _Found) -> None:
    if len(text) < SHORTEST_TOKEN:
        return  # too short to hold an address or a digest: a typed phone or account
    for kind, item in find_wallets_and_hashes(text):
        found.taken.add(item.start, item.end)
        found.add(Kind(kind), item.value, item.start, item.end)


def _find_ips(text: str, found: _Found, allowlist: Allowlist) -> None:
    patterns = [IPV4] if text.count(".") >= 3 else []
    if "::" in text or text.count(":") >= 7:
        patterns.append(IPV6)
    for pattern in patterns:
        for match in pattern.finditer(text):
            start, end = match.span()
            if (
                found.is_taken(start, end)
                or _VERSION_BEFORE.search(text, max(0, start - 12), start)
                or touches_mask(text, start, end)
            ):
                continue
            try:
                address = ipaddress.ip_address(match.group(0))
            except ValueError:
                continue
            found.taken.add(start, end)
            found.add(
                Kind.IP, address.compressed, start, end, allowlist.is_benign_ip(address.compressed)
            )


def _find_bare_domains(text: str, found: _Found, allowlist: Allowlist) -> None:
    for start, end in bare_hosts(text, skip=found.taken):
        if found.is_taken(start, end) or not has_known_tld(text[start:end]):
            continue
        host = canonical_host(text[start:end])
        if host is None or not is_domain_name(host):
            continue
        found.taken.add(start, end)
        if not is_masked_host(host) and not touches_mask(text, start, end):
            _add_host(found, host, start, end, allowlist)


def _find_social_mentions(text: str, found: _Found) -> None:
    for account in find_mentions(text):
        if not found.is_taken(account.start, account.end):
            found.add(Kind.SOCIAL, account.value, account.start, account.end)


def _find_named_handles(text: str, found: _Found) -> None:
    """`nick Instagram hoang.anh.2k9`: the handle is taken, so its digits are no phone."""
    for account in find_named_handles(text):
        if not found.is_taken(account.start, account.end):
            found.taken.add(account.start, account.end)
            found.add(Kind.SOCIAL, account.value, account.start, account.end)


def _find_numbers(text: str, found: _Found) -> None:
    for number in find_numbers(text, found.taken):
        found.add(Kind(number.kind), number.value, number.start, number.end)


def extract_with(text: str, allowlist: Allowlist) -> list[Indicator]:
    """Every indicator in `text` per the spec, in order of first appearance; a domain, URL or
    IP of `allowlist` is marked allowlisted (`tipline.indicators.extract`: the installation's)."""
    refanged = refang(text)
    working = refanged.text
    found = _Found(refanged)
    _find_wallets_and_hashes(working, found)
    if "." in working or ":" in working:
        _find_urls(working, found, allowlist)
        if "@" in working:
            _find_emails(working, found)
        _find_ips(working, found, allowlist)
        _find_bare_domains(working, found, allowlist)
    if "@" in working:
        _find_social_mentions(working, found)
    _find_named_handles(working, found)
    _find_numbers(working, found)
    return found.indicators()
