"""An account as a person reads it: the digits of her slip and the bank's name."""

from __future__ import annotations

import pytest

from tipline.indicators.accounts import named_elsewhere, shown_linking_value, shown_value
from tipline.intake.reading import indicators_of


@pytest.mark.parametrize(
    ("kind", "value", "shown"),
    [
        ("bank_account", "VCB:0451000123999", "0451000123999 (Vietcombank)"),
        ("bank_account", "UNKNOWN:0451000123999", "0451000123999"),
        ("phone", "+84912345678", "+84912345678"),
        ("social", "instagram:hoang.anh.2k9", "Instagram: hoang.anh.2k9"),
        ("social", "facebook:1000123", "Facebook: 1000123"),
        ("social", "x:lua_dao", "X: lua_dao"),
        ("social", "mastodon:lua", "Mastodon: lua"),
        ("domain", "xn--shope-secure-feb.vn", "shopeé-secure.vn (xn--shope-secure-feb.vn)"),
        ("domain", "xn--a.vn", "xn--a.vn"),  # not valid punycode: as stored
        ("domain", "vcb-hotro.xyz", "vcb-hotro.xyz"),
        (
            "crypto",
            "eth:0xe0222751b0e6a36b472d6780e2dee1ec04cce655",
            "0xe0222751b0e6a36b472d6780e2dee1ec04cce655 (Ethereum)",
        ),
        (
            "crypto",
            "trx:TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL",
            "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL (TRON)",
        ),
    ],
)
def test_an_account_is_shown_as_its_digits_and_its_banks_name_a_handle_with_its_platform(
    kind: str, value: str, shown: str
) -> None:
    assert shown_value(kind, value) == shown


def test_a_bare_account_adds_nothing_when_the_report_names_its_bank() -> None:
    values = {("bank_account", "VCB:0451000123999"), ("bank_account", "UNKNOWN:0451000123999")}
    assert named_elsewhere("bank_account", "UNKNOWN:0451000123999", values)
    assert not named_elsewhere("bank_account", "VCB:0451000123999", values)
    assert not named_elsewhere(
        "bank_account", "UNKNOWN:0451000123999", values - {("bank_account", "VCB:0451000123999")}
    )
    assert not named_elsewhere("bank_account", "UNKNOWN:1111222233", values)


def test_a_report_keeps_one_account_when_the_story_names_its_bank_and_the_form_does_not() -> None:
    story = "Tôi chuyển 5.000.000 đồng vào tài khoản 0451000123999 Vietcombank."
    found, unrecognised = indicators_of(story, ["STK 0451000123999", "STK 9988776655"])
    accounts = sorted(i.value for i in found if i.kind == "bank_account")
    assert accounts == ["UNKNOWN:9988776655", "VCB:0451000123999"]
    assert unrecognised == []


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("VIB:77098135723", "77098135723 (VIB)"),
        ("UNKNOWN:0451000123999", "0451000123999"),
        ("facebook:son.trung.9x", "Facebook: son.trung.9x"),
        ("xn--mom-baomat-ibb.net", "momó-baomat.net (xn--mom-baomat-ibb.net)"),
        (
            "eth:0xe0222751b0e6a36b472d6780e2dee1ec04cce655",
            "eth:0xe0222751b0e6a36b472d6780e2dee1ec04cce655",
        ),
        ("+84912345678", "+84912345678"),
    ],
)
def test_a_linking_value_is_shown_as_an_account_only_when_it_is_one(value: str, shown: str) -> None:
    assert shown_linking_value(value) == shown
