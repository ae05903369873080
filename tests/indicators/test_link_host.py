"""`link_host`: the domain or IP of a link, the same that extraction reads from the link."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tipline.indicators import Kind, default_allowlist, extract
from tipline.indicators.extract import link_host

CORPUS = Path(__file__).parent / "corpus" / "messages.jsonl"


def corpus_links() -> list[str]:
    with CORPUS.open(encoding="utf-8") as lines:
        messages = [json.loads(line) for line in lines if line.strip()]
    links = {e["value"] for m in messages for e in m["expected"] if e["kind"] == "url"}
    return sorted(links)


def by_extraction(link: str) -> tuple[str, str, bool] | None:
    for found in extract(link):
        if found.kind in (Kind.DOMAIN, Kind.IP):
            return (found.kind.value, found.value, found.allowlisted)
    return None


@pytest.mark.parametrize(
    "link",
    [
        *corpus_links(),
        "https://103.97.125.12/login",
        "http://[2001:db8::1]/x",
        "https://www.facebook.com/profile.php?id=1",
        "https://bit.ly/3xYz",
        "https://sub.evil-bank.com.vn/otp?next=https://vietcombank.com.vn",
    ],
)
def test_the_host_is_the_one_extraction_reads(link: str) -> None:
    host = link_host(link, default_allowlist())
    read = None if host is None else (host.kind.value, host.value, host.allowlisted)
    assert read == by_extraction(link)


def test_the_corpus_has_links_to_compare() -> None:
    assert len(corpus_links()) > 30
    assert by_extraction("https://bit.ly/3xYz") is not None
