"""Tracking codes, secrets, age groups and times: the pure rules of a report."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tipline.reports.core import (
    CODE_ALPHABET,
    CODE_PATTERN,
    age_group,
    as_utc,
    content_fingerprint,
    hash_secret,
    new_secret,
    new_tracking_code,
    normalise_code,
    secret_matches,
    sighting_time,
)


def test_tracking_codes_use_the_unambiguous_alphabet() -> None:
    codes = {new_tracking_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert CODE_PATTERN.match(code)
        assert not set(code[3:].replace("-", "")) & set("01OILU")
    assert set(CODE_ALPHABET).isdisjoint("01OILU")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("TL-7K3Q-9XPD", "TL-7K3Q-9XPD"),
        ("tl-7k3q-9xpd", "TL-7K3Q-9XPD"),
        (" TL 7K3Q 9XPD ", "TL-7K3Q-9XPD"),
        ("7K3Q9XPD", "TL-7K3Q-9XPD"),
        ("TL-7K3Q-9XP", None),
        ("TL-0K3Q-9XPD", None),
        ("<script>", None),
    ],
)
def test_codes_are_read_as_people_type_them(typed: str, expected: str | None) -> None:
    assert normalise_code(typed) == expected


def test_secret_is_stored_as_a_hash_and_matches_loosely_typed() -> None:
    secret = new_secret()
    assert len(secret.replace("-", "")) == 25
    stored = hash_secret(secret)
    assert secret not in stored
    assert secret_matches(secret.upper(), stored)
    assert secret_matches(secret.replace("-", " "), stored)
    assert not secret_matches(new_secret(), stored)
    assert not secret_matches(secret, None)


@pytest.mark.parametrize(
    ("age", "group"),
    [(None, None), (-1, None), (0, "under_13"), (12, "under_13"), (13, "13_17"), (17, "13_17"),
     (18, "18_24"), (39, "25_39"), (59, "40_59"), (60, "60_plus"), (120, "60_plus")],
)  # fmt: skip
def test_age_groups(age: int | None, group: str | None) -> None:
    assert age_group(age) == group


def test_times_without_zone_are_vietnam_time() -> None:
    assert as_utc(date(2026, 3, 1)) == datetime(2026, 2, 28, 17, 0, tzinfo=UTC)
    assert as_utc(datetime(2026, 3, 1, 9, 30)) == datetime(2026, 3, 1, 2, 30, tzinfo=UTC)
    assert as_utc(datetime(2026, 3, 1, 9, 30, tzinfo=UTC)) == datetime(
        2026, 3, 1, 9, 30, tzinfo=UTC
    )
    assert as_utc(None) is None


def test_sighting_time_is_when_it_happened_unless_unknown_or_future() -> None:
    received = datetime(2026, 3, 1, tzinfo=UTC)
    past = datetime(2026, 2, 1, tzinfo=UTC)
    assert sighting_time(past, received) == past
    assert sighting_time(None, received) == received
    assert sighting_time(datetime(2027, 1, 1, tzinfo=UTC), received) == received


def test_fingerprint_is_stable_and_content_sensitive() -> None:
    one = content_fingerprint({"narrative": "a", "province": "Huế"})
    assert one == content_fingerprint({"province": "Huế", "narrative": "a"})
    assert one != content_fingerprint({"narrative": "b", "province": "Huế"})
    assert one.startswith("sha256:")
