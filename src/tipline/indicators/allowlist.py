"""Well-known legitimate hosts: the curated list in the project plus an operator's MISP lists.

Two roles: `benign` hosts (a bank's real site, facebook.com) make a domain and the URLs on it
allowlisted; `shortener` hosts (bit.ly, linktr.ee) are allowlisted as domains, but a link on
them never is, since the short link is the criminal's.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from tipline.errors import InvalidInput

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
SUPPORTED_MISP_TYPES = ("hostname", "string", "cidr")


@dataclass(frozen=True)
class Allowlist:
    """Exact hosts, hosts with all their subdomains, and IP networks, by role."""

    exact: frozenset[str] = frozenset()
    with_subdomains: frozenset[str] = frozenset()
    shortener_hosts: frozenset[str] = frozenset()
    networks: tuple[IpNetwork, ...] = field(default=())

    @staticmethod
    def _matches(
        host: str, registrable: str, exact: frozenset[str], subtree: frozenset[str]
    ) -> bool:
        # Walk from the host up to its registrable domain, never above: `github.io` on a list
        # does not vouch for `anyone.github.io`, a domain of its own.
        if host in exact or host.removeprefix("www.") in exact:
            return True
        if host == registrable:  # the common case: one name to look up
            return host in subtree
        labels = host.split(".")
        depth = registrable.count(".") + 1
        return any(".".join(labels[i:]) in subtree for i in range(len(labels) - depth + 1))

    def is_benign_host(self, host: str, registrable: str) -> bool:
        """A known-legitimate host (shorteners included: the domain itself is not the scam)."""
        return self._matches(
            host, registrable, self.exact, self.with_subdomains
        ) or self.is_shortener(host, registrable)

    def is_shortener(self, host: str, registrable: str) -> bool:
        """A link shortener or link-in-bio host, whose links are never benign."""
        return self._matches(host, registrable, self.shortener_hosts, self.shortener_hosts)

    def is_benign_ip(self, address: str) -> bool:
        ip = ipaddress.ip_address(address)
        return any(ip in network for network in self.networks)

    def merged(self, other: Allowlist) -> Allowlist:
        return Allowlist(
            self.exact | other.exact,
            self.with_subdomains | other.with_subdomains,
            self.shortener_hosts | other.shortener_hosts,
            self.networks + other.networks,
        )


def _plain_hosts(lines: Iterable[str]) -> frozenset[str]:
    hosts = (line.split("#", 1)[0].strip().lower().rstrip(".") for line in lines)
    return frozenset(h for h in hosts if h)


def curated_allowlist() -> Allowlist:
    """The project's own curated lists (src/tipline/indicators/data)."""
    data = resources.files("tipline.indicators") / "data"
    benign = _plain_hosts((data / "allowlist.txt").read_text("utf-8").splitlines())
    shorteners = _plain_hosts((data / "shorteners.txt").read_text("utf-8").splitlines())
    return Allowlist(frozenset(), benign, shorteners)


def is_shortener_list(document: dict[str, Any]) -> bool:
    """MISP's URL-shortener and link-in-bio lists name themselves so."""
    title = f"{document.get('name', '')} {document.get('description', '')}".lower()
    return "shortener" in title or "link in bio" in title or "link-in-bio" in title


def parse_misp_warninglist(document: Any, *, source: str = "list") -> Allowlist:
    """An Allowlist from one MISP warninglist document; InvalidInput when it is not one."""
    if not isinstance(document, dict) or not isinstance(document.get("list"), list):
        raise InvalidInput(f"{source}: not a MISP warninglist (no 'list' array)")
    kind = document.get("type", "string")
    if kind not in SUPPORTED_MISP_TYPES:
        raise InvalidInput(
            f"{source}: warninglist type {kind!r} cannot serve as an allowlist "
            f"(supported: {', '.join(SUPPORTED_MISP_TYPES)})"
        )
    entries = [str(e).strip().lower() for e in document["list"] if str(e).strip()]
    if kind == "cidr":
        try:
            return Allowlist(networks=tuple(ipaddress.ip_network(e, strict=False) for e in entries))
        except ValueError as exc:
            raise InvalidInput(f"{source}: bad network in a cidr list: {exc}") from exc
    subtree = frozenset(e.lstrip(".").rstrip(".") for e in entries if e.startswith("."))
    exact = frozenset(e.rstrip(".") for e in entries if not e.startswith("."))
    if is_shortener_list(document):
        return Allowlist(shortener_hosts=subtree | exact)
    return Allowlist(exact=exact, with_subdomains=subtree)


def read_misp_file(path: Path) -> Allowlist:
    """Parse a MISP warninglist file with clear errors for unreadable or malformed files."""
    try:
        document = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path}: not JSON: {exc.msg} at line {exc.lineno}") from exc
    return parse_misp_warninglist(document, source=str(path))


def load_allowlist(operator_dir: Path | None) -> Allowlist:
    """The curated list merged with every `*.json` warninglist in the operator's folder."""
    allowlist = curated_allowlist()
    if operator_dir is not None and operator_dir.is_dir():
        for path in sorted(operator_dir.glob("*.json")):
            allowlist = allowlist.merged(read_misp_file(path))
    return allowlist
