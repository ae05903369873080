"""Phone numbers: libphonenumber decides validity; numbers without a country code are Vietnamese."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberType

DEFAULT_REGION = "VN"
MIN_DIGITS = 8
MAX_DIGITS = 15

# Service lines are not a person's phone: 1900/1800 numbers and other non-personal types.
_SERVICE_TYPES = frozenset(
    {
        PhoneNumberType.TOLL_FREE,
        PhoneNumberType.PREMIUM_RATE,
        PhoneNumberType.SHARED_COST,
        PhoneNumberType.UAN,
        PhoneNumberType.VOICEMAIL,
    }
)


def _plausible_national(digits: str) -> bool:
    """A cheap test that spares libphonenumber most digit runs that cannot be Vietnamese numbers:
    0 + 9 digits (mobile) or 0 + 10 (landline), 84 + the same without the 0, 00 + anything."""
    if digits.startswith("00"):
        return True
    if digits.startswith("0"):
        return len(digits) in (10, 11)
    if digits.startswith("84") and len(digits) in (11, 12):
        return True
    return len(digits) in (9, 10)


def canonical_phone(digits: str, international: bool) -> str | None:
    """E.164 of a digit string (with `international` when it was written with + or (+cc))."""
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        return None
    if not international and not _plausible_national(digits):
        return None
    return _parsed_phone(digits, international)


@lru_cache(maxsize=65536)
def _parsed_phone(digits: str, international: bool) -> str | None:
    try:
        number = phonenumbers.parse(("+" if international else "") + digits, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if number.country_code == 84:
        national = str(number.national_number)
        if national.startswith(("1900", "1800")):
            return None
        if phonenumbers.number_type(number) in _SERVICE_TYPES:
            return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
