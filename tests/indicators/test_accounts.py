"""An account as a person reads it: the digits of her slip and the bank's name."""

from __future__ import annotations

import pytest

from tipline.indicators.accounts import shown_value


@pytest.mark.parametrize(
    ("kind", "value", "shown"),
    [
        ("bank_account", "VCB:0451000123999", "0451000123999 (Vietcombank)"),
        ("bank_account", "UNKNOWN:0451000123999", "0451000123999"),
        ("phone", "+84912345678", "+84912345678"),
        ("social", "instagram:hoang.anh.2k9", "instagram:hoang.anh.2k9"),
    ],
)
def test_an_account_is_shown_as_its_digits_and_its_banks_name(
    kind: str, value: str, shown: str
) -> None:
    assert shown_value(kind, value) == shown
