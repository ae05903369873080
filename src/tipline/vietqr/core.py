"""VietQR payloads: EMVCo merchant-presented QR (TLV + CRC16) read down to the account paid into.

A VietQR code is an EMVCo string of `ID(2 digits) LENGTH(2 digits) VALUE` fields. Tag 38 holds
the NAPAS merchant account information: sub-tag 00 is the GUID `A000000727`, sub-tag 01 the
beneficiary organisation (its sub-tag 00 is the acquirer BIN, its sub-tag 01 the account or card
number), sub-tag 02 the service code (`QRIBFTTA` to an account, `QRIBFTTC` to a card). Tag 63 is
a CRC16-CCITT (poly 0x1021, init 0xFFFF) over everything before its four hex digits.

Pure: plain strings in, plain values out; the BIN table is passed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tipline.errors import InvalidInput

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
SERVICE_TO_CARD = "QRIBFTTC"
UNKNOWN_BANK = "UNKNOWN"
CURRENCIES = {"704": "VND", "840": "USD"}

TAG_MERCHANT_ACCOUNT = "38"
TAG_CURRENCY = "53"
TAG_AMOUNT = "54"
TAG_MERCHANT_NAME = "59"
TAG_ADDITIONAL_DATA = "62"
TAG_CRC = "63"
SUB_PURPOSE = "08"


class VietQRError(InvalidInput):
    """A payload or picture that does not give a VietQR account; `reason` says why, for i18n.

    Reasons: `malformed`, `bad_crc`, `not_vietqr`, `no_qr`, `not_image`, `too_large`.
    """

    def __init__(self, message: str, *, reason: str, field: str | None = "qr_image") -> None:
        super().__init__(message, field=field)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Bank:
    bin: str
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class VietQRPayment:
    """Where a VietQR code sends the money."""

    bin: str
    bank: Bank | None
    account: str
    service: str
    amount: Decimal | None
    currency: str | None
    purpose: str | None
    merchant_name: str | None

    @property
    def bank_code(self) -> str:
        return self.bank.code if self.bank else UNKNOWN_BANK

    @property
    def indicator_value(self) -> str:
        """The canonical `bank_account` value of the indicator spec: `BANK:DIGITS`."""
        return f"{self.bank_code}:{self.account}"


def crc16_ccitt(text: str) -> str:
    """CRC16-CCITT (poly 0x1021, init 0xFFFF, no reflection) as four upper-case hex digits."""
    crc = 0xFFFF
    for byte in text.encode("utf-8"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def parse_tlv(text: str) -> dict[str, str]:
    """The fields of an EMVCo TLV string, by tag, in order; a truncated field is `malformed`."""
    fields: dict[str, str] = {}
    pos = 0
    while pos < len(text):
        head = text[pos : pos + 4]
        if len(head) < 4 or not head.isdigit() or not head.isascii():
            raise VietQRError(f"bad field header at offset {pos}", reason="malformed")
        tag, length = head[:2], int(head[2:])
        value = text[pos + 4 : pos + 4 + length]
        if len(value) != length:
            raise VietQRError(f"field {tag} is cut short", reason="malformed")
        if tag in fields:
            raise VietQRError(f"field {tag} appears twice", reason="malformed")
        fields[tag] = value
        pos += 4 + length
    return fields


def verify_crc(payload: str) -> None:
    """Raise `bad_crc` unless the payload ends in tag 63 carrying the CRC of what precedes it."""
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise VietQRError("the code has no checksum (tag 63)", reason="not_vietqr")
    expected = crc16_ccitt(payload[:-4])
    if payload[-4:].upper() != expected:
        raise VietQRError("the code's checksum does not match", reason="bad_crc")


def _beneficiary(merchant_account: str) -> tuple[str, str, str]:
    """(BIN, account, service code) from tag 38; `not_vietqr` unless it is NAPAS."""
    sub = parse_tlv(merchant_account)
    if sub.get("00", "").upper() != NAPAS_GUID:
        raise VietQRError("not a NAPAS VietQR code", reason="not_vietqr")
    org = parse_tlv(sub.get("01", ""))
    bin_, account = org.get("00", ""), org.get("01", "")
    if not (len(bin_) == 6 and bin_.isdigit() and bin_.isascii()):
        raise VietQRError("the bank BIN is not six digits", reason="malformed")
    if not (account.isascii() and account.isdigit() and 6 <= len(account) <= 19):
        raise VietQRError("the account number is not 6 to 19 digits", reason="malformed")
    service = sub.get("02", SERVICE_TO_ACCOUNT).upper()
    if service not in (SERVICE_TO_ACCOUNT, SERVICE_TO_CARD):
        raise VietQRError(f"unknown service code {service}", reason="not_vietqr")
    return bin_, account, service


def _amount(raw: str | None) -> Decimal | None:
    if not raw:
        return None
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise VietQRError("the amount is not a number", reason="malformed") from None
    if not amount.is_finite() or amount < 0:
        raise VietQRError("the amount is not a number", reason="malformed")
    return amount


def decode_payload(payload: str, banks: Mapping[str, Bank]) -> VietQRPayment:
    """The payment a VietQR payload describes; `banks` maps BIN → Bank (unknown → UNKNOWN)."""
    payload = payload.strip()
    verify_crc(payload)
    fields = parse_tlv(payload)
    if TAG_MERCHANT_ACCOUNT not in fields:
        raise VietQRError("no NAPAS account (tag 38) in the code", reason="not_vietqr")
    bin_, account, service = _beneficiary(fields[TAG_MERCHANT_ACCOUNT])
    extra = parse_tlv(fields.get(TAG_ADDITIONAL_DATA, ""))
    currency = fields.get(TAG_CURRENCY)
    return VietQRPayment(
        bin=bin_,
        bank=banks.get(bin_),
        account=account,
        service=service,
        amount=_amount(fields.get(TAG_AMOUNT)),
        currency=CURRENCIES.get(currency, currency) if currency else None,
        purpose=extra.get(SUB_PURPOSE) or None,
        merchant_name=fields.get(TAG_MERCHANT_NAME) or None,
    )


def _field(tag: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def build_payload(
    bin_: str,
    account: str,
    *,
    amount: str | None = None,
    purpose: str | None = None,
    service: str = SERVICE_TO_ACCOUNT,
) -> str:
    """A VietQR payload as banks' apps make it (for demo data and tests), CRC included."""
    org = _field("00", bin_) + _field("01", account)
    merchant = _field("00", NAPAS_GUID) + _field("01", org) + _field("02", service)
    body = _field("00", "01") + _field("01", "12" if amount else "11")
    body += _field(TAG_MERCHANT_ACCOUNT, merchant) + _field(TAG_CURRENCY, "704")
    if amount:
        body += _field(TAG_AMOUNT, amount)
    body += _field("58", "VN")
    if purpose:
        body += _field(TAG_ADDITIONAL_DATA, _field(SUB_PURPOSE, purpose))
    body += "6304"
    return body + crc16_ccitt(body)
