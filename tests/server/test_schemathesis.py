"""The API against its own OpenAPI document: schemathesis generates requests for every operation
(in-process, anonymous and with an analyst's token) and checks that none answers 5xx and that
every status answered is one the document declares. Bounded: a few examples an operation."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, status_code_conformance
from schemathesis.core.failures import FailureGroup
from sqlalchemy.orm import Session, sessionmaker

from tipline.accounts.service import create_token, create_user
from tipline.app import create_app
from tipline.settings import Settings

CHECKS = [not_a_server_error, status_code_conformance]
# The first report loads triage's model and extraction's tables: seconds on a busy machine.
TIMEOUT = 120
EXAMPLES = 6  # an operation, each sent anonymously and with the token


def _said(failure: BaseException) -> str:
    return " ".join(line.strip() for line in str(failure).splitlines() if line.strip())[:160]


def failures_of(operation: Any, token: str, sent: list[int]) -> list[str]:
    """What the checks found wrong with this operation's generated requests (`sent` counts)."""
    found: list[str] = []

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    def run(case: Any) -> None:
        for headers in ({}, {"Authorization": f"Bearer {token}"}):
            sent.append(1)
            try:
                case.call_and_validate(checks=CHECKS, headers=headers, timeout=TIMEOUT)
            except FailureGroup as group:
                who = "token" if headers else "anonymous"
                found.extend(f"{operation.label} ({who}): {_said(e)}" for e in group.exceptions)

    run()
    return found


def test_api_answers_only_documented_statuses(
    settings: Settings, session_factory: sessionmaker[Session], db_session: Session
) -> None:
    create_user(db_session, "cli", "schema-analyst", "analyst", "a long enough password 1")
    token = create_token(db_session, "cli", "schema-analyst", "schemathesis", days=1).plaintext
    db_session.commit()
    app = create_app(settings=settings, session_factory=session_factory)
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    sent: list[int] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        failures.extend(failures_of(operation, token, sent))
    assert len(operations) >= 30
    assert len(sent) >= 300
    assert not failures, "\n".join(sorted(set(failures)))
