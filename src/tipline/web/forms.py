"""The report form: what a person typed (kept as typed), read into the API's `ReportCreate`.

The form's own work is reading how people type (an amount with dots, an age group, one
indicator a line); what is valid is the API schema's alone, so the form and the API refuse the
same things with the same words. Validation never raises: it returns the report or, per field,
the schema's error, so the page can show it in the reader's language beside the kept input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from tipline.reports.core import AGE_GROUPS as REPORT_AGE_GROUPS
from tipline.reports.schemas import ReportCreate

CURRENCIES = ("VND", "USD", "EUR", "USDT")
AGE_GROUPS = tuple(name for _, name in REPORT_AGE_GROUPS)
CHILD_AGE_GROUPS = tuple(name for bound, name in REPORT_AGE_GROUPS if bound <= 18)
# The form asks for a group, the service takes an age: the youngest age of the group stands for
# it (so the service files it under the same group, and a child stays a child for triage).
AGE_OF_GROUP = dict(
    zip(AGE_GROUPS, (0, *(bound for bound, _ in REPORT_AGE_GROUPS[:-1])), strict=True)
)
PROVINCES = (
    "Hà Nội", "TP. Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế",
    "An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Điện Biên", "Đắk Lắk", "Đồng Nai",
    "Đồng Tháp", "Gia Lai", "Hà Tĩnh", "Hưng Yên", "Khánh Hòa", "Lai Châu", "Lạng Sơn",
    "Lào Cai", "Lâm Đồng", "Nghệ An", "Ninh Bình", "Phú Thọ", "Quảng Ngãi", "Quảng Ninh",
    "Quảng Trị", "Sơn La", "Tây Ninh", "Thái Nguyên", "Thanh Hóa", "Tuyên Quang", "Vĩnh Long",
)  # fmt: skip

# The schema's errors by form field: the first of each field, as pydantic gives it.
FieldErrors = dict[str, dict[str, Any]]


# The report form's fields as the page shows them, top to bottom (a test compares it with the
# page): the first one in error takes the focus.
FIELD_ORDER = (
    "narrative",
    "occurred_at",
    "loss_amount",
    "loss_currency",
    "paid_on",
    "paid_amount",
    "from_bank",
    "to_account",
    "to_bank",
    "indicators",
    "qr_image",
    "victim_age",
    "province",
    "contact",
)


@dataclass
class ReportInput:
    """The report form exactly as typed, so that a page with errors shows it back unchanged."""

    narrative: str = ""
    occurred_at: str = ""
    loss_amount: str = ""
    loss_currency: str = "VND"
    indicators: str = ""
    contact: str = ""
    anonymous: bool = False
    victim_age: str = ""
    province: str = ""
    about_child: bool = False
    # The transfer she made, if any (one on the form; the API takes several).
    paid_on: str = ""
    paid_amount: str = ""
    from_bank: str = ""
    to_account: str = ""
    to_bank: str = ""
    reporter: str = ""  # who is reporting (the child form asks): tipline.vocabulary.REPORTERS
    offender_accounts: str = ""  # the child form's accounts of the offender, one a line

    @classmethod
    def from_form(cls, form: Mapping[str, object]) -> ReportInput:
        def text(name: str, default: str = "") -> str:
            value = form.get(name)
            return value if isinstance(value, str) else default

        return cls(
            narrative=text("narrative"),
            occurred_at=text("occurred_at").strip(),
            loss_amount=text("loss_amount").strip(),
            loss_currency=text("loss_currency", "VND").strip().upper() or "VND",
            indicators=text("indicators"),
            contact=text("contact").strip(),
            anonymous=text("anonymous") in ("1", "on", "yes", "true"),
            victim_age=text("victim_age").strip(),
            province=text("province").strip(),
            about_child=text("about_child") in ("1", "on", "yes", "true"),
            paid_on=text("paid_on").strip(),
            paid_amount=text("paid_amount").strip(),
            from_bank=text("from_bank").strip(),
            to_account=text("to_account").strip(),
            to_bank=text("to_bank").strip(),
            reporter=text("reporter").strip(),
            offender_accounts=text("offender_accounts"),
        )


def parse_amount(raw: str, currency: str) -> Decimal | None:
    """`1.500.000`, `1,500,000`, `1 500 000` or `1500000` → 1500000; None when it is no amount
    as people write one (the schema then says why; it alone decides the range).

    Dong have no fractions, so every `.` and `,` in a VND amount groups thousands; other
    currencies may end in a decimal part of one or two digits.
    """
    text = re.sub(r"[\s\u00a0]", "", raw)
    if currency != "VND":
        match = re.fullmatch(r"([\d.,]*?)[.,](\d{1,2})", text)
        if match and match.group(1):
            text = re.sub(r"[.,]", "", match.group(1)) + "." + match.group(2)
            return _decimal(text)
    text = re.sub(r"(?<=\d)[.,](?=\d{3}(\D|$))", "", text)
    return _decimal(text) if re.fullmatch(r"\d+", text) else None


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _age(raw: ReportInput) -> int | str | None:
    """The age standing for the chosen group; a group the form does not offer is passed on as
    typed, for the schema to refuse."""
    offered = CHILD_AGE_GROUPS if raw.about_child else AGE_GROUPS
    if raw.victim_age in ("", "unknown"):
        return None
    return AGE_OF_GROUP[raw.victim_age] if raw.victim_age in offered else raw.victim_age


def _amount(raw: ReportInput) -> Decimal | str | None:
    if not raw.loss_amount:
        return None
    amount = parse_amount(raw.loss_amount, raw.loss_currency)
    return raw.loss_amount if amount is None else amount


# The payment's fields by the form's names.
PAYMENT_FIELDS = {
    "paid_on": "paid_on",
    "amount": "paid_amount",
    "from_bank": "from_bank",
    "to_account": "to_account",
    "to_bank": "to_bank",
}


def _payments(raw: ReportInput) -> list[dict[str, Any]]:
    """The form's one transfer, as the API's `payments`; none when every field is blank."""
    amount: Decimal | str | None = None
    if raw.paid_amount:
        amount = parse_amount(raw.paid_amount, raw.loss_currency) or raw.paid_amount
    payment = {
        "paid_on": raw.paid_on or None,
        "amount": amount,
        "currency": raw.loss_currency if amount is not None else None,
        "from_bank": raw.from_bank or None,
        "to_account": raw.to_account or None,
        "to_bank": raw.to_bank or None,
    }
    given = {name: value for name, value in payment.items() if value is not None}
    return [given] if given else []


def report_fields(raw: ReportInput) -> dict[str, Any]:
    """The typed form as the API's fields: blanks left out, amounts and age groups read."""
    amount = _amount(raw)
    fields: dict[str, Any] = {
        "narrative": raw.narrative.strip(),
        "occurred_at": raw.occurred_at or None,
        "loss_amount": amount,
        "loss_currency": None if amount is None else raw.loss_currency,
        "indicators": [
            line.strip()
            for typed in (raw.indicators, raw.offender_accounts)
            for line in typed.splitlines()
            if line.strip()
        ],
        "contact": None if raw.anonymous else raw.contact or None,
        "anonymous": raw.anonymous,
        "victim_age": _age(raw),
        "province": raw.province or None,
        "payments": _payments(raw) or None,
        "reporter": raw.reporter or None,
    }
    return {name: value for name, value in fields.items() if value is not None}


def _form_field(location: tuple[Any, ...]) -> str:
    """The form field of an error's location (`payments.0.amount` → `paid_amount`)."""
    if not location:
        return "narrative"
    if location[0] == "payments" and len(location) > 2:
        return PAYMENT_FIELDS.get(str(location[2]), "paid_on")
    return str(location[0])


def validate_report(raw: ReportInput) -> tuple[ReportCreate | None, FieldErrors]:
    """The report as the API's schema takes it, or None and its errors by form field."""
    try:
        return ReportCreate.model_validate(report_fields(raw)), {}
    except ValidationError as exc:
        errors: FieldErrors = {}
        for error in exc.errors(include_url=False, include_input=False):
            errors.setdefault(_form_field(tuple(error["loc"])), dict(error))
        return None, errors
