"""`tipline users …` and `tipline tokens …` on a fresh SQLite database."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from tipline.accounts import core, service
from tipline.accounts.models import ApiToken, User
from tipline.audit.models import AuditEntry
from tipline.cli import app
from tipline.partners.models import Organisation, Partner
from tipline.server.console import open_database
from tipline.settings import Settings

runner = CliRunner()
PASSWORD = "correct horse battery"


@pytest.fixture
def factory(settings: Settings) -> sessionmaker[Session]:
    return open_database(settings)


def add(username: str, role: str = "analyst", *record: str, password: str = PASSWORD) -> str:
    """`tipline users add`; `record` names what a partner or platform user acts for:
    `add("bank", "platform", "--organisation", "Vietcombank")`."""
    arguments = ["users", "add", username, "--role", role, "--password-stdin", *record]
    result = runner.invoke(app, arguments, input=password + "\n")
    assert result.exit_code == 0, result.output
    return result.output


def organisations(*arguments: str) -> str:
    result = runner.invoke(app, ["organisations", *arguments])
    assert result.exit_code == 0, result.output
    return result.output


def test_users_add_ties_partner_and_platform_users_to_their_record(
    factory: sessionmaker[Session],
) -> None:
    assert runner.invoke(app, ["partners", "add", "Thai CCIB", "--country", "th"]).exit_code == 0
    organisations("add", "Vietcombank", "--kind", "bank")
    assert add("ccib", "partner", "--partner", "Thai CCIB") == "user ccib added (partner)\n"
    add("vcb", "platform", "--organisation", "Vietcombank")
    with factory() as session:
        ccib, vcb = service.find_user(session, "ccib"), service.find_user(session, "vcb")
        partner_id = session.scalars(select(Partner.id)).one()
        organisation_id = session.scalars(select(Organisation.id)).one()
    assert (ccib.partner_id, ccib.organisation_id) == (partner_id, None)
    assert (vcb.partner_id, vcb.organisation_id) == (None, organisation_id)
    for arguments, message in (
        (["p1", "--role", "partner"], "error: a user of role partner belongs to one partner "
                                      "agency (--partner)"),
        (["p2", "--role", "platform", "--partner", "Thai CCIB"],
         "error: a user of role platform belongs to one organisation (--organisation)"),
        (["a1", "--role", "analyst", "--organisation", "Vietcombank"],
         "error: a user of role analyst belongs to no partner or organisation"),
        (["p3", "--role", "partner", "--partner", "Nobody"], "error: no partner 'Nobody'"),
    ):  # fmt: skip
        result = runner.invoke(
            app, ["users", "add", *arguments, "--password-stdin"], input=PASSWORD + "\n"
        )
        assert (result.exit_code, result.output.strip()) == (2, message)


def test_users_add_reads_the_password_from_stdin(factory: sessionmaker[Session]) -> None:
    assert add("Lan", "supervisor") == "user lan added (supervisor)\n"
    with factory() as session:
        user = service.verify_password(session, "lan", PASSWORD)
        assert user is not None
        assert (user.role, user.disabled) == ("supervisor", False)
        actors = session.scalars(select(AuditEntry.actor)).all()
    assert len(actors) == 1
    assert actors[0].startswith("cli")


def test_users_add_without_a_terminal_or_stdin_fails_clearly(
    factory: sessionmaker[Session],
) -> None:
    result = runner.invoke(app, ["users", "add", "lan", "--role", "analyst"])
    assert result.exit_code == 2
    assert "no terminal to ask for the password: pipe it with --password-stdin" in result.output
    with factory() as session:
        assert session.scalars(select(User)).all() == []


def test_users_add_refusals_exit_2_with_one_line(factory: sessionmaker[Session]) -> None:
    add("lan")
    for arguments, password, message in (
        (["lan", "--role", "analyst"], PASSWORD, "error: user 'lan' already exists"),
        (["minh", "--role", "boss"], PASSWORD, "error: unknown role 'boss'"),
        (["minh", "--role", "analyst"], "short", "error: a password has at least 10 characters"),
    ):
        result = runner.invoke(
            app, ["users", "add", *arguments, "--password-stdin"], input=password + "\n"
        )
        assert result.exit_code == 2
        assert message in result.output
        assert "Traceback" not in result.output


def test_users_list_and_disable(factory: sessionmaker[Session]) -> None:
    add("lan")
    add("an", "admin")
    listed = runner.invoke(app, ["users", "list"])
    assert listed.exit_code == 0
    rows = [line for line in listed.output.splitlines() if "lan" in line or " an " in line]
    assert len(rows) == 2
    assert "analyst" in rows[1]
    assert "active" in rows[1]
    disabled = runner.invoke(app, ["users", "disable", "lan"])
    assert disabled.exit_code == 0
    assert "user lan disabled" in disabled.output
    with factory() as session:
        assert service.find_user(session, "lan").disabled is True
    assert "disabled" in runner.invoke(app, ["users", "list"]).output
    missing = runner.invoke(app, ["users", "disable", "nobody"])
    assert (missing.exit_code, missing.output.strip()) == (2, "error: no user 'nobody'")


def test_tokens_create_prints_it_once_list_and_revoke(factory: sessionmaker[Session]) -> None:
    organisations("add", "Vietcombank", "--kind", "bank")
    add("bank", "platform", "--organisation", "Vietcombank")
    created = runner.invoke(app, ["tokens", "create", "bank", "--name", "feed", "--days", "30"])
    assert created.exit_code == 0, created.output
    assert "it will not be shown again" in created.output
    [plaintext] = re.findall(r"tl_[A-Za-z0-9_-]{43}", created.output)
    with factory() as session:
        token = session.scalars(select(ApiToken)).one()
        assert token.token_hash == core.secret_hash(plaintext)
        assert service.principal_for_token(session, plaintext) is not None
    listed = runner.invoke(app, ["tokens", "list", "bank"])
    assert listed.exit_code == 0
    assert f"{token.prefix}…" in listed.output
    assert plaintext not in listed.output
    assert "active" in listed.output
    revoked = runner.invoke(app, ["tokens", "revoke", str(token.id)])
    assert revoked.exit_code == 0
    assert f"token {token.id} ({token.prefix}…, feed) revoked" in revoked.output
    assert "revoked" in runner.invoke(app, ["tokens", "list"]).output
    with factory() as session:
        assert service.principal_for_token(session, plaintext) is None


def test_tokens_refusals_exit_2(factory: sessionmaker[Session]) -> None:
    organisations("add", "Vietcombank", "--kind", "bank")
    add("bank", "platform", "--organisation", "Vietcombank")
    for arguments, message in (
        (["create", "nobody", "--name", "x"], "error: no user 'nobody'"),
        (["create", "bank", "--name", "x", "--days", "0"], "error: a token lasts 1 to 366 days"),
        (["revoke", "99"], "error: no token 99"),
        (["list", "nobody"], "error: no user 'nobody'"),
    ):
        result = runner.invoke(app, ["tokens", *arguments])
        assert result.exit_code == 2
        assert result.output.strip() == message
