"""Checking values against the database: verdicts, counts, categories, feeds, confirmation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tipline.errors import InvalidInput, TooLarge
from tipline.indicators import repository
from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.indicators.schemas import CheckRejected, CheckResult
from tipline.indicators.service import check_value, check_values, import_feed


def test_a_value_in_no_report_is_not_reported(db_session: Session) -> None:
    result = check_value(db_session, "0912 000 111")
    assert result.kind == "phone"
    assert result.value == "+84912000111"
    assert result.verdict == "not_reported"
    assert result.report_count == 0
    assert result.categories == {}
    assert result.first_seen is None


def test_a_reported_value_written_another_way_is_found(db_session: Session, make_report) -> None:
    first = make_report("Kẻ gian gọi từ 0987.654.321 đòi chuyển tiền.")
    second = make_report("Số (+84) 987654321 lại gọi.")
    result = check_value(db_session, "+84 987-654-321")
    assert result.verdict == "reported"
    assert result.report_count == 2
    expected: dict[str, int] = {}
    for category in (first.category, second.category):
        expected[category] = expected.get(category, 0) + 1
    assert result.categories == expected
    assert result.confirmed is False
    assert result.first_seen is not None
    assert result.last_seen is not None
    assert result.first_seen <= result.last_seen


def test_an_account_typed_with_its_bank(db_session: Session, make_report) -> None:
    make_report("Chuyển khoản vào STK 0123456789 Vietcombank.")
    result = check_value(db_session, "VCB 0123456789")
    assert (result.kind, result.value, result.verdict) == (
        "bank_account", "VCB:0123456789", "reported",
    )  # fmt: skip


@pytest.mark.parametrize(
    "typed", ["instagram hoang.anh.2k9", "IG @Hoang.Anh.2k9", "ig:@hoang.anh.2k9"]
)
def test_a_handle_typed_with_its_platform_finds_the_reports_naming_it(
    db_session: Session, make_report, typed: str
) -> None:
    make_report("Con em bị nick Instagram hoang.anh.2k9 dọa tung ảnh.")
    result = check_value(db_session, typed)
    assert (result.kind, result.value, result.verdict, result.report_count) == (
        "social", "instagram:hoang.anh.2k9", "reported", 1,
    )  # fmt: skip


def test_confirmed_once_an_analyst_confirms_a_link(db_session: Session, make_report) -> None:
    make_report("Lừa đảo qua số 0987 654 321.")
    assert check_value(db_session, "0987654321").confirmed is False
    record_id = db_session.scalars(
        select(IndicatorRecord.id).where(IndicatorRecord.value == "+84987654321")
    ).one()
    db_session.execute(
        update(ReportIndicator)
        .where(ReportIndicator.indicator_id == record_id)
        .values(confirmed=True)
    )
    assert check_value(db_session, "0987654321").confirmed is True


def test_allowlisted_domain_is_said_to_be_known_legitimate(
    db_session: Session, make_report
) -> None:
    make_report("Tôi tìm thấy trang này trên facebook.com rồi bị lừa.")
    result = check_value(db_session, "facebook.com")
    assert result.allowlisted is True


def test_unreadable_value_is_a_clear_invalid_input(db_session: Session) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_value(db_session, "hello there")
    assert caught.value.field == "value"
    assert "not a phone number" in caught.value.message
    with pytest.raises(InvalidInput):
        check_value(db_session, "0" * 3000)


def test_bulk_check_answers_in_order_and_rejects_singly(db_session: Session, make_report) -> None:
    make_report("Gọi từ 0987 654 321.")
    results = check_values(db_session, ["nonsense", "0987654321", "0911 222 333", "0987654321"])
    assert isinstance(results[0], CheckRejected)
    assert results[0].input == "nonsense"
    verdicts = [r.verdict for r in results[1:] if isinstance(r, CheckResult)]
    assert verdicts == ["reported", "not_reported", "reported"]


def test_bulk_check_takes_at_most_1000_values(db_session: Session) -> None:
    assert len(check_values(db_session, ["0912345678"] * 1000)) == 1000
    with pytest.raises(TooLarge):
        check_values(db_session, ["0912345678"] * 1001)


def test_feed_entries_are_reported_with_the_source_named(db_session: Session) -> None:
    feed = (
        b"# a test feed\nlua-dao-test.com\nhttps://phish-test.net/login # comment\n103.97.125.12\n"
    )
    summary = import_feed(db_session, feed, "TestFeed", "fraud.phishing")
    assert summary.lines == 3
    assert summary.skipped == []
    result = check_value(db_session, "https://www.lua-dao-test.com/")
    assert result.kind == "url"
    domain = check_value(db_session, "lua-dao-test.com")
    assert domain.verdict == "reported"
    assert domain.report_count == 0
    assert domain.sources == ["TestFeed"]
    assert domain.categories == {"fraud.phishing": 1}
    assert domain.feeds[0].source == "TestFeed"
    assert check_value(db_session, "phish-test.net").sources == ["TestFeed"]
    assert check_value(db_session, "103.97.125[.]12").verdict == "reported"


def test_upsert_widens_seen_dates_and_adds_counts(db_session: Session) -> None:
    early, late = datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)
    sighting = repository.IndicatorSighting
    repository.upsert_indicators(
        db_session, [sighting("phone", "+84900000001", False, late, late, 1)]
    )
    repository.upsert_indicators(
        db_session,
        [sighting("phone", "+84900000001", False, early, early, 2),
         sighting("phone", "+84900000001", False, late, late, 1)],
    )  # fmt: skip
    record = db_session.scalars(
        select(IndicatorRecord).where(IndicatorRecord.value == "+84900000001")
    ).one()
    db_session.refresh(record)
    assert (record.report_count, record.first_seen, record.last_seen) == (4, early, late)


def test_a_legitimate_host_is_never_reported_by_the_reports_that_name_it(
    db_session: Session, make_report
) -> None:
    make_report("Tôi tìm thấy trang này trên facebook.com rồi bị lừa mất 5 triệu.")
    make_report("Kẻ gian nhắn tin qua facebook.com, giả làm người quen vay tiền.")
    record_id = db_session.scalars(
        select(IndicatorRecord.id).where(IndicatorRecord.value == "facebook.com")
    ).one()
    db_session.execute(
        update(ReportIndicator)
        .where(ReportIndicator.indicator_id == record_id)
        .values(confirmed=True)
    )
    for typed in ("facebook.com", "https://www.facebook.com/", "m.facebook.com"):
        result = check_value(db_session, typed)
        assert result.verdict == "allowlisted", typed
        assert (result.report_count, result.categories, result.confirmed) == (0, {}, False)
        assert (result.first_seen, result.last_seen, result.accounts) == (None, None, [])
    assert check_value(db_session, "zalo.me").verdict == "allowlisted"  # named by no report


def test_a_feed_that_lists_a_page_on_a_legitimate_host_is_still_shown(db_session: Session) -> None:
    feed = b"https://sites.google.com/view/vcb-hoan-tien\n"
    import_feed(db_session, feed, "ChongLuaDao", "fraud.phishing")
    result = check_value(db_session, "https://sites.google.com/view/vcb-hoan-tien")
    assert result.allowlisted is True
    assert (result.verdict, result.sources, result.report_count) == ("reported", ["ChongLuaDao"], 0)


SLIP = "0451000123999"


def test_a_bare_account_number_finds_the_account_at_any_bank(
    db_session: Session, make_report
) -> None:
    for amount in (2, 5, 7):
        make_report(f"Tôi chuyển {amount} triệu vào STK {SLIP} Vietcombank rồi bị chặn.")
    make_report(f"Chuyển cọc vào tài khoản Techcombank {SLIP}, người bán biến mất.")
    result = check_value(db_session, SLIP)
    assert (result.kind, result.value, result.verdict) == (
        "bank_account", f"UNKNOWN:{SLIP}", "reported",
    )  # fmt: skip
    assert result.report_count == 4
    assert [(a.bank, a.report_count) for a in result.accounts] == [("VCB", 3), ("TCB", 1)]
    assert sum(result.categories.values()) == 4


def test_an_account_reported_without_a_bank_is_found_when_checked_with_one(
    db_session: Session, make_report
) -> None:
    make_report(f"Nó bảo chuyển khoản vào số tài khoản {SLIP}, tôi đã chuyển 3 triệu.")
    with_bank = check_value(db_session, f"VCB {SLIP}")
    assert (with_bank.value, with_bank.verdict, with_bank.report_count) == (
        f"VCB:{SLIP}", "reported", 1,
    )  # fmt: skip
    assert [(a.value, a.bank) for a in with_bank.accounts] == [(f"UNKNOWN:{SLIP}", "UNKNOWN")]
    make_report(f"Chuyển vào ACB {SLIP} mua vé, không nhận được vé.")
    assert check_value(db_session, f"VCB {SLIP}").report_count == 1  # ACB's is another account
    assert check_value(db_session, f"ACB {SLIP}").report_count == 2
    assert [a.bank for a in check_value(db_session, f"TCB {SLIP}").accounts] == ["UNKNOWN"]
    assert check_value(db_session, "VCB 0451000123998").verdict == "not_reported"


def test_a_bulk_check_finds_accounts_across_banks_in_order(
    db_session: Session, make_report
) -> None:
    make_report(f"Lừa đảo, chuyển vào STK {SLIP} Vietcombank.")
    make_report("Số tài khoản 19035566778801 nhận tiền lừa đảo.")
    results = check_values(
        db_session, [SLIP, "TCB 19035566778801", "VCB 19035566778801", "0912000111", SLIP]
    )
    assert all(isinstance(r, CheckResult) for r in results)
    checked = [r for r in results if isinstance(r, CheckResult)]
    assert [r.verdict for r in checked] == [
        "reported", "reported", "reported", "not_reported", "reported",
    ]  # fmt: skip
    assert [a.bank for a in checked[0].accounts] == ["VCB"]
    assert [a.bank for a in checked[1].accounts] == ["UNKNOWN"]


def test_stored_accounts_are_indexed_by_their_digits(db_session: Session) -> None:
    when = datetime(2026, 1, 1, tzinfo=UTC)
    db_session.add_all([
        IndicatorRecord(kind="bank_account", value=f"MB:{SLIP}", first_seen=when, last_seen=when),
        IndicatorRecord(kind="phone", value="+84912000111", first_seen=when, last_seen=when),
    ])  # fmt: skip
    db_session.flush()
    stored = db_session.execute(select(IndicatorRecord.value, IndicatorRecord.account_digits))
    assert {value: digits for value, digits in stored} == {f"MB:{SLIP}": SLIP, "+84912000111": None}
    assert [r.value for r in repository.find_accounts(db_session, [SLIP])] == [f"MB:{SLIP}"]


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "phone number, bank account or link"), ("vi", "số điện thoại, số tài khoản")],
)
def test_an_empty_check_says_what_to_type(db_session: Session, language: str, words: str) -> None:
    for empty in ("", "   "):
        with pytest.raises(InvalidInput) as caught:
            check_value(db_session, empty, language)
        assert words in caught.value.message
        assert "giá trị" not in caught.value.message
