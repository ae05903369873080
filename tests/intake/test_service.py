"""Taking one report in, on the real database (SQLite or PostgreSQL)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.reports.core import CODE_PATTERN, hash_secret
from tipline.reports.models import Report

HOSTILE = "<script>alert('xss')</script><img src=x onerror=alert(1)> gọi 0912 345 678"


def stored(session: Session, code: str) -> Report:
    report = session.scalars(select(Report).where(Report.code == code)).one()
    return report


def test_submit_stores_the_report_triaged_with_its_indicators(
    db_session: Session, make_report
) -> None:
    receipt = make_report(loss_amount=Decimal("15000000"), loss_currency="VND", victim_age=34)
    assert CODE_PATTERN.match(receipt.code)
    report = stored(db_session, receipt.code)
    assert report.channel == "api"
    assert report.status == "new"
    assert report.category == receipt.category
    assert report.category.startswith("fraud.")
    assert report.urgency in ("critical", "high", "normal", "low")
    assert report.language == "vi"
    assert report.loss_amount == Decimal("15000000")
    assert report.victim_age_group == "25_39"
    assert report.secret_hash == hash_secret(receipt.secret)
    values = {(i.kind, i.value) for i in receipt.indicators}
    assert ("phone", "+84987654321") in values
    assert ("bank_account", "VCB:0123456789") in values
    assert ("url", "https://vietcombank-xacthuc.com/login") in values
    assert ("domain", "vietcombank-xacthuc.com") in values
    links = db_session.scalars(
        select(ReportIndicator).where(ReportIndicator.report_id == report.id)
    ).all()
    assert len(links) == len(values)
    assert all(link.span_start is not None and not link.confirmed for link in links)


def test_the_same_indicator_in_two_reports_is_one_row_counted_twice(
    db_session: Session, make_report
) -> None:
    make_report("Kẻ lừa đảo gọi từ 0912 345 678.")
    make_report("Số +84 912-345-678 nhắn tin đòi tiền.")
    record = db_session.scalars(
        select(IndicatorRecord).where(
            IndicatorRecord.kind == "phone", IndicatorRecord.value == "+84912345678"
        )
    ).one()
    assert record.report_count == 2
    assert record.first_seen <= record.last_seen


def test_listed_values_are_read_and_unreadable_ones_kept(db_session: Session, make_report) -> None:
    receipt = make_report(
        "Tôi bị lừa khi mua hàng online.", indicators=["t.me/HoTro_VCB", "Nguyễn Văn A"]
    )
    values = {(i.kind, i.value) for i in receipt.indicators}
    assert ("social", "telegram:hotro_vcb") in values
    assert receipt.unrecognised == ["Nguyễn Văn A"]
    assert stored(db_session, receipt.code).listed_values == ["t.me/HoTro_VCB", "Nguyễn Văn A"]
    link = db_session.scalars(
        select(ReportIndicator)
        .join(IndicatorRecord, IndicatorRecord.id == ReportIndicator.indicator_id)
        .where(IndicatorRecord.value == "telegram:hotro_vcb")
    ).one()
    assert link.span_start is None


def test_html_in_a_narrative_is_stored_verbatim(db_session: Session, make_report) -> None:
    receipt = make_report(HOSTILE)
    assert stored(db_session, receipt.code).narrative == HOSTILE


def test_anonymous_report_keeps_no_contact(db_session: Session, make_report) -> None:
    named = make_report(contact="me@example.com")
    anonymous = make_report(contact="me@example.com", anonymous=True)
    assert stored(db_session, named.code).reporter_contact == "me@example.com"
    assert stored(db_session, anonymous.code).reporter_contact is None
    assert stored(db_session, anonymous.code).anonymous is True


def test_a_child_victim_raises_urgency(make_report) -> None:
    receipt = make_report("Có người lạ nhắn tin cho con tôi trên Facebook.", victim_age=12)
    assert receipt.urgency in ("critical", "high")


def test_advice_comes_with_the_receipt(make_report) -> None:
    receipt = make_report()
    assert receipt.advice
    assert all(isinstance(line, str) and line for line in receipt.advice)


def test_payments_are_stored_and_the_account_paid_is_an_indicator(
    db_session: Session, make_report
) -> None:
    receipt = make_report(
        narrative="Tôi bị lừa chuyển khoản mua hàng online.",
        payments=[
            {"paid_on": "2026-12-01", "amount": "2500000", "currency": "VND", "from_bank": "vcb",
             "to_account": "0451 000.123-999", "to_bank": "MB"},
            {"to_account": "19036627188018"},
        ],
    )  # fmt: skip
    report = stored(db_session, receipt.code)
    assert report.payments == [
        {"paid_on": "2026-12-01", "amount": "2500000", "currency": "VND", "from_bank": "VCB",
         "to_account": "0451000123999", "to_bank": "MB"},
        {"to_account": "19036627188018"},
    ]  # fmt: skip
    values = {(i.kind, i.value) for i in receipt.indicators}
    assert ("bank_account", "MB:0451000123999") in values
    assert ("bank_account", "UNKNOWN:19036627188018") in values
    assert report.listed_values == []  # what she listed apart from the transfers, as typed


def test_a_payment_is_refused_field_by_field() -> None:
    import pytest
    from pydantic import ValidationError

    from tipline.reports.schemas import ReportCreate

    with pytest.raises(ValidationError) as caught:
        ReportCreate.model_validate(
            {"narrative": "x", "payments": [{"to_account": "abc", "paid_on": "2999-01-01"}]}
        )
    assert {tuple(e["loc"]) for e in caught.value.errors()} == {
        ("payments", 0, "paid_on"),
        ("payments", 0, "to_account"),
    }


def test_the_receipt_advice_is_written_to_who_reports(db_session: Session, make_report) -> None:
    threat = (
        "Có người có ảnh riêng tư của em, đòi 3 triệu trước tối nay, không thì gửi cho cả trường."
    )
    child = make_report(threat, victim_age=15, reporter="child")
    assert stored(db_session, child.code).reporter == "child"
    assert "Em không làm gì sai" in " ".join(child.advice)
    herself = make_report(threat, victim_age=15, reporter="victim")
    assert "Em không làm gì sai" in " ".join(herself.advice)
    # Nobody said who reports: her story's "ảnh riêng tư của em" says she does.
    unstated = make_report(threat, victim_age=15)
    assert stored(db_session, unstated.code).reporter is None
    assert "Em không làm gì sai" in " ".join(unstated.advice)
    parent = make_report("Con gái tôi 15 tuổi bị dọa: " + threat, victim_age=15)
    assert "Em không làm gì sai" not in " ".join(parent.advice)
    # A child's story whose writer is unknown: a line to her before the adult's advice.
    unknown = make_report("Một người lạ đòi 3 triệu, dọa tung ảnh một bé 15 tuổi.", victim_age=15)
    assert unknown.advice[0].startswith("Nếu chuyện này đang xảy ra với em")
