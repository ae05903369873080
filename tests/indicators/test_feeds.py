"""Blocklist feeds: reading lines, idempotent import, and the real ChongLuaDao list."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tipline.errors import InvalidInput
from tipline.indicators.allowlist import curated_allowlist
from tipline.indicators.feeds import check_feed_names, decode_lines, feed_entry
from tipline.indicators.models import IndicatorRecord, IndicatorSource
from tipline.indicators.service import check_value, import_feed

CHONGLUADAO = Path("data/chongluadao-blocklist/urls.txt")

CURATED = curated_allowlist()  # the pure reading of a line takes the allowlist


def kinds_and_values(line: str) -> set[tuple[str, str]]:
    entry = feed_entry(1, line, CURATED)
    assert entry is not None
    return {(i.kind.value, i.value) for i in entry.indicators}


def test_a_host_is_its_registrable_domain() -> None:
    assert kinds_and_values("025.bk8vip.com") == {("domain", "bk8vip.com")}


def test_a_host_that_looks_like_a_file_name_is_still_a_host() -> None:
    assert kinds_and_values("moonlive.sh") == {("domain", "moonlive.sh")}


def test_a_page_on_a_legitimate_host_is_the_page_not_the_host() -> None:
    assert kinds_and_values("facebook.com/ho.tro.vcb") == {
        ("social", "facebook:ho.tro.vcb"), ("url", "http://facebook.com/ho.tro.vcb"),
    }  # fmt: skip
    app_page = kinds_and_values("apps.apple.com/us/app/robomine/id1517267484")
    assert app_page == {("url", "http://apps.apple.com/us/app/robomine/id1517267484")}


def test_a_bare_legitimate_host_is_skipped_with_a_reason() -> None:
    entry = feed_entry(7, "m.facebook.com", CURATED)
    assert entry is not None
    assert entry.indicators == ()
    assert entry.skipped == "a legitimate (allowlisted) host: not listed as a scam"


def test_comments_blank_lines_and_junk() -> None:
    assert feed_entry(1, "# comment", CURATED) is None
    assert feed_entry(2, "   ", CURATED) is None
    assert kinds_and_values("3.84.109.91  # seen 2025") == {("ip", "3.84.109.91")}
    junk = feed_entry(3, "hello world", CURATED)
    assert junk is not None
    assert junk.skipped == "not a domain, URL or IP address"


def test_non_utf8_feed_is_refused_with_the_line() -> None:
    with pytest.raises(InvalidInput) as caught:
        decode_lines(b"ok.com\nbad-\xff.com\n")
    assert caught.value.message.startswith("line 2: not valid UTF-8")


def test_source_and_category_are_checked() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_feed_names("<script>", "fraud.phishing")
    assert caught.value.field == "source"
    with pytest.raises(InvalidInput) as caught:
        check_feed_names("ChongLuaDao", "scam")
    assert caught.value.field == "category"


def sources_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(IndicatorSource)) or 0


def test_importing_a_feed_twice_adds_nothing(db_session: Session) -> None:
    feed = b"lua-dao-a.com\nlua-dao-b.com\nfacebook.com/scam.page\n"
    import_feed(db_session, feed, "TestFeed", "fraud.shopping")
    indicators = db_session.scalar(select(func.count()).select_from(IndicatorRecord))
    sources = sources_count(db_session)
    import_feed(db_session, feed, "TestFeed", "fraud.shopping")
    assert db_session.scalar(select(func.count()).select_from(IndicatorRecord)) == indicators
    assert sources_count(db_session) == sources == 4  # 2 domains, the page and its account


def test_the_real_chongluadao_list(db_session: Session, shared_dir: Path) -> None:
    path = shared_dir / CHONGLUADAO
    if not path.is_file():
        pytest.skip(f"ChongLuaDao blocklist not found at {path} (set TIPLINE_SHARED_DIR)")
    summary = import_feed(db_session, path.read_bytes(), "ChongLuaDao", "fraud.phishing")
    assert summary.lines == 34_468  # the README says 34,467: its last line has no newline
    assert len(summary.skipped) < 50
    reported = check_value(db_session, "0000a.net")
    assert (reported.verdict, reported.sources) == ("reported", ["ChongLuaDao"])
    page = check_value(db_session, "apps.apple.com/us/app/bookvietjet/id1346969467")
    assert page.verdict == "reported"
    for legitimate in ("facebook.com", "apple.com", "zalo.me", "youtube.com"):
        result = check_value(db_session, legitimate)
        assert result.verdict == "not_reported", legitimate
        assert result.allowlisted is True
    again = import_feed(db_session, path.read_bytes(), "ChongLuaDao", "fraud.phishing")
    assert again.lines == summary.lines


def test_a_link_on_a_listed_domain_is_reported_naming_the_domain(db_session: Session) -> None:
    import_feed(
        db_session, b"lua-dao-a.com\nfacebook.com/scam.page\n", "TestFeed", "fraud.shopping"
    )
    link = check_value(db_session, "hxxps://shop.lua-dao-a[.]com/login?x=1")
    assert (link.kind, link.value) == ("url", "https://shop.lua-dao-a.com/login?x=1")
    assert (link.verdict, link.reported_host, link.sources) == (
        "reported",
        "lua-dao-a.com",
        ["TestFeed"],
    )
    listed = check_value(db_session, "facebook.com/scam.page")
    assert (listed.verdict, listed.reported_host) == ("reported", None)
    # facebook.com is a legitimate host: another page on it is not reported through it
    other = check_value(db_session, "https://www.facebook.com/another.page")
    assert (other.verdict, other.reported_host) == ("not_reported", None)
    unknown = check_value(db_session, "https://chua-ai-bao.vn/x")
    assert (unknown.verdict, unknown.reported_host) == ("not_reported", None)
