"""The allowlist: curated data, MISP warninglists from ../shared/data, and how links are judged."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tipline.errors import InvalidInput
from tipline.indicators import Kind
from tipline.indicators.allowlist import (
    Allowlist,
    curated_allowlist,
    load_allowlist,
    parse_misp_warninglist,
    read_misp_file,
)
from tipline.indicators.extract import extract_with

SHARED = Path(os.environ.get("TIPLINE_SHARED_DIR", Path(__file__).parents[3] / "shared"))
MISP = SHARED / "data" / "misp-warninglists" / "lists"
needs_misp = pytest.mark.skipif(not MISP.is_dir(), reason=f"MISP warninglists not found at {MISP}")


def flags(text: str, allowlist: Allowlist) -> dict[tuple[Kind, str], bool]:
    return {(i.kind, i.value): i.allowlisted for i in extract_with(text, allowlist)}


def test_curated_list_has_banks_platforms_and_shorteners() -> None:
    curated = curated_allowlist()
    for host in ("vietcombank.com.vn", "facebook.com", "zalo.me", "gmail.com", "chinhphu.vn"):
        assert curated.is_benign_host(host, host), host
    assert curated.is_shortener("bit.ly", "bit.ly")
    assert not curated.is_benign_host("vietcombank-xacthuc.com", "vietcombank-xacthuc.com")


def test_leading_dot_means_subdomains_and_plain_entry_means_exact() -> None:
    parsed = parse_misp_warninglist({"type": "hostname", "list": [".bank.example", "shop.example"]})
    assert parsed.is_benign_host("ib.bank.example", "bank.example")
    assert parsed.is_benign_host("shop.example", "shop.example")
    assert not parsed.is_benign_host("evil.shop.example", "shop.example")


def test_a_listed_private_suffix_does_not_vouch_for_its_tenants() -> None:
    parsed = parse_misp_warninglist({"type": "hostname", "list": [".github.io"]})
    assert not parsed.is_benign_host("scam.github.io", "scam.github.io")


@needs_misp
def test_real_shortener_and_link_in_bio_lists_never_make_a_link_benign() -> None:
    allowlist = curated_allowlist()
    for name in ("url-shortener", "link-in-bio", "tranco10k", "bank-website"):
        allowlist = allowlist.merged(read_misp_file(MISP / name / "list.json"))
    found = flags(
        "nhận quà tại https://linktr.ee/qua-tang và bit.ly/3xYz, xem google.com", allowlist
    )
    assert found[(Kind.URL, "https://linktr.ee/qua-tang")] is False
    assert found[(Kind.DOMAIN, "linktr.ee")] is True
    assert found[(Kind.URL, "http://bit.ly/3xYz")] is False
    assert found[(Kind.DOMAIN, "google.com")] is True


@needs_misp
def test_cidr_lists_mark_addresses() -> None:
    apple = read_misp_file(MISP / "apple" / "list.json")
    found = flags("máy chủ 17.253.144.10 và 103.97.125.12", apple)
    assert found[(Kind.IP, "17.253.144.10")] is True
    assert found[(Kind.IP, "103.97.125.12")] is False


@needs_misp
def test_every_shared_list_of_a_supported_type_loads(tmp_path: Path) -> None:
    for folder in sorted(MISP.iterdir()):
        document = json.loads((folder / "list.json").read_text("utf-8"))
        if document["type"] in ("hostname", "string", "cidr"):
            (tmp_path / f"{folder.name}.json").write_text(json.dumps(document))
    merged = load_allowlist(tmp_path)
    assert len(merged.exact) > 15_000
    assert len(merged.networks) > 5_000


def test_social_urls_on_benign_hosts_are_not_allowlisted_but_other_pages_are() -> None:
    found = flags("https://www.facebook.com/help và facebook.com/Nguyen.Van.A", curated_allowlist())
    assert found[(Kind.URL, "https://www.facebook.com/help")] is True
    assert found[(Kind.URL, "http://facebook.com/Nguyen.Van.A")] is False
    assert found[(Kind.SOCIAL, "facebook:nguyen.van.a")] is False


def test_unsupported_type_is_a_clear_error() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_misp_warninglist({"type": "substring", "list": ["x"]}, source="d.json")
    assert caught.value.message == (
        "d.json: warninglist type 'substring' cannot serve as an allowlist "
        "(supported: hostname, string, cidr)"
    )
