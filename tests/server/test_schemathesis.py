"""The API against its own OpenAPI document: schemathesis generates requests for every operation
(in-process) and sends each one anonymously and with the token of every role: analyst,
supervisor, admin, a partner agency's user and an organisation's (platform) user; where an
operation takes a report's tracking code and secret, also as the citizen who holds them.

Checks: no answer is a 5xx, every status answered is one the document declares, every answer's
body matches the schema declared for its status and its content type is the declared one.
Bounded: a few examples an operation; the operations are split in shards so that pytest-xdist
runs them on both cores."""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from tests.conftest import ReportMaker
from tests.principals import staff

from tipline.accounts.service import create_token, create_user
from tipline.app import create_app
from tipline.campaigns.models import Campaign
from tipline.cases.service import create_case
from tipline.indicators.models import IndicatorRecord
from tipline.partners.service import add_organisation, add_partner
from tipline.reports.models import Report
from tipline.settings import Settings

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]
# The first report loads triage's model and extraction's tables: seconds on a busy machine.
TIMEOUT = 120
EXAMPLES = 3  # an operation; each is sent once by every identity (TIPLINE_FUZZ_EXAMPLES)
SHARDS = 4
PASSWORD = "a long enough password 1"
ROLES = ("analyst", "supervisor", "admin", "partner", "platform")


@dataclass(frozen=True)
class Citizen:
    code: str
    secret: str


@dataclass(frozen=True)
class Identities:
    """Who sends each generated request: role → headers (anonymous: none), and the citizen;
    `seeded`: path parameter → the identifier of an object that exists (a report, its
    indicator, a case, a campaign), so that requests reach more than "not found"."""

    headers: dict[str, dict[str, str]]
    citizen: Citizen
    seeded: dict[str, str]


def examples() -> int:
    """Examples an operation: `EXAMPLES`, or more for a longer run by hand."""
    return int(os.environ.get("TIPLINE_FUZZ_EXAMPLES", EXAMPLES))


def _said(failure: BaseException) -> str:
    return " ".join(line.strip() for line in str(failure).splitlines() if line.strip())[:300]


def _takes_report_secret(operation: Any) -> bool:
    names = {parameter.name.lower() for parameter in operation.iter_parameters()}
    return "x-report-secret" in names


def _as_citizen(case: Any, citizen: Citizen) -> Any:
    """The same generated request, for the citizen's own report with her secret."""
    case.path_parameters = {**(case.path_parameters or {}), "code": citizen.code}
    case.headers = {**(case.headers or {}), "x-report-secret": citizen.secret}
    return case


def failures_of(operation: Any, who: Identities, answered: Counter[tuple[str, int]]) -> list[str]:
    """What the checks found wrong with this operation's generated requests (`answered`
    counts the answers by identity and status class: ("analyst", 2) for a 2xx)."""
    found: list[str] = []

    def send(case: Any, name: str, headers: dict[str, str]) -> None:
        try:
            response = case.call(headers=headers, timeout=TIMEOUT)
            answered[(name, response.status_code // 100)] += 1
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as group:
            found.extend(f"{operation.label} ({name}): {_said(e)}" for e in group.exceptions)

    @given(case=operation.as_strategy())
    @settings(max_examples=examples(), deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    def run(case: Any) -> None:
        for name, headers in who.headers.items():
            send(case, name, headers)
        if _takes_report_secret(operation):
            send(_as_citizen(case, who.citizen), "citizen", {})
        if existing := {k: v for k, v in who.seeded.items() if k in (case.path_parameters or {})}:
            case.path_parameters = {**case.path_parameters, **existing}
            for name, headers in who.headers.items():
                send(case, name, headers)
        for problem in hostile_problems(case, who.headers["admin"], who.seeded):
            found.append(f"{operation.label} (admin): {problem}")

    run()
    return found


def hostile(value: Any, start: str = "\x00\udc80") -> Any:
    """`value` with each of its texts starting with `start` (a NUL and a lone surrogate), its
    length kept."""
    if isinstance(value, str):
        return (start + value[len(start) :])[: len(value)]
    if isinstance(value, dict):
        return {key: hostile(item, start) for key, item in value.items()}
    if isinstance(value, list):
        return [hostile(item, start) for item in value]
    return value


def hostile_problems(case: Any, headers: dict[str, str], seeded: dict[str, str]) -> list[str]:
    """What is wrong with the answers to the request with hostile texts: a NUL in each text of
    its query and unseeded path, and in its JSON body's texts a NUL and a lone surrogate (as
    JSON escapes, `\\u0000\\udc80`), then a byte that is never UTF-8 (raw). Sent without
    schemathesis, which cannot carry a lone surrogate."""
    if isinstance(case.body, dict | list) and case.media_type == "application/json":
        texts = hostile(case.body)
        bodies = [json.dumps(texts).encode(), json.dumps(texts, ensure_ascii=False).encode(
            "utf-8", "surrogateescape")]  # fmt: skip
    else:
        bodies = [None]
    declared = {str(code) for code in case.operation.definition.raw["responses"]}
    path = {
        key: quote(str(value if key in seeded else hostile(value, "\x00")), safe="")
        for key, value in case.path_parameters.items()
    }
    url = case.path.format(**path)
    problems = []
    with TestClient(case.operation.app, raise_server_exceptions=False) as client:
        for number, body in enumerate(bodies):
            answer = client.request(
                case.method, url, params=hostile(case.query, "\x00"), content=body,
                headers=headers | ({"content-type": "application/json"} if body else {}),
            )  # fmt: skip
            broken = number == 1  # FastAPI answers 400 to a body that is not UTF-8
            if answer.status_code >= 500 or not (broken or str(answer.status_code) in declared):
                problems.append(f"{answer.status_code} to hostile texts{' (raw)' * broken}")
    return problems


def make_identities(db_session: Session, make_report: ReportMaker) -> Identities:
    """A user and a token for every role (a partner agency's and an organisation's user act
    for their record), and a citizen's report."""
    partner = add_partner(db_session, "cli:test", "Fuzz agency", "TH").name
    organisation = add_organisation(db_session, "cli:test", "Fuzz bank", "bank").name
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    for role in ROLES:
        affiliation = {"partner": partner} if role == "partner" else {}
        affiliation |= {"organisation": organisation} if role == "platform" else {}
        create_user(db_session, "cli:test", f"fuzz-{role}", role, PASSWORD, **affiliation)
        token = create_token(db_session, "cli:test", f"fuzz-{role}", "schemathesis", days=1)
        headers[role] = {"Authorization": f"Bearer {token.plaintext}"}
    return Identities(headers, *_seeded(db_session, make_report))


def _seeded(db_session: Session, make_report: ReportMaker) -> tuple[Citizen, dict[str, str]]:
    """Two reports naming the same phone (a campaign), and a case holding the first."""
    receipt = make_report("Họ gọi điện mạo danh công an, bắt chuyển tiền vào 0912345678.")
    make_report("Kẻ lừa đảo gọi từ 0912345678 đòi phí nhận quà, tôi mất 5 triệu.")
    report = db_session.scalars(select(Report).where(Report.code == receipt.code)).one()
    case = create_case(db_session, staff("analyst:fuzz-analyst"), "Fuzz", report_ids=[report.id])
    seeded = {"report_id": report.id, "code": receipt.code, "case_id": case.id}
    seeded |= {"indicator_id": db_session.scalars(select(IndicatorRecord.id)).first()}
    seeded |= {"uid": db_session.scalars(select(Campaign.uid)).first()}
    db_session.commit()
    found = {name: str(value) for name, value in seeded.items() if value is not None}
    return Citizen(receipt.code, receipt.secret), found


@pytest.mark.parametrize("shard", range(SHARDS))
def test_api_answers_as_documented_to_everyone(
    shard: int,
    settings: Settings,
    session_factory: sessionmaker[Session],
    db_session: Session,
    make_report: ReportMaker,
) -> None:
    who = make_identities(db_session, make_report)
    app = create_app(settings=settings, session_factory=session_factory)
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    mine = operations[shard::SHARDS]
    failures: list[str] = []
    answered: Counter[tuple[str, int]] = Counter()
    for operation in mine:
        failures.extend(failures_of(operation, who, answered))
    sent = Counter[str]()
    for (name, _), count in answered.items():
        sent[name] += count
    print(f"shard {shard}: {len(mine)} operations, sent {dict(sent)}")  # noqa: T201
    assert len(operations) >= 70
    assert sent["anonymous"] >= len(mine) * examples()
    assert all(sent[role] == sent["anonymous"] for role in ROLES)
    assert answered["anonymous", 4] > answered["anonymous", 2] > 0
    assert answered["analyst", 2] > len(mine) // 2  # the seeded objects are found
    assert not failures, "\n".join(sorted(set(failures)))
