"""Phone numbers: libphonenumber decides validity; numbers without a country code are Vietnamese."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberType

DEFAULT_REGION = "VN"
VIETNAM = 84  # its country calling code
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


def _parse(digits: str, international: bool) -> PhoneNumber | None:
    if not international and digits[:1] == "0" and digits[1:2] not in ("", "0"):
        # Written the Vietnamese national way: `parse` would strip the national prefix 0 and
        # keep the rest as the national number (tests/indicators/test_phones.py checks that it
        # does), at a fiftieth of the cost.
        return PhoneNumber(country_code=VIETNAM, national_number=int(digits[1:]))
    try:
        return phonenumbers.parse(("+" if international else "") + digits, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None


@lru_cache(maxsize=65536)
def _parsed_phone(digits: str, international: bool) -> str | None:
    number = _parse(digits, international)
    if number is None:
        return None
    # A number is valid exactly when libphonenumber finds its type (`is_valid_number` is that
    # test): one type lookup answers both questions.
    kind = phonenumbers.number_type(number)
    if kind == PhoneNumberType.UNKNOWN:
        return None
    if number.country_code == VIETNAM:
        national = str(number.national_number)
        if national.startswith(("1900", "1800")) or kind in _SERVICE_TYPES:
            return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
