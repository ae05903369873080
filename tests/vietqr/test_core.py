from __future__ import annotations

from decimal import Decimal

import pytest

from tipline.vietqr.banks import bank_table
from tipline.vietqr.core import (
    VietQRError,
    build_payload,
    crc16_ccitt,
    decode_payload,
    parse_tlv,
)

SPEC_BANK_CODES = {
    "VCB", "ICB", "BIDV", "VBA", "TCB", "MB", "ACB", "VPB", "TPB", "STB",
    "SHB", "HDB", "VIB", "MSB", "OCB", "SEAB", "EIB", "LPB", "CAKE", "TIMO",
}  # fmt: skip


def with_crc(body: str) -> str:
    body += "6304"
    return body + crc16_ccitt(body)


def test_crc16_ccitt_check_value() -> None:
    # The catalogue check value of CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF).
    assert crc16_ccitt("123456789") == "29B1"
    assert crc16_ccitt("") == "FFFF"


def test_parse_tlv_reads_fields_in_order() -> None:
    assert parse_tlv("000201" + "0103abc") == {"00": "01", "01": "abc"}


@pytest.mark.parametrize("text", ["0005abc", "00", "0a02xx", "000201000201"])
def test_parse_tlv_rejects_broken_fields(text: str) -> None:
    with pytest.raises(VietQRError) as info:
        parse_tlv(text)
    assert info.value.reason == "malformed"


def test_decode_vietcombank_account_with_amount_and_purpose() -> None:
    payload = build_payload("970436", "0123456789", amount="1500000", purpose="chuyen tien coc")
    payment = decode_payload(payload, bank_table())
    assert payment.indicator_value == "VCB:0123456789"
    assert payment.bank is not None
    assert payment.bank.name == "Vietcombank"
    assert payment.amount == Decimal("1500000")
    assert payment.currency == "VND"
    assert payment.purpose == "chuyen tien coc"
    assert payment.service == "QRIBFTTA"


def test_decode_card_service_and_no_amount() -> None:
    payload = build_payload("970422", "9704229200000001", service="QRIBFTTC")
    payment = decode_payload(payload, bank_table())
    assert payment.indicator_value == "MB:9704229200000001"
    assert payment.service == "QRIBFTTC"
    assert payment.amount is None
    assert payment.purpose is None


def test_unknown_bin_gives_unknown_bank() -> None:
    payment = decode_payload(build_payload("970999", "112233445566"), bank_table())
    assert payment.bank is None
    assert payment.bin == "970999"
    assert payment.indicator_value == "UNKNOWN:112233445566"


def test_lower_case_crc_and_surrounding_whitespace_are_accepted() -> None:
    payload = build_payload("970415", "101010101010")
    payment = decode_payload("  " + payload[:-4] + payload[-4:].lower() + "\n", bank_table())
    assert payment.indicator_value == "ICB:101010101010"


def test_bad_crc_is_rejected() -> None:
    payload = build_payload("970436", "0123456789")
    tampered = payload.replace("0123456789", "0123456780")
    with pytest.raises(VietQRError) as info:
        decode_payload(tampered, bank_table())
    assert info.value.reason == "bad_crc"
    assert info.value.field == "qr_image"


@pytest.mark.parametrize(
    "payload",
    [
        "https://example.com/not-a-payment",
        with_crc("000201010211" + "5303704" + "5802VN"),  # no tag 38
        with_crc("000201" + "3820" + "0010A000000775" + "0102xx"),  # another scheme's GUID
    ],
)
def test_not_vietqr_is_rejected(payload: str) -> None:
    with pytest.raises(VietQRError) as info:
        decode_payload(payload, bank_table())
    assert info.value.reason == "not_vietqr"


def test_bin_that_is_not_six_digits_is_malformed() -> None:
    org = "0005970430110123"
    merchant = "0010A000000727" + f"01{len(org):02d}{org}"
    payload = with_crc("000201" + f"38{len(merchant):02d}{merchant}")
    with pytest.raises(VietQRError) as info:
        decode_payload(payload, bank_table())
    assert info.value.reason == "malformed"


def test_bank_table_codes_are_the_spec_codes() -> None:
    table = bank_table()
    assert {bank.code for bank in table.values()} == SPEC_BANK_CODES
    assert table["970436"].code == "VCB"
    assert table["970415"].code == "ICB"
    assert table["546034"].code == "CAKE"
    assert table["963388"].code == "TIMO"
    assert all(len(b) == 6 and b.isdigit() for b in table)


@pytest.mark.parametrize("account", ["12345", "ABC123456", "1" * 20])
def test_account_must_be_6_to_19_digits(account: str) -> None:
    with pytest.raises(VietQRError) as info:
        decode_payload(build_payload("970436", account), bank_table())
    assert info.value.reason == "malformed"


def test_indicator_value_reads_back_as_the_same_bank_account() -> None:
    from tipline.indicators import Kind, read_value

    value = decode_payload(build_payload("970418", "21510001234567"), bank_table()).indicator_value
    indicator = read_value(value)
    assert indicator is not None
    assert (indicator.kind, indicator.value) == (Kind.BANK_ACCOUNT, "BIDV:21510001234567")
