"""Phone validity: one type lookup gives what libphonenumber's own validity test gives."""

from __future__ import annotations

import random

import phonenumbers
import pytest

from tipline.indicators.phones import _SERVICE_TYPES, _parsed_phone


def by_the_book(digits: str, international: bool) -> str | None:
    """The rule spelled out with libphonenumber's own `is_valid_number`."""
    try:
        number = phonenumbers.parse(("+" if international else "") + digits, "VN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if number.country_code == 84 and (
        str(number.national_number).startswith(("1900", "1800"))
        or phonenumbers.number_type(number) in _SERVICE_TYPES
    ):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def digit_strings() -> list[tuple[str, bool]]:
    rng = random.Random(84)
    cases: list[tuple[str, bool]] = []
    for prefix in range(1000):  # every three-digit start of a Vietnamese number, 0 and 84 forms
        for length in (6, 8, 9, 10, 11, 12):
            rest = "".join(rng.choice("0123456789") for _ in range(length - 3))
            cases += [(f"0{prefix:03d}{rest}", False), (f"84{prefix:03d}{rest}", True)]
    for start in ("1900", "1800", "024", "028", "0236", "00", "1", "44", "86", "65", "855"):
        for _ in range(20):
            rest = "".join(rng.choice("0123456789") for _ in range(rng.randint(5, 10)))
            cases += [(start + rest, False), (start + rest, True)]
    return cases


def in_groups(cases: list[tuple[str, bool]], size: int = 1000) -> list[list[tuple[str, bool]]]:
    """The cases a thousand at a time: one test each, which names every case that disagrees
    (12,440 tests of one assertion spent more time in pytest than in libphonenumber)."""
    return [cases[start : start + size] for start in range(0, len(cases), size)]


@pytest.mark.parametrize("cases", in_groups(digit_strings()), ids=lambda cases: cases[0][0])
def test_validity_is_libphonenumbers(cases: list[tuple[str, bool]]) -> None:
    disagreeing = [
        (digits, international, ours, book)
        for digits, international in cases
        if (ours := _parsed_phone(digits, international))
        != (book := by_the_book(digits, international))
    ]
    assert disagreeing == []


def test_the_cases_include_valid_and_invalid_numbers() -> None:
    outcomes = [by_the_book(d, i) for d, i in digit_strings()]
    assert sum(o is not None for o in outcomes) > 100
    assert sum(o is None for o in outcomes) > 100
