"""Errors answer a person with a page and a machine with JSON."""

from __future__ import annotations

from typing import Any


def test_a_role_that_may_not_see_a_page_gets_a_page_saying_so(client_as: Any) -> None:
    answer = client_as("platform").get("/queue?lang=en", headers={"Accept": "text/html"})
    assert answer.status_code == 403
    assert answer.headers["content-type"].startswith("text/html")
    assert "Your account may not use this page." in answer.text


def test_the_same_refusal_to_a_machine_is_json(client_as: Any) -> None:
    answer = client_as("platform").get("/api/v1/dashboard/figures")
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "not_permitted"


def test_a_missing_report_page_is_a_page(client_as: Any) -> None:
    answer = client_as("analyst").get("/reports/999999", headers={"Accept": "text/html"})
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
