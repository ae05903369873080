"""Accounts use cases on the real database: users, passwords, sessions, tokens, the caller."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import Request

from tipline.access import Principal, Role
from tipline.accounts import core, service
from tipline.accounts.models import ApiToken, User, WebSession
from tipline.db_types import utc_now
from tipline.errors import Conflict, InvalidInput, NotAuthenticated, NotFound
from tipline.ratelimits.models import RateCounter
from tipline.ratelimits.service import rate_limits
from tipline.settings import Settings

PASSWORD = "correct horse battery"  # as in conftest.py
CLEAN = "192.0.2.10"  # an address without failures; as in conftest.py
ATTACKER = "192.0.2.66"
SIGN_IN_LIMITS = {"signin_limit_per_address": "3/minute; 5/hour", "signin_limit_global": "8/minute"}
UserMaker = Callable[..., User]
AuditReader = Callable[..., list[dict[str, Any]]]
SignIn = Callable[..., tuple[User, str]]


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
    db_session: Session, sign_in_as: SignIn, make_user: UserMaker, audit_log: AuditReader
) -> None:
    user = make_user("lan")
    signed_in, cookie = sign_in_as("lan", PASSWORD)
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
    db_session: Session, sign_in_as: SignIn, make_user: UserMaker, audit_log: AuditReader
) -> None:
    user = make_user("lan")
    minh = make_user("minh")
    service.disable_user(db_session, "cli:test", "minh")
    messages = []
    for username, password in (("nobody", PASSWORD), ("lan", "wrong password"), ("minh", PASSWORD)):
        with pytest.raises(NotAuthenticated) as refused:
            sign_in_as(username, password, ATTACKER)
        messages.append(refused.value.message)
    assert messages == [service.SIGN_IN_REFUSED] * 3
    # One entry per failure on a real user; a typed name that is no user's is not kept.
    failures = audit_log("login.fail")
    assert [entry["target"] for entry in failures] == [f"user:{user.id}", f"user:{minh.id}"]
    assert failures[0]["details"] == {"username": "lan", "reason": "bad_credentials"}
    assert failures[0]["actor"] == "anonymous"
    assert "wrong password" not in "".join(entry["raw"] for entry in failures)
    assert db_session.scalars(select(WebSession)).all() == []


def test_failures_throttle_the_address_never_the_username(
    db_session: Session, sign_in_as: SignIn, make_user: UserMaker, audit_log: AuditReader
) -> None:
    admin = make_user("admin", "admin")
    for _ in range(3):  # the limit: 3 a minute
        with pytest.raises(NotAuthenticated):
            sign_in_as("admin", "guess 123456", ATTACKER)
    with pytest.raises(service.TooManyAttempts) as throttled:
        sign_in_as("admin", PASSWORD, ATTACKER)  # even the right password waits there
    assert 1 <= throttled.value.retry_after <= 60
    # The real admin, from an address without failures, signs in meanwhile.
    user, cookie = sign_in_as("admin", PASSWORD, CLEAN)
    assert user.id == admin.id
    assert service.principal_for_cookie(db_session, cookie) is not None
    [entry] = audit_log("login.throttle")
    assert entry["target"] == f"address:{ATTACKER}"
    assert entry["details"]["address"] == ATTACKER


def test_sixty_usernames_from_one_address_are_throttled_and_add_no_rows(
    db_session: Session, sign_in_as: SignIn, audit_log: AuditReader
) -> None:
    answers = []
    for number in range(60):
        try:
            sign_in_as(f"user{number}", "whatever password", ATTACKER)
        except (NotAuthenticated, service.TooManyAttempts) as exc:
            answers.append(exc.status)
    assert answers == [401] * 3 + [429] * 57
    # Rows: the address's two windows, nobody's account's three, everyone's one; no row for
    # any typed name.
    keys = sorted(db_session.scalars(select(RateCounter.key)))
    assert keys == [
        "LIMITER/signin/192.0.2.66/3/1/minute",
        "LIMITER/signin/192.0.2.66/5/1/hour",
        "LIMITER/signin_account/nobody/10/1/minute",
        "LIMITER/signin_account/nobody/100/1/day",
        "LIMITER/signin_account/nobody/30/1/hour",
        "LIMITER/signin_global/*/8/1/minute",
    ]
    assert audit_log("login.fail") == []
    assert len(audit_log("login.throttle")) == 1


def test_the_wait_grows_with_the_failures(
    db_session: Session, settings: Settings, session_factory: sessionmaker[Session]
) -> None:
    clock = [1_000_000.0]
    limits = rate_limits(
        settings.model_copy(update=SIGN_IN_LIMITS), session_factory, lambda: clock[0]
    )

    def attempt() -> int:
        try:
            service.sign_in(db_session, "ghost", "whatever password", limits, ATTACKER)
        except service.TooManyAttempts as exc:
            return exc.retry_after
        except NotAuthenticated:
            return 0
        raise AssertionError("signed in")

    assert [attempt() for _ in range(4)] == [0, 0, 0, 60]
    clock[0] += 61  # the minute over: two more failures fill the hour's five
    assert [attempt() for _ in range(2)] == [0, 0]
    assert attempt() == 3600 - 61


def test_a_spread_out_guessing_holds_back_every_address_with_failures(
    db_session: Session, sign_in_as: SignIn, make_user: UserMaker
) -> None:
    make_user("admin", "admin")
    for number in range(8):  # everyone's limit: 8 failures a minute, one per address
        with pytest.raises(NotAuthenticated):
            sign_in_as("admin", "guess 123456", f"198.51.100.{number}")
    with pytest.raises(service.TooManyAttempts):
        sign_in_as("admin", PASSWORD, "198.51.100.0")  # it failed once: it waits now
    user, _ = sign_in_as("admin", PASSWORD, CLEAN)  # an address without failures does not
    assert user.username == "admin"


def test_end_session_revokes_it(
    db_session: Session, sign_in_as: SignIn, make_user: UserMaker, audit_log: AuditReader
) -> None:
    make_user("lan")
    _, cookie = sign_in_as("lan", PASSWORD)
    assert service.end_session(db_session, cookie) is True
    assert service.principal_for_cookie(db_session, cookie) is None
    assert service.end_session(db_session, cookie) is False
    assert service.end_session(db_session, "not a cookie") is False
    assert [entry["actor"] for entry in audit_log("logout")] == ["analyst:lan"]


def test_expired_session_is_anonymous(
    db_session: Session, sign_in_as: SignIn, make_user: UserMaker
) -> None:
    make_user("lan")
    _, cookie = sign_in_as("lan", PASSWORD)
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
    db_session: Session, sign_in_as: SignIn, make_user: UserMaker, audit_log: AuditReader
) -> None:
    user = make_user("lan")
    _, cookie = sign_in_as("lan", PASSWORD)
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
    db_session: Session, sign_in_as: SignIn, make_user: UserMaker
) -> None:
    lan = make_user("lan")
    bank = make_user("bank", "platform")
    _, cookie = sign_in_as("lan", PASSWORD)
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
