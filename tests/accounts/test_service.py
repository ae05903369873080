"""Accounts use cases on the real database: users, passwords, sessions, tokens, the caller."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request

from tipline.accounts import core, repository, service
from tipline.accounts.access import Principal, Role
from tipline.accounts.models import ApiToken, LoginThrottle, User, WebSession
from tipline.db_types import utc_now
from tipline.errors import Conflict, InvalidInput, NotAuthenticated, NotFound

PASSWORD = "correct horse battery"  # as in conftest.py
UserMaker = Callable[..., User]
AuditReader = Callable[..., list[dict[str, Any]]]


def request_with(headers: dict[str, str]) -> Request:
    raw = [(name.lower().encode(), value.encode()) for name, value in headers.items()]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": raw})


def test_create_user_keeps_an_argon2_hash_and_records_it(
    db_session: Session, make_user: UserMaker, audit_log: AuditReader
) -> None:
    user = make_user(" Lan ", "supervisor")
    stored = db_session.scalars(select(User).where(User.username == "lan")).one()
    assert stored.id == user.id
    assert (stored.role, stored.display_name, stored.disabled) == ("supervisor", "lan", False)
    assert stored.password_hash.startswith("$argon2id$")
    assert PASSWORD not in stored.password_hash
    [entry] = audit_log("user.add")
    assert entry["actor"] == "cli:test"
    assert entry["target"] == f"user:{user.id}"
    assert entry["details"] == {"username": "lan", "role": "supervisor"}
    assert PASSWORD not in entry["raw"]


def test_create_user_refuses_duplicates_and_bad_input(make_user: UserMaker) -> None:
    make_user("lan")
    with pytest.raises(Conflict) as duplicate:
        make_user("LAN")
    assert duplicate.value.field == "username"
    with pytest.raises(InvalidInput) as bad_name:
        make_user("l an")
    assert bad_name.value.field == "username"
    with pytest.raises(InvalidInput) as short:
        make_user("minh", password="short")
    assert short.value.field == "password"
    with pytest.raises(InvalidInput) as role:
        make_user("minh", role="boss")
    assert role.value.field == "role"


def test_verify_password(db_session: Session, make_user: UserMaker) -> None:
    user = make_user("lan")
    assert service.verify_password(db_session, "Lan", PASSWORD) is user
    assert service.verify_password(db_session, "lan", PASSWORD + "x") is None
    assert service.verify_password(db_session, "nobody", PASSWORD) is None


def test_verify_password_rehashes_with_current_parameters(
    db_session: Session, make_user: UserMaker
) -> None:
    user = make_user("lan")
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    db_session.flush()
    assert "m=1024" in user.password_hash
    assert service.verify_password(db_session, "lan", PASSWORD) is user
    assert "m=65536,t=3,p=4" in user.password_hash
    assert service.verify_password(db_session, "lan", PASSWORD) is user


def test_sign_in_starts_a_session_stored_as_a_hash(
    db_session: Session, make_user: UserMaker, audit_log: AuditReader
) -> None:
    user = make_user("lan")
    signed_in, cookie = service.sign_in(db_session, "lan", PASSWORD)
    assert signed_in is user
    assert core.is_session_value(cookie)
    stored = db_session.scalars(select(WebSession)).one()
    assert stored.session_hash == core.secret_hash(cookie)
    assert stored.user_id == user.id
    assert stored.expires_at - stored.created_at == timedelta(hours=12)
    assert user.last_login_at == stored.created_at
    [entry] = audit_log("login")
    assert entry["actor"] == "analyst:lan"
    assert cookie not in entry["raw"]
    principal = service.principal_for_cookie(db_session, cookie)
    assert principal == Principal(user.id, "lan", Role.ANALYST, "session")


def test_unknown_user_wrong_password_and_disabled_user_are_refused_alike(
    db_session: Session, make_user: UserMaker, audit_log: AuditReader
) -> None:
    user = make_user("lan")
    minh = make_user("minh")
    service.disable_user(db_session, "cli:test", "minh")
    messages = []
    for username, password in (("nobody", PASSWORD), ("lan", "wrong password"), ("minh", PASSWORD)):
        with pytest.raises(NotAuthenticated) as refused:
            service.sign_in(db_session, username, password)
        messages.append(refused.value.message)
    assert messages == [service.SIGN_IN_REFUSED] * 3
    failures = audit_log("login.fail")
    assert [entry["target"] for entry in failures] == [
        "user:?",
        f"user:{user.id}",
        f"user:{minh.id}",
    ]
    assert failures[0]["details"] == {"username": None, "reason": "bad_credentials"}
    assert failures[0]["actor"] == "anonymous"
    assert "wrong password" not in "".join(entry["raw"] for entry in failures)
    assert db_session.scalars(select(WebSession)).all() == []


def test_five_failures_lock_the_username_even_for_the_right_password(
    db_session: Session, make_user: UserMaker
) -> None:
    make_user("lan")
    for _ in range(5):
        with pytest.raises(NotAuthenticated):
            service.sign_in(db_session, "lan", "wrong password")
    with pytest.raises(service.TooManyAttempts):
        service.sign_in(db_session, "LAN", PASSWORD)
    throttle = repository.throttle_of(db_session, "lan")
    assert throttle.locked_until is not None
    assert throttle.locked_until - utc_now() > timedelta(minutes=14)
    # The lockout over, the right password works and the failures are forgotten.
    repository.save_throttle(db_session, "lan", core.Throttle(0, None, utc_now()))
    service.sign_in(db_session, "lan", PASSWORD)
    assert db_session.get(LoginThrottle, "lan") is None


def test_unknown_usernames_are_throttled_too(db_session: Session) -> None:
    for _ in range(5):
        with pytest.raises(NotAuthenticated):
            service.sign_in(db_session, "ghost", "whatever password")
    with pytest.raises(service.TooManyAttempts):
        service.sign_in(db_session, "ghost", "whatever password")


def test_end_session_revokes_it(
    db_session: Session, make_user: UserMaker, audit_log: AuditReader
) -> None:
    make_user("lan")
    _, cookie = service.sign_in(db_session, "lan", PASSWORD)
    assert service.end_session(db_session, cookie) is True
    assert service.principal_for_cookie(db_session, cookie) is None
    assert service.end_session(db_session, cookie) is False
    assert service.end_session(db_session, "not a cookie") is False
    assert [entry["actor"] for entry in audit_log("logout")] == ["analyst:lan"]


def test_expired_session_is_anonymous(db_session: Session, make_user: UserMaker) -> None:
    make_user("lan")
    _, cookie = service.sign_in(db_session, "lan", PASSWORD)
    later = utc_now() + timedelta(hours=12, seconds=1)
    assert service.principal_for_cookie(db_session, cookie, now=later) is None


def test_create_token_shows_it_once_and_keeps_its_hash(
    db_session: Session, make_user: UserMaker, audit_log: AuditReader
) -> None:
    user = make_user("bank", "platform")
    issued = service.create_token(db_session, "admin:an", "bank", " fraud feed ", days=30)
    token = db_session.scalars(select(ApiToken)).one()
    assert core.is_token(issued.plaintext)
    assert token.token_hash == core.secret_hash(issued.plaintext)
    assert token.prefix == issued.plaintext[:9]
    assert (token.user_id, token.name) == (user.id, "fraud feed")
    assert token.expires_at - token.created_at == timedelta(days=30)
    [entry] = audit_log("token.create")
    assert entry["details"] == {
        "username": "bank",
        "name": "fraud feed",
        "prefix": token.prefix,
        "days": 30,
    }
    assert issued.plaintext not in entry["raw"]
    principal = service.principal_for_token(db_session, issued.plaintext)
    assert principal == Principal(
        user.id, "bank", Role.PLATFORM, "token", token.id, organisation_id=user.organisation_id
    )
    assert principal.organisation_id is not None
    assert token.last_used_at is not None


def test_create_token_refusals(db_session: Session, make_user: UserMaker) -> None:
    make_user("bank", "platform")
    with pytest.raises(InvalidInput, match="1 to 366 days"):
        service.create_token(db_session, "admin:an", "bank", "feed", days=400)
    with pytest.raises(InvalidInput, match="needs a name"):
        service.create_token(db_session, "admin:an", "bank", "  ")
    with pytest.raises(NotFound):
        service.create_token(db_session, "admin:an", "nobody", "feed")
    service.disable_user(db_session, "admin:an", "bank")
    with pytest.raises(InvalidInput, match="disabled"):
        service.create_token(db_session, "admin:an", "bank", "feed")


def test_revoked_and_expired_tokens_are_anonymous(
    db_session: Session, make_user: UserMaker, audit_log: AuditReader
) -> None:
    make_user("bank", "platform")
    revoked = service.create_token(db_session, "admin:an", "bank", "old")
    expired = service.create_token(db_session, "admin:an", "bank", "short", days=1)
    service.revoke_token(db_session, "admin:an", revoked.token.id)
    service.revoke_token(db_session, "admin:an", revoked.token.id)  # twice: recorded once
    expired.token.expires_at = utc_now() - timedelta(seconds=1)
    db_session.flush()
    assert service.principal_for_token(db_session, revoked.plaintext) is None
    assert service.principal_for_token(db_session, expired.plaintext) is None
    assert service.principal_for_token(db_session, core.new_token()) is None
    assert [entry["target"] for entry in audit_log("token.revoke")] == [
        f"api_token:{revoked.token.id}"
    ]
    states = {token.name: token.state for token in service.list_tokens(db_session, "bank")}
    assert states == {"old": "revoked", "short": "expired"}
    with pytest.raises(NotFound):
        service.revoke_token(db_session, "admin:an", 999_999)


def test_disable_user_revokes_their_sessions_and_tokens(
    db_session: Session, make_user: UserMaker, audit_log: AuditReader
) -> None:
    user = make_user("lan")
    _, cookie = service.sign_in(db_session, "lan", PASSWORD)
    issued = service.create_token(db_session, "admin:an", "lan", "script")
    service.disable_user(db_session, "admin:an", "lan")
    assert service.principal_for_cookie(db_session, cookie) is None
    assert service.principal_for_token(db_session, issued.plaintext) is None
    assert all(row.revoked_at is not None for row in db_session.scalars(select(WebSession)))
    assert [token.state for token in service.list_tokens(db_session)] == ["revoked"]
    assert [entry["target"] for entry in audit_log("user.disable")] == [f"user:{user.id}"]
    with pytest.raises(NotFound):
        service.disable_user(db_session, "admin:an", "nobody")


def test_principal_for_request_reads_the_bearer_token_then_the_cookie(
    db_session: Session, make_user: UserMaker
) -> None:
    lan = make_user("lan")
    bank = make_user("bank", "platform")
    _, cookie = service.sign_in(db_session, "lan", PASSWORD)
    issued = service.create_token(db_session, "admin:an", "bank", "feed")
    token = issued.plaintext
    by_cookie = service.principal_for_request(
        db_session, request_with({"Cookie": f"tipline_session={cookie}"})
    )
    by_token = service.principal_for_request(
        db_session, request_with({"Authorization": f"Bearer {token}"})
    )
    assert by_cookie == Principal(lan.id, "lan", Role.ANALYST, "session")
    assert by_token == Principal(
        bank.id, "bank", Role.PLATFORM, "token", issued.token.id,
        organisation_id=bank.organisation_id,
    )  # fmt: skip
    assert service.principal_for_request(db_session, request_with({})) is None
    garbage = {"Cookie": "tipline_session=abc", "Authorization": "Bearer nope"}
    assert service.principal_for_request(db_session, request_with(garbage)) is None


def test_list_users_by_username(db_session: Session, make_user: UserMaker) -> None:
    make_user("minh")
    make_user("an", "admin")
    assert [(u.username, u.role) for u in service.list_users(db_session)] == [
        ("an", "admin"),
        ("minh", "analyst"),
    ]


def test_demo_accounts_are_made_once_with_their_documented_passwords(
    db_session: Session,
) -> None:
    logins = service.ensure_demo_accounts(db_session)
    assert logins == [
        ("analyst", "analyst", "demo-analyst-2026"),
        ("supervisor", "supervisor", "demo-supervisor-2026"),
        ("admin", "admin", "demo-admin-2026"),
    ]
    assert service.ensure_demo_accounts(db_session) == logins
    assert len(service.list_users(db_session)) == 3
    for username, _role, password in logins:
        assert service.verify_password(db_session, username, password) is not None
    assert service.demo_logins(db_session) == logins


def test_no_demo_logins_on_a_database_without_them(
    db_session: Session, make_user: UserMaker
) -> None:
    make_user("admin", "admin")  # a real admin named "admin", with a real password
    assert service.demo_logins(db_session) == []


def test_loading_the_demo_makes_the_demo_accounts(db_session: Session) -> None:
    from tipline.demo.service import load_demo

    loaded = load_demo(db_session, shared=None, count=3, seed=3)
    assert [username for username, _role, _password in loaded.accounts] == [
        "analyst",
        "supervisor",
        "admin",
    ]
    assert service.verify_password(db_session, "admin", "demo-admin-2026") is not None


def test_demo_accounts_leave_a_real_user_of_the_same_name_alone(
    db_session: Session, make_user: UserMaker
) -> None:
    make_user("admin", "admin")
    logins = service.ensure_demo_accounts(db_session)
    assert [username for username, _role, _password in logins] == ["analyst", "supervisor"]
    assert service.verify_password(db_session, "admin", PASSWORD) is not None
