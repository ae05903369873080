"""`GET /api/v1/check` and `POST /api/v1/check/bulk` through the app."""

from __future__ import annotations

from fastapi.testclient import TestClient

REPORT = "Kẻ gian gọi từ 0987 654 321 và gửi link hxxps://vcb-xacminh[.]com/otp"


def file_report(client: TestClient) -> None:
    assert client.post("/api/v1/reports", json={"narrative": REPORT}).status_code == 201


def test_check_a_reported_phone(client: TestClient) -> None:
    file_report(client)
    file_report(client)
    answer = client.get("/api/v1/check", params={"value": "0987.654.321"})
    assert answer.status_code == 200
    body = answer.json()
    assert (body["kind"], body["value"], body["verdict"]) == ("phone", "+84987654321", "reported")
    assert body["report_count"] == 2
    assert sum(body["categories"].values()) == 2
    assert body["first_seen"].endswith("Z")


def test_a_phone_one_report_names_is_reported_without_category_or_dates(
    client: TestClient,
) -> None:
    file_report(client)
    body = client.get("/api/v1/check", params={"value": "0987.654.321"}).json()
    assert (body["verdict"], body["report_count"], body["categories"]) == ("reported", 1, {})
    assert (body["first_seen"], body["last_seen"]) == (None, None)


def test_check_an_unreported_domain(client: TestClient) -> None:
    body = client.get("/api/v1/check", params={"value": "chua-ai-bao.vn"}).json()
    assert (body["kind"], body["verdict"]) == ("domain", "not_reported")


def test_check_refuses_nonsense_and_empty(client: TestClient) -> None:
    nonsense = client.get("/api/v1/check", params={"value": "<b>hi</b>"})
    assert nonsense.status_code == 422
    assert nonsense.json()["error"]["field"] == "value"
    assert client.get("/api/v1/check", params={"value": ""}).status_code == 422
    assert client.get("/api/v1/check").status_code == 422
    assert client.get("/api/v1/check", params={"value": "a" * 2049}).status_code == 422


def test_bulk_check_in_order(client: TestClient) -> None:
    file_report(client)
    answer = client.post(
        "/api/v1/check/bulk", json={"values": ["vcb-xacminh.com", "???", "0912000111"]}
    )
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert results[0]["verdict"] == "reported"
    assert results[1] == {"input": "???", "error": results[1]["error"]}
    assert results[2]["verdict"] == "not_reported"


def test_bulk_check_limit_is_1000_values(client: TestClient) -> None:
    ok = client.post("/api/v1/check/bulk", json={"values": ["0912000111"] * 1000})
    assert ok.status_code == 200
    assert len(ok.json()["results"]) == 1000
    too_many = client.post("/api/v1/check/bulk?lang=en", json={"values": ["0912000111"] * 1001})
    assert too_many.status_code == 422
    assert too_many.json()["error"]["message"] == "Too many: at most 1000 items."


def test_an_unreadable_value_is_refused_in_the_readers_language(client: TestClient) -> None:
    vi = client.get("/api/v1/check", params={"value": "xin chao"}).json()["error"]
    assert vi["message"].startswith("'xin chao' không phải số điện thoại")
    en = client.get("/api/v1/check", params={"value": "xin chao", "lang": "en"}).json()["error"]
    assert en["message"].startswith("'xin chao' is not a phone number")
    bulk = client.post("/api/v1/check/bulk", json={"values": ["xin chao"]}).json()["results"]
    assert bulk[0]["error"] == vi["message"]
