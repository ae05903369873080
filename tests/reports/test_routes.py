"""The reports API through the app (TestClient on the test's transaction)."""

from __future__ import annotations

from fastapi.testclient import TestClient

NARRATIVE = "Có người giả danh nhân viên ngân hàng gọi từ 0987 654 321 đòi mã OTP."


def post(client: TestClient, **body: object) -> dict:
    answer = client.post("/api/v1/reports", json={"narrative": NARRATIVE} | body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_post_report_answers_201_with_code_and_secret(client: TestClient) -> None:
    answer = client.post(
        "/api/v1/reports",
        json={"narrative": NARRATIVE, "loss_amount": 2500000, "loss_currency": "vnd",
              "occurred_at": "2026-01-05", "victim_age": 40, "province": "Huế",
              "contact": "0900000000", "indicators": ["VCB 0123456789"]},
    )  # fmt: skip
    assert answer.status_code == 201
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    assert body["code"].startswith("TL-")
    assert len(body["secret"]) == 29
    values = {(i["kind"], i["value"]) for i in body["indicators"]}
    assert values >= {("phone", "+84987654321"), ("bank_account", "VCB:0123456789")}
    assert body["category"]
    assert body["urgency"] in ("critical", "high", "normal", "low")


def test_get_report_with_secret_in_header_not_in_the_url(client: TestClient) -> None:
    body = post(client)
    code, secret = body["code"], body["secret"]
    by_header = client.get(f"/api/v1/reports/{code}", headers={"X-Report-Secret": secret})
    assert by_header.status_code == 200
    assert by_header.json()["status"] == "new"
    assert "secret" not in by_header.json()
    assert "narrative" not in by_header.json()
    # A secret in the URL lands in logs and browser history: it is not read there.
    by_query = client.get(f"/api/v1/reports/{code}", params={"secret": secret})
    assert by_query.status_code == 404


def test_get_report_with_wrong_secret_or_code_is_the_same_404(client: TestClient) -> None:
    code = post(client)["code"]
    wrong_secret = client.get(f"/api/v1/reports/{code}", headers={"X-Report-Secret": "x"})
    wrong_code = client.get("/api/v1/reports/TL-2222-2222", headers={"X-Report-Secret": "x"})
    no_secret = client.get(f"/api/v1/reports/{code}")
    for answer in (wrong_secret, wrong_code, no_secret):
        assert answer.status_code == 404
        assert answer.json()["error"]["code"] == "not_found"
    assert wrong_secret.json() == wrong_code.json()


def test_validation_errors_name_the_field_in_vietnamese_or_english(client: TestClient) -> None:
    vi = client.post("/api/v1/reports", json={"narrative": "   "})
    en = client.post("/api/v1/reports?lang=en", json={"narrative": "   "})
    assert vi.status_code == en.status_code == 422
    assert vi.json()["error"]["field"] == "narrative"
    assert vi.json()["error"]["message"] == "Hãy kể lại chuyện gì đã xảy ra."
    assert en.json()["error"]["message"] == "The narrative is empty: tell what happened."
    missing = client.post("/api/v1/reports", json={}, headers={"Accept-Language": "en-GB,en"})
    required = "This field is required."
    assert missing.json()["error"] == {
        "code": "invalid_input", "message": required, "field": "narrative",
        "details": [{"field": "narrative", "code": "missing", "message": required}],
    }  # fmt: skip


def test_narrative_is_limited_to_20000_characters(client: TestClient) -> None:
    assert post(client, narrative="a" * 20_000)["code"]
    answer = client.post("/api/v1/reports?lang=en", json={"narrative": "a" * 20_001})
    assert answer.status_code == 422
    assert answer.json()["error"]["message"] == "Too long: at most 20000 characters."


def test_bad_values_are_refused_field_by_field(client: TestClient) -> None:
    answer = client.post(
        "/api/v1/reports?lang=en",
        json={"narrative": NARRATIVE, "victim_age": 300, "loss_amount": -1, "surprise": 1},
    )
    assert answer.status_code == 422
    fields = {detail["field"] for detail in answer.json()["error"]["details"]}
    assert fields == {"victim_age", "loss_amount", "surprise"}


def test_a_date_in_the_future_is_refused(client: TestClient) -> None:
    answer = client.post(
        "/api/v1/reports?lang=en", json={"narrative": NARRATIVE, "occurred_at": "2999-01-01"}
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "occurred_at"
    assert answer.json()["error"]["message"] == "The date is in the future."


def test_broken_json_is_a_clear_error(client: TestClient) -> None:
    answer = client.post(
        "/api/v1/reports?lang=en",
        content=b'{"narrative": ',
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "invalid_input"


def test_oversized_body_is_refused_before_it_is_read(client: TestClient) -> None:
    body = b'{"narrative": "' + b"a" * (4 * 1024 * 1024) + b'"}'
    answer = client.post(
        "/api/v1/reports", content=body, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "too_large"


def test_html_comes_back_as_json_text_not_markup(client: TestClient) -> None:
    answer = client.post("/api/v1/reports", json={"narrative": "<script>alert(1)</script>"})
    assert answer.status_code == 201
    assert answer.headers["content-type"] == "application/json"


def test_health_and_openapi_docs(client: TestClient) -> None:
    health = client.get("/api/v1/health")
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/reports", "/api/v1/reports/{code}", "/api/v1/check", "/api/v1/check/bulk",
            "/api/v1/health"} <= set(schema["paths"])  # fmt: skip
    assert client.get("/api/v1/docs").status_code == 200


def test_unknown_api_path_is_a_json_404(client: TestClient) -> None:
    answer = client.get("/api/v1/nothing-here?lang=en")
    assert answer.status_code == 404
    assert answer.json() == {"error": {"code": "not_found", "message": "Not found.", "field": None}}
