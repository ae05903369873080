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


HTML = {"Accept": "text/html,application/xhtml+xml"}


def test_an_unknown_address_answers_a_person_with_a_citizen_page(client: Any) -> None:
    answer = client.get("/no/such/page?lang=en", headers=HTML)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert "This page does not exist." in answer.text
    assert "ws-main" not in answer.text  # the citizen's layout
    machine = client.get("/api/v1/no/such/thing")
    assert machine.status_code == 404
    assert machine.json()["error"]["code"] == "not_found"


def test_an_error_on_an_analyst_page_is_shown_in_the_workspace_layout(client_as: Any) -> None:
    analyst = client_as("analyst")
    for path in ("/reports/999999", "/reports/not-a-number", "/queue/nothing-here"):
        answer = analyst.get(path + "?lang=vi", headers=HTML)
        assert answer.status_code in (404, 422), path
        assert answer.headers["content-type"].startswith("text/html"), path
        assert 'class="ws-main"' in answer.text, path
        assert '"error"' not in answer.text, path
    refused = client_as("platform").get("/dashboard", headers=HTML)
    assert refused.status_code == 403
    assert 'class="ws-main"' in refused.text


def test_a_refused_form_answers_a_page_and_the_api_json(client_as: Any) -> None:
    analyst = client_as("analyst")
    form = analyst.post("/reports/999999/notes", data={"text": "x"}, headers=HTML)
    assert form.status_code in (403, 404)  # no CSRF token or no report: either way a page
    assert form.headers["content-type"].startswith("text/html")
    api = analyst.post("/api/v1/reports/999999/notes", json={"text": "x"})
    assert api.status_code == 404
    assert api.json()["error"]["code"] == "not_found"


def test_an_unexpected_error_is_a_page_for_a_person_and_json_for_a_machine(
    settings: Any, session_factory: Any, monkeypatch: Any
) -> None:
    from fastapi.testclient import TestClient

    from tipline.access import Principal, Role, get_principal
    from tipline.app import create_app
    from tipline.workspace import service

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a narrative that must not be shown")

    monkeypatch.setattr(service, "queue_page", broken)
    monkeypatch.setattr(service, "queue_for", broken)
    app = create_app(settings=settings, session_factory=session_factory)
    principal = Principal(user_id=1, username="lan", role=Role.ANALYST, via="session")
    app.dependency_overrides[get_principal] = lambda: principal
    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/queue?lang=en", headers=HTML)
        api = client.get("/api/v1/queue")
    assert page.status_code == 500
    assert page.headers["content-type"].startswith("text/html")
    assert "Server error" in page.text
    assert "must not be shown" not in page.text
    assert api.status_code == 500
    assert api.json()["error"]["code"] == "internal"
