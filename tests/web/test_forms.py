from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from tipline.messages import localise
from tipline.vocabulary import MAX_NARRATIVE
from tipline.web.forms import ReportInput, parse_amount, validate_report


def report_input(**fields: object) -> ReportInput:
    form: dict[str, object] = {"narrative": "Có người gọi tự xưng công an, bắt chuyển tiền."}
    form.update(fields)
    return ReportInput.from_form(form)


@pytest.mark.parametrize(
    ("raw", "currency", "expected"),
    [
        ("1.500.000", "VND", Decimal("1500000")),
        ("1,500,000", "VND", Decimal("1500000")),
        ("1 500 000", "VND", Decimal("1500000")),
        ("1500000", "VND", Decimal("1500000")),
        ("1,234.56", "USD", Decimal("1234.56")),
        ("1.234,5", "EUR", Decimal("1234.5")),
        ("250", "USD", Decimal("250")),
        ("1,500", "USD", Decimal("1500")),
    ],
)
def test_parse_amount_reads_how_people_write_amounts(
    raw: str, currency: str, expected: Decimal
) -> None:
    assert parse_amount(raw, currency) == expected


@pytest.mark.parametrize("raw", ["1.5", "abc", "-100", "1e9", "12.34.5"])
def test_parse_amount_refuses_what_is_no_vnd_amount(raw: str) -> None:
    assert parse_amount(raw, "VND") is None


def test_an_amount_out_of_range_is_refused_by_the_schema() -> None:
    assert parse_amount("9" * 20, "VND") == Decimal("9" * 20)
    _, errors = validate_report(report_input(loss_amount="9" * 20))
    assert errors["loss_amount"]["type"] == "less_than"


def test_valid_report_is_read_into_the_api_schema() -> None:
    raw = report_input(
        occurred_at="2025-03-01",
        loss_amount="2.000.000",
        loss_currency="VND",
        indicators=" 0912 345 678 \n\n VCB 0123456789 \n",
        contact="me@example.com",
        victim_age="25_39",
        province="Hà Nội",
    )
    report, errors = validate_report(raw)
    assert errors == {}
    assert report is not None
    assert report.occurred_at == datetime(2025, 3, 1)  # as the API reads it: Vietnam midnight
    assert (report.loss_amount, report.loss_currency) == (Decimal("2000000"), "VND")
    assert report.indicators == ["0912 345 678", "VCB 0123456789"]
    assert report.contact == "me@example.com"
    assert report.victim_age == 25
    assert report.province == "Hà Nội"


def test_anonymous_drops_the_contact() -> None:
    report, _ = validate_report(report_input(contact="0912345678", anonymous="1"))
    assert report is not None
    assert report.anonymous is True
    assert report.contact is None


def test_errors_are_the_api_schemas_per_field_and_input_is_kept() -> None:
    raw = report_input(
        narrative="   ",
        occurred_at="2099-01-01",
        loss_amount="nhiều lắm",
        victim_age="999",
        contact="x" * 201,
    )
    report, errors = validate_report(raw)
    assert report is None
    assert {name: error["type"] for name, error in errors.items()} == {
        "narrative": "narrative_empty",
        "occurred_at": "occurred_in_future",
        "loss_amount": "decimal_parsing",
        "victim_age": "less_than_equal",
        "contact": "string_too_long",
    }
    assert [localise(errors[name], "en")["message"] for name in ("narrative", "contact")] == [
        "The narrative is empty: tell what happened.",
        "Too long: at most 200 characters.",
    ]
    assert raw.loss_amount == "nhiều lắm"


def test_the_narrative_limit_is_the_schemas() -> None:
    ok, errors = validate_report(report_input(narrative="a" * MAX_NARRATIVE))
    assert ok is not None
    assert errors == {}
    _, errors = validate_report(report_input(narrative="a" * (MAX_NARRATIVE + 1)))
    assert errors["narrative"]["type"] == "string_too_long"


def test_bad_date_and_unknown_currency() -> None:
    raw = report_input(occurred_at="31/02/2025", loss_amount="100", loss_currency="X1")
    _, errors = validate_report(raw)
    assert errors["occurred_at"]["type"].startswith(("date", "datetime"))
    assert errors["loss_currency"]["type"] == "string_pattern_mismatch"


def test_child_form_takes_only_child_age_groups() -> None:
    report, _ = validate_report(report_input(about_child="1", victim_age="13_17"))
    assert report is not None
    assert report.victim_age == 13
    report, errors = validate_report(report_input(about_child="1", victim_age="40_59"))
    assert report is None
    assert localise(errors["victim_age"], "en")["message"] == "Not a number in range."


def test_too_many_indicator_lines() -> None:
    lines = "\n".join(f"09123456{i:02d}" for i in range(101))
    _, errors = validate_report(report_input(indicators=lines))
    assert errors["indicators"]["type"] == "too_long"
    assert localise(errors["indicators"], "vi")["message"] == "Quá nhiều: tối đa 100 mục."


def test_the_forms_transfer_is_the_apis_payment() -> None:
    from tipline.web.forms import ReportInput, validate_report

    raw = ReportInput(
        narrative="Bị lừa", paid_on="2026-12-01", paid_amount="2.500.000", from_bank="VCB",
        to_account="0451 000 123 999", to_bank="MB",
    )  # fmt: skip
    clean, errors = validate_report(raw)
    assert errors == {}
    assert clean is not None
    payment = clean.payments[0]
    assert (payment.amount, payment.currency, payment.to_account) == (
        2500000,
        "VND",
        "0451000123999",
    )
    blank, _ = validate_report(ReportInput(narrative="Bị lừa"))
    assert blank is not None
    assert blank.payments == []
    _, refused = validate_report(ReportInput(narrative="x", to_account="abc", paid_amount="nhiều"))
    assert set(refused) == {"to_account", "paid_amount"}
