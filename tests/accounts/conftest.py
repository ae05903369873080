"""Factories of accounts tests: a real user in the test's database, and the audit entries."""

from __future__ import annotations

import json
from typing import Any, Protocol

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tipline.accounts.models import User
from tipline.accounts.service import create_user, sign_in
from tipline.audit.models import AuditEntry
from tipline.partners.service import add_organisation, add_partner
from tipline.ratelimits.service import RateLimits, rate_limits
from tipline.settings import Settings

PASSWORD = "correct horse battery"  # the tests' copies of it must agree
CLEAN = "192.0.2.10"  # an address without failures (documentation range, RFC 5737)
# Low sign-in limits for these tests: 3 failures a minute, 5 an hour per address; 8 a minute
# from everyone.
SIGN_IN_LIMITS = {"signin_limit_per_address": "3/minute; 5/hour", "signin_limit_global": "8/minute"}


class UserMaker(Protocol):
    def __call__(self, username: str = ..., role: str = ..., password: str = ...) -> User: ...


@pytest.fixture
def make_user(db_session: Session) -> UserMaker:
    """A user made through the service: `make_user("lan", "analyst")`. A partner user gets a
    partner agency of its own, `<username> agency`; a platform user an organisation (a bank),
    `<username> org`."""

    def make(username: str = "lan", role: str = "analyst", password: str = PASSWORD) -> User:
        partner = organisation = None
        if role == "partner":
            partner = add_partner(db_session, "cli:test", f"{username} agency", "TH").name
        if role == "platform":
            organisation = add_organisation(db_session, "cli:test", f"{username} org", "bank").name
        return create_user(
            db_session, "cli:test", username, role, password,
            partner=partner, organisation=organisation,
        )  # fmt: skip

    return make


class AuditReader(Protocol):
    def __call__(self, action: str | None = ...) -> list[dict[str, Any]]: ...


@pytest.fixture
def audit_log(db_session: Session) -> AuditReader:
    """The audit log's entries (of one action), oldest first, details decoded."""

    def read(action: str | None = None) -> list[dict[str, Any]]:
        statement = select(AuditEntry).order_by(AuditEntry.sequence)
        if action is not None:
            statement = statement.where(AuditEntry.action == action)
        return [
            {
                "actor": entry.actor,
                "target": f"{entry.target_type}:{entry.target_id}",
                "details": json.loads(entry.details_json),
                "raw": entry.details_json,
            }
            for entry in db_session.scalars(statement)
        ]

    return read


@pytest.fixture
def limits(settings: Settings, session_factory: sessionmaker[Session]) -> RateLimits:
    """The rate limits of a server with `SIGN_IN_LIMITS`, counted in the test's database."""
    return rate_limits(settings.model_copy(update=SIGN_IN_LIMITS), session_factory)


class SignIn(Protocol):
    def __call__(self, username: str, password: str, address: str = ...) -> tuple[User, str]: ...


@pytest.fixture
def sign_in_as(db_session: Session, limits: RateLimits) -> SignIn:
    """`sign_in("lan", PASSWORD, address)` through the service, under `limits`."""

    def attempt(username: str, password: str, address: str = CLEAN) -> tuple[User, str]:
        return sign_in(db_session, username, password, limits, address)

    return attempt
