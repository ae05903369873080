"""Factories of accounts tests: a real user in the test's database, and the audit entries."""

from __future__ import annotations

import json
from typing import Any, Protocol

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tipline.accounts.models import User
from tipline.accounts.service import create_user
from tipline.audit.models import AuditEntry
from tipline.partners.service import add_organisation, add_partner

PASSWORD = "correct horse battery"  # the tests' copies of it must agree


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
