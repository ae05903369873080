from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tipline.vocabulary import MAX_NARRATIVE
from tipline.web.forms import ReportInput, parse_amount, validate_report

TODAY = date(2025, 3, 15)


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


@pytest.mark.parametrize("raw", ["1.5", "abc", "-100", "1e9", "12.34.5", "9" * 20])
def test_parse_amount_refuses_what_is_no_vnd_amount(raw: str) -> None:
    assert parse_amount(raw, "VND") is None


def test_valid_report_is_cleaned() -> None:
    raw = report_input(
        occurred_at="2025-03-01",
        loss_amount="2.000.000",
        loss_currency="VND",
        indicators=" 0912 345 678 \n\n VCB 0123456789 \n",
        contact="me@example.com",
        victim_age="25_39",
        province="Hà Nội",
    )
    clean, errors = validate_report(raw, TODAY)
    assert errors == {}
    assert clean is not None
    assert clean.occurred_at == date(2025, 3, 1)
    assert (clean.loss_amount, clean.loss_currency) == (Decimal("2000000"), "VND")
    assert clean.indicators == ["0912 345 678", "VCB 0123456789"]
    assert clean.contact == "me@example.com"
    assert (clean.age_group, clean.victim_age) == ("25_39", 25)
    assert clean.province == "Hà Nội"


def test_anonymous_drops_the_contact() -> None:
    clean, _ = validate_report(report_input(contact="0912345678", anonymous="1"), TODAY)
    assert clean is not None
    assert clean.anonymous is True
    assert clean.contact is None


def test_errors_are_reported_per_field_and_input_is_kept() -> None:
    raw = report_input(
        narrative="   ",
        occurred_at="2099-01-01",
        loss_amount="nhiều lắm",
        victim_age="999",
        contact="x" * 201,
    )
    clean, errors = validate_report(raw, TODAY)
    assert clean is None
    assert errors == {
        "narrative": ("error.required", {}),
        "occurred_at": ("error.future", {}),
        "loss_amount": ("error.amount", {}),
        "victim_age": ("error.choice", {}),
        "contact": ("error.too_long", {"max": 200}),
    }
    assert raw.loss_amount == "nhiều lắm"


def test_narrative_limit_is_twenty_thousand_characters() -> None:
    ok, errors = validate_report(report_input(narrative="a" * MAX_NARRATIVE), TODAY)
    assert ok is not None
    assert errors == {}
    _, errors = validate_report(report_input(narrative="a" * (MAX_NARRATIVE + 1)), TODAY)
    assert errors["narrative"][0] == "error.too_long"


def test_bad_date_and_unknown_currency() -> None:
    _, errors = validate_report(report_input(occurred_at="31/02/2025", loss_currency="XYZ"), TODAY)
    assert errors["occurred_at"] == ("error.date", {})
    assert errors["loss_currency"] == ("error.currency", {})


def test_child_form_takes_only_child_age_groups() -> None:
    clean, _ = validate_report(report_input(about_child="1", victim_age="13_17"), TODAY)
    assert clean is not None
    assert (clean.about_child, clean.victim_age) == (True, 13)
    _, errors = validate_report(report_input(about_child="1", victim_age="40_59"), TODAY)
    assert errors["victim_age"] == ("error.choice", {})


def test_too_many_indicator_lines() -> None:
    lines = "\n".join(f"09123456{i:02d}" for i in range(101))
    _, errors = validate_report(report_input(indicators=lines), TODAY)
    assert errors["indicators"] == ("error.too_many_lines", {"max": 100})
