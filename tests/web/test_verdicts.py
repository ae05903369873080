"""The check page's four states, told apart."""

from __future__ import annotations

from typing import Any

import pytest

from tipline.indicators.schemas import CheckResult
from tipline.web.verdicts import check_state


def result(**fields: Any) -> CheckResult:
    base: dict[str, Any] = {
        "input": "x", "kind": "url", "value": "https://apps.apple.com/us/app/x/id1",
        "verdict": "not_reported", "confirmed": False, "allowlisted": False, "report_count": 0,
        "categories": {}, "sources": [], "feeds": [], "first_seen": None, "last_seen": None,
    }  # fmt: skip
    return CheckResult(**(base | fields))


@pytest.mark.parametrize(
    ("fields", "state"),
    [
        ({"verdict": "reported", "confirmed": True, "report_count": 3}, "confirmed"),
        ({"verdict": "reported", "report_count": 2}, "reported"),
        ({"allowlisted": True}, "allowlisted"),
        # A page a blocklist names on a legitimate host (an App Store page) is reported, not green.
        ({"verdict": "reported", "allowlisted": True, "sources": ["ChongLuaDao"]}, "reported"),
        ({}, "none"),
    ],
)
def test_each_state(fields: dict[str, Any], state: str) -> None:
    assert check_state(result(**fields)) == state
