"""Dates before tipline's era (2000-01-01) are refused with a 422 that names the field: a
`deadline: 0` is not 1970, nor is a filter or an event date."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

ClientAs = Callable[..., TestClient]

TOO_EARLY = "The date is too early: it must be 2000-01-01 or later."


def refused(answer: Any, field: str) -> None:
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert (error["field"], error["message"]) == (field, TOO_EARLY)


@pytest.mark.parametrize("occurred_at", ["1970-01-01", 0, "1999-12-31T23:00:00"])
def test_report_dated_before_the_era_is_refused(client: TestClient, occurred_at: Any) -> None:
    body = {"narrative": "Họ gọi từ 0912345678 giả danh công an.", "occurred_at": occurred_at}
    refused(client.post("/api/v1/reports?lang=en", json=body), "occurred_at")


def test_case_deadline_zero_is_refused(client_as: ClientAs) -> None:
    analyst = client_as("analyst")
    refused(analyst.post("/api/v1/cases?lang=en", json={"title": "x", "deadline": 0}), "deadline")
    created = analyst.post("/api/v1/cases", json={"title": "x", "deadline": "2000-01-01"})
    assert created.status_code == 201
    case = created.json()["id"]
    refused(analyst.patch(f"/api/v1/cases/{case}?lang=en", json={"deadline": "1969-07-20"}),
            "deadline")  # fmt: skip


def test_filters_before_the_era_are_refused(client_as: ClientAs) -> None:
    refused(client_as("analyst").get("/api/v1/queue?lang=en&from=1999-12-31"), "from")
    admin = client_as("admin", "root")
    refused(admin.get("/api/v1/audit/entries?lang=en&since=0"), "since")
    refused(admin.get("/api/v1/audit/entries?lang=en&until=1970-01-01T00:00:00Z"), "until")
    assert admin.get("/api/v1/audit/entries?since=2000-01-01T00:00:00Z").status_code == 200
