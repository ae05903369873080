"""The report form: what a person typed (kept as typed) and its validation into clean values.

Validation never raises: it returns the clean values or, per field, a message key and its
parameters, so the page can show localised errors beside the input that is kept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from tipline.reports.core import AGE_GROUPS as REPORT_AGE_GROUPS
from tipline.vocabulary import (
    MAX_AMOUNT,
    MAX_CONTACT,
    MAX_LISTED_INDICATORS,
    MAX_NARRATIVE,
    MAX_PROVINCE,
    MAX_VALUE_LENGTH,
)

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

FieldError = tuple[str, dict[str, object]]
FieldErrors = dict[str, FieldError]


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
        )


@dataclass
class CleanReport:
    narrative: str
    occurred_at: date | None
    loss_amount: Decimal | None
    loss_currency: str | None
    indicators: list[str]
    contact: str | None
    anonymous: bool
    victim_age: int | None
    age_group: str | None
    province: str | None
    about_child: bool
    extra_indicators: list[str] = field(default_factory=list)


def parse_amount(raw: str, currency: str) -> Decimal | None:
    """`1.500.000`, `1,500,000`, `1 500 000` or `1500000` → 1500000; None when it is no amount.

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
    return value if value.is_finite() and 0 <= value < MAX_AMOUNT else None


def _check_narrative(raw: ReportInput, errors: dict[str, FieldError]) -> str:
    narrative = raw.narrative.strip()
    if not narrative:
        errors["narrative"] = ("error.required", {})
    elif len(narrative) > MAX_NARRATIVE:
        errors["narrative"] = ("error.too_long", {"max": f"{MAX_NARRATIVE:,}".replace(",", ".")})
    return narrative


def _check_date(raw: str, today: date, errors: dict[str, FieldError]) -> date | None:
    if not raw:
        return None
    try:
        when = date.fromisoformat(raw)
    except ValueError:
        errors["occurred_at"] = ("error.date", {})
        return None
    if when > today:
        errors["occurred_at"] = ("error.future", {})
    return when


def _check_loss(raw: ReportInput, errors: FieldErrors) -> tuple[Decimal | None, str | None]:
    if raw.loss_currency not in CURRENCIES:
        errors["loss_currency"] = ("error.currency", {})
        return None, None
    if not raw.loss_amount:
        return None, None
    amount = parse_amount(raw.loss_amount, raw.loss_currency)
    if amount is None:
        errors["loss_amount"] = ("error.amount", {})
        return None, None
    return amount, raw.loss_currency


def _check_indicators(raw: str, errors: dict[str, FieldError]) -> list[str]:
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    if len(lines) > MAX_LISTED_INDICATORS:
        errors["indicators"] = ("error.too_many_lines", {"max": MAX_LISTED_INDICATORS})
    elif any(len(line) > MAX_VALUE_LENGTH for line in lines):
        errors["indicators"] = ("error.too_long", {"max": MAX_VALUE_LENGTH})
    return lines


def _check_short(name: str, value: str, limit: int, errors: dict[str, FieldError]) -> str | None:
    if len(value) > limit:
        errors[name] = ("error.too_long", {"max": limit})
    return value or None


def _check_age(raw: ReportInput, errors: dict[str, FieldError]) -> str | None:
    allowed = CHILD_AGE_GROUPS if raw.about_child else AGE_GROUPS
    if raw.victim_age in ("", "unknown"):
        return None
    if raw.victim_age not in allowed:
        errors["victim_age"] = ("error.choice", {})
        return None
    return raw.victim_age


def validate_report(raw: ReportInput, today: date) -> tuple[CleanReport | None, FieldErrors]:
    """The clean report, or None and the errors by field name."""
    errors: dict[str, FieldError] = {}
    narrative = _check_narrative(raw, errors)
    occurred_at = _check_date(raw.occurred_at, today, errors)
    amount, currency = _check_loss(raw, errors)
    indicators = _check_indicators(raw.indicators, errors)
    contact = _check_short("contact", raw.contact, MAX_CONTACT, errors)
    province = _check_short("province", raw.province, MAX_PROVINCE, errors)
    age_group = _check_age(raw, errors)
    if errors:
        return None, errors
    return CleanReport(
        narrative=narrative,
        occurred_at=occurred_at,
        loss_amount=amount,
        loss_currency=currency,
        indicators=indicators,
        contact=None if raw.anonymous else contact,
        anonymous=raw.anonymous,
        victim_age=AGE_OF_GROUP[age_group] if age_group else None,
        age_group=age_group,
        province=province,
        about_child=raw.about_child,
    ), errors
