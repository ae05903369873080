from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

import pytest

from tipline.cases.core import (
    CaseNumber,
    clean_assignee,
    clean_title,
    format_reference,
    is_overdue,
    local_today,
    parse_reference,
    read_campaign_uid,
    read_deadline,
)
from tipline.errors import InvalidInput


def test_references_format_and_parse() -> None:
    assert format_reference(2026, 1) == "CASE-2026-0001"
    assert format_reference(2026, 12345) == "CASE-2026-12345"
    assert parse_reference(" case-2026-0042 ") == CaseNumber(2026, 42)
    assert CaseNumber(2026, 42).reference == "CASE-2026-0042"
    assert parse_reference("CASE-26-1") is None


def test_overdue_rule() -> None:
    today = date(2026, 3, 10)
    assert is_overdue(date(2026, 3, 9), "open", today)
    assert is_overdue(date(2026, 3, 9), "in_progress", today)
    assert not is_overdue(date(2026, 3, 10), "open", today)  # the day itself still counts
    assert not is_overdue(date(2026, 3, 1), "closed", today)
    assert not is_overdue(None, "open", today)


def test_local_today_is_vietnam_time() -> None:
    assert local_today(datetime(2026, 3, 9, 18, 30, tzinfo=UTC)) == date(2026, 3, 10)


def test_form_values_are_checked() -> None:
    assert clean_title("  Sàn   giao dịch giả ") == "Sàn giao dịch giả"
    assert clean_assignee("  ") is None
    assert read_deadline("2026-04-01") == date(2026, 4, 1)
    uid = UUID("0f8b1f4e-2c4d-4e7a-9a51-3b6f0c2d9e11")
    assert read_campaign_uid(f" {uid} ") == uid
    assert read_campaign_uid(f"https://tipline.example/campaigns/{uid}?page=2") == uid
    assert read_campaign_uid(uid.hex.upper()) == uid
    for call in (
        lambda: clean_title("   "),
        lambda: clean_assignee("lan; drop"),
        lambda: read_deadline("tomorrow"),
        lambda: read_deadline("1970-01-01"),
        lambda: read_campaign_uid("#17"),
        lambda: read_campaign_uid("https://tipline.example/campaigns/"),
    ):
        with pytest.raises(InvalidInput):
            call()
