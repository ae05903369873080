"""Blocklist feeds: reading lines, idempotent import, and the real ChongLuaDao list."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.conftest import ReportMaker

from tipline.errors import InvalidInput
from tipline.indicators import service as indicator_service
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


def stored_feed(session: Session) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Every indicator and every listing as rows in a fixed order, first and last seen last."""
    rows = select(IndicatorRecord.id, IndicatorRecord.kind, IndicatorRecord.value,
                  IndicatorRecord.allowlisted, IndicatorRecord.report_count,
                  IndicatorRecord.first_seen, IndicatorRecord.last_seen)  # fmt: skip
    listings = select(IndicatorSource.id, IndicatorSource.indicator_id, IndicatorSource.source,
                      IndicatorSource.category, IndicatorSource.first_seen,
                      IndicatorSource.last_seen)  # fmt: skip
    return (
        [tuple(r) for r in session.execute(rows.order_by(IndicatorRecord.id))],
        [tuple(r) for r in session.execute(listings.order_by(IndicatorSource.id))],
    )


def without_last_seen(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    return [row[:-1] for row in rows]


def test_importing_a_feed_twice_adds_nothing_and_only_moves_last_seen(
    db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = b"lua-dao-a.com\nlua-dao-b.com\nfacebook.com/scam.page\n"
    first, later = datetime(2026, 3, 1, 8, tzinfo=UTC), datetime(2026, 3, 2, 8, tzinfo=UTC)
    monkeypatch.setattr(indicator_service, "utc_now", lambda: first)
    import_feed(db_session, feed, "TestFeed", "fraud.shopping")
    indicators, listings = stored_feed(db_session)
    assert len(listings) == 4  # 2 domains, the page and its account
    monkeypatch.setattr(indicator_service, "utc_now", lambda: later)
    again = import_feed(db_session, feed, "TestFeed", "fraud.shopping")
    indicators_again, listings_again = stored_feed(db_session)
    assert again.attributed == 4
    assert without_last_seen(indicators_again) == without_last_seen(indicators)
    assert without_last_seen(listings_again) == without_last_seen(listings)
    assert {row[-2:] for row in indicators_again + listings_again} == {(first, later)}


def test_a_feed_imported_again_under_another_category_changes_only_its_listings(
    db_session: Session, make_report: ReportMaker
) -> None:
    make_report("Lừa đảo qua trang lua-dao-a.com, tôi mất 2.000.000đ")
    import_feed(db_session, b"lua-dao-a.com\n", "TestFeed", "fraud.shopping")
    import_feed(db_session, b"lua-dao-a.com\nlua-dao-c.com\n", "TestFeed", "fraud.phishing")
    listed = db_session.execute(
        select(IndicatorRecord.value, IndicatorRecord.report_count, IndicatorSource.category)
        .join(IndicatorSource, IndicatorSource.indicator_id == IndicatorRecord.id)
        .order_by(IndicatorRecord.value)
    ).all()
    assert [tuple(row) for row in listed] == [
        ("lua-dao-a.com", 1, "fraud.phishing"), ("lua-dao-c.com", 0, "fraud.phishing"),
    ]  # fmt: skip


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
        assert result.verdict == "allowlisted", legitimate
        assert (result.allowlisted, result.report_count) == (True, 0)
    indicators, listings = stored_feed(db_session)
    again = import_feed(db_session, path.read_bytes(), "ChongLuaDao", "fraud.phishing")
    assert (again.lines, again.attributed) == (summary.lines, summary.attributed)
    indicators_again, listings_again = stored_feed(db_session)
    assert without_last_seen(indicators_again) == without_last_seen(indicators)
    assert without_last_seen(listings_again) == without_last_seen(listings)


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
