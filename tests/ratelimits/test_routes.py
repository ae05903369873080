"""Public writes through the real app: past an address's limit, 429 with `Retry-After`."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from limits import parse
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tipline.app import create_app
from tipline.ratelimits.models import RateCounter
from tipline.ratelimits.service import Identity
from tipline.settings import Settings

NARRATIVE = "Có người gọi từ số 0912345678 bảo chuyển tiền vào tài khoản."
LOW = {"rate_limit_reports": "3/minute", "rate_limit_checks": "5/minute"}


def submit(client: TestClient, **headers: str) -> Any:
    return client.post("/api/v1/reports", json={"narrative": NARRATIVE}, headers=headers)


def test_report_submission_past_the_limit_answers_429_while_others_are_served(
    settings: Settings, session_factory: sessionmaker[Session]
) -> None:
    app = create_app(settings=settings.model_copy(update=LOW), session_factory=session_factory)
    with (
        TestClient(app, client=("203.0.113.5", 5000)) as flood,
        TestClient(app, client=("198.51.100.7", 5000)) as citizen,
    ):
        assert [submit(flood).status_code for _ in range(3)] == [201] * 3
        refused = submit(flood)
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert refused.json()["error"]["code"] == "too_many_requests"
        assert refused.json()["error"]["message"].startswith("Quá nhiều yêu cầu")
        english = submit(flood, **{"Accept-Language": "en"})
        assert english.json()["error"]["message"].startswith("Too many requests: try again in")
        assert submit(citizen).status_code == 201
        # The page's form counts against the same limit: a page, in the reader's language.
        page = flood.post("/report", data={"narrative": NARRATIVE})
        assert page.status_code == 429
        assert "Retry-After" in page.headers
        assert "Quá nhiều yêu cầu từ kết nối của bạn" in page.text


@pytest.mark.parametrize("in_memory", [True, False])
def test_checks_have_their_own_higher_limit(
    settings: Settings, session_factory: sessionmaker[Session], db_session: Session, in_memory: bool
) -> None:
    update = LOW | {"rate_limit_checks_in_memory": in_memory}
    app = create_app(settings=settings.model_copy(update=update), session_factory=session_factory)
    with TestClient(app, client=("203.0.113.5", 5000)) as client:
        answers = [client.get("/api/v1/check", params={"value": "0912345678"}) for _ in range(5)]
        assert [answer.status_code for answer in answers] == [200] * 5
        bulk = client.post("/api/v1/check/bulk", json={"values": ["0912345678"]})
        assert bulk.status_code == 429
        assert bulk.headers["Retry-After"].isdigit()
        assert submit(client).status_code == 201  # reports are counted apart
    counted = db_session.scalars(select(RateCounter.key)).all()
    assert any("/checks/" in key for key in counted) is not in_memory
    assert any("/reports/" in key for key in counted)


def test_forwarded_for_is_believed_only_behind_a_trusted_proxy(
    settings: Settings, session_factory: sessionmaker[Session]
) -> None:
    for proxies, expected in ((0, [201, 201, 201, 429]), (1, [201] * 4)):
        update = LOW | {"trusted_proxies": proxies}
        app = create_app(
            settings=settings.model_copy(update=update), session_factory=session_factory
        )
        with TestClient(app, client=(f"10.0.0.{proxies + 1}", 5000)) as proxy:
            statuses = [
                submit(proxy, **{"X-Forwarded-For": f"198.51.100.{n}"}).status_code
                for n in range(4)
            ]
        assert statuses == expected


def test_the_override_hook_counts_a_token_against_its_own_limits(
    settings: Settings, session_factory: sessionmaker[Session]
) -> None:
    app = create_app(settings=settings.model_copy(update=LOW), session_factory=session_factory)

    def platform_limits(request: Request, name: str) -> Identity | None:
        if request.headers.get("x-platform") == "bank":
            return "token:bank", [parse("5/minute")]
        return None

    app.state.rate_limits.override = platform_limits
    with TestClient(app, client=("203.0.113.5", 5000)) as client:
        statuses = [submit(client, **{"X-Platform": "bank"}).status_code for _ in range(6)]
        assert statuses == [201] * 5 + [429]
        assert submit(client).status_code == 201  # the address's own count is untouched
