"""The peer extractors bench/extract.py compares tipline with, and the mapping of their
outputs to the indicators spec's kinds and canonical values (as fair to them as we can make it).

Each peer is imported only when asked for, so that the bench runs without them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Pair = tuple[str, str]


# ---------------------------------------------------------------- canonical forms for peers


def _registrable(host: str) -> str | None:
    from tldextract import TLDExtract

    global _TLD
    if _TLD is None:  # the bundled snapshot only: never fetch
        _TLD = TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)
    parts = _TLD(host)
    domain = getattr(parts, "top_domain_under_public_suffix", None) or parts.registered_domain
    return domain.lower() if domain else None


_TLD: Any = None
_TRAILING = ".,;:!?)]}>\"'”’»"


def canonical_url(raw: str) -> str | None:
    """The spec's canonical URL for a string a peer returned (which may lack a scheme)."""
    from urllib.parse import urlsplit

    raw = raw.strip().rstrip(_TRAILING)
    raw = raw.replace("hxxp", "http").replace("[.]", ".").replace("[:]", ":")
    if "://" not in raw:
        raw = "http://" + raw
    try:
        parts = urlsplit(raw)
        host, port = (parts.hostname or "").rstrip("."), parts.port
        host = host.encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        return None
    if not host:
        return None
    scheme = parts.scheme.lower()
    netloc = f"[{host}]" if ":" in host else host
    if port and (scheme, port) not in (("http", 80), ("https", 443)):
        netloc += f":{port}"
    query = f"?{parts.query}" if parts.query else ""
    return f"{scheme}://{netloc}{parts.path or '/'}{query}"


def canonical_ip(raw: str) -> str | None:
    import ipaddress

    try:
        return str(ipaddress.ip_address(raw.strip().replace("[.]", ".").split("%")[0]))
    except ValueError:
        return None


def canonical_hash(raw: str) -> Pair | None:
    algo = {32: "md5", 40: "sha1", 64: "sha256"}.get(len(raw))
    return ("hash", f"{algo}:{raw.lower()}") if algo else None


def canonical_phone(raw: str) -> Pair | None:
    import phonenumbers

    try:
        number = phonenumbers.parse(raw, "VN")
    except phonenumbers.NumberParseException:
        return ("phone", raw)  # an unparsable "phone" still counts as what the tool claimed
    if not phonenumbers.is_valid_number(number):
        return ("phone", raw)
    return ("phone", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def canonical_crypto(chain: str, raw: str) -> Pair:
    lowered = chain == "eth" or raw.lower().startswith("bc1")
    return ("crypto", f"{chain}:{raw.lower() if lowered else raw}")


def url_pairs(raw: str) -> list[Pair]:
    value = canonical_url(raw)
    return [("url", value)] if value else []


def domain_pairs(raw: str) -> list[Pair]:
    if canonical_ip(raw):
        return []
    domain = _registrable(raw.strip().rstrip(".").lower())
    return [("domain", domain)] if domain else []


def ip_pairs(raw: str) -> list[Pair]:
    value = canonical_ip(raw)
    return [("ip", value)] if value else []


# ---------------------------------------------------------------- the peers


@dataclass(frozen=True)
class Peer:
    """A peer extractor: `extract` is what is timed, `pairs` maps its output to spec pairs."""

    name: str
    kinds: tuple[str, ...]
    extract: Callable[[str], Any]
    pairs: Callable[[Any], set[Pair]]


def iocextract_peer() -> Peer:
    iocextract = importlib.import_module("iocextract")

    def extract(text: str) -> tuple[list[str], ...]:
        return (
            list(iocextract.extract_urls(text, refang=True)),
            list(iocextract.extract_emails(text, refang=True)),
            list(iocextract.extract_ips(text, refang=True)),
            list(iocextract.extract_hashes(text)),
            list(iocextract.extract_telephone_nums(text)),
        )

    def pairs(raw: tuple[list[str], ...]) -> set[Pair]:
        urls, emails, ips, hashes, phones = raw
        out = {p for u in urls for p in url_pairs(u)} | {p for i in ips for p in ip_pairs(i)}
        out |= {("email", e.lower()) for e in emails}
        out |= {p for h in hashes if (p := canonical_hash(h))}
        return out | {p for n in phones if (p := canonical_phone(n))}

    return Peer("iocextract", ("url", "email", "ip", "hash", "phone"), extract, pairs)


def ioc_finder_peer() -> Peer:
    find_iocs = importlib.import_module("ioc_finder").find_iocs

    def extract(text: str) -> Any:
        # An email yields no domain in the spec: ask ioc-finder not to parse one out of it.
        return find_iocs(text, parse_domain_from_email_address=False, parse_unicode_iocs=True)

    def pairs(raw: Any) -> set[Pair]:
        out = {p for u in raw.get("urls", []) for p in url_pairs(u)}
        out |= {p for d in raw.get("domains", []) for p in domain_pairs(d)}
        out |= {("email", e.lower()) for e in raw.get("email_addresses", [])}
        out |= {p for key in ("ipv4s", "ipv6s") for i in raw.get(key, []) for p in ip_pairs(i)}
        return out | {
            p
            for key in ("md5s", "sha1s", "sha256s")
            for h in raw.get(key, [])
            if (p := canonical_hash(h))
        }

    return Peer("ioc-finder", ("url", "domain", "email", "ip", "hash"), extract, pairs)


IOCSEARCHER_SOCIAL = {
    "facebookHandle": "facebook",
    "instagramHandle": "instagram",
    "telegramHandle": "telegram",
    "twitterHandle": "x",
    "youtubeHandle": "youtube",
}
IOCSEARCHER_CHAINS = {"bitcoin": "btc", "ethereum": "eth", "tron": "trx"}


def iocsearcher_pair(name: str, value: str) -> list[Pair]:
    if name == "url":
        return url_pairs(value)
    if name == "fqdn":
        return domain_pairs(value)
    if name in ("ip4", "ip6"):
        return ip_pairs(value)
    if name == "email":
        return [("email", value.lower())]
    if name in ("md5", "sha1", "sha256"):
        return [("hash", f"{name}:{value.lower()}")]
    if name in IOCSEARCHER_CHAINS:
        return [canonical_crypto(IOCSEARCHER_CHAINS[name], value)]
    if name == "phoneNumber":
        return [p for p in [canonical_phone(value)] if p]
    if name in IOCSEARCHER_SOCIAL:
        return [("social", f"{IOCSEARCHER_SOCIAL[name]}:{value.lstrip('@').lower()}")]
    return []


def iocsearcher_peer() -> Peer:
    searcher = importlib.import_module("iocsearcher.searcher").Searcher()

    def pairs(raw: Any) -> set[Pair]:
        return {p for ioc in raw for p in iocsearcher_pair(ioc.name, ioc.value)}

    kinds = ("url", "domain", "email", "ip", "hash", "crypto", "phone", "social")
    return Peer("iocsearcher", kinds, searcher.search_data, pairs)


PEERS: dict[str, Callable[[], Peer]] = {
    "iocextract": iocextract_peer,
    "ioc-finder": ioc_finder_peer,
    "iocsearcher": iocsearcher_peer,
}
