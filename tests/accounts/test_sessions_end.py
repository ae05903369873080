"""Sessions end at sign-out and at a password change, her own or an admin's reset: a session
cookie copied before is refused after, in every browser she was signed in on. API tokens are
kept (separate credentials, revoked on their own)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from tests.accounts.test_routes import PASSWORD, csrf_token, make_client, sign_in

from tipline.accounts import service
from tipline.accounts.models import User
from tipline.settings import Settings

UserMaker = Callable[..., User]
NEW = "a new correct horse"
SESSION = "tipline_session"


def whoami(client: TestClient, cookie: str) -> int:
    """The status of the staff probe for a request carrying only this session cookie."""
    client.cookies.clear()
    client.cookies.set(SESSION, cookie)
    return client.get("/whoami").status_code


@pytest.fixture
def probe(settings: Settings, session_factory: sessionmaker[Session]) -> Iterator[TestClient]:
    """A browser that signs in nowhere: it only carries the cookies the tests copied."""
    with make_client(settings, session_factory) as client:
        yield client


def signed_in(settings: Settings, factory: sessionmaker[Session], name: str) -> TestClient:
    client = make_client(settings, factory).__enter__()
    assert sign_in(client, name).status_code == 303
    return client


def test_a_password_change_ends_every_session_but_keeps_tokens(
    settings: Settings, session_factory: sessionmaker[Session], make_user: UserMaker,
    db_session: Session, probe: TestClient,
) -> None:  # fmt: skip
    make_user("lan")
    token = service.create_token(db_session, "cli:test", "lan", "script").plaintext
    laptop, phone = (signed_in(settings, session_factory, "lan") for _ in range(2))
    copied = {"laptop": laptop.cookies[SESSION], "phone": phone.cookies[SESSION]}
    form = {"csrf_token": csrf_token(laptop, "/account/password"), "current": PASSWORD}
    wrong = laptop.post("/account/password", data=form | {"current": "not it", "password": NEW,
                                                           "repeat": NEW})  # fmt: skip
    assert wrong.status_code == 401
    assert [whoami(probe, cookie) for cookie in copied.values()] == [200, 200]
    changed = laptop.post(
        "/account/password", data=form | {"password": NEW, "repeat": NEW}, follow_redirects=False
    )
    assert (changed.status_code, changed.headers["location"]) == (
        303, "/account/password?done=changed",
    )  # fmt: skip
    fresh = laptop.cookies[SESSION]
    assert fresh not in copied.values()
    # Both cookies copied before the change are refused; the laptop's new one works.
    assert {name: whoami(probe, cookie) for name, cookie in copied.items()} == {
        "laptop": 401, "phone": 401,
    }  # fmt: skip
    assert whoami(probe, fresh) == 200
    assert sign_in(phone, "lan", NEW).status_code == 303
    # The API token still works.
    answer = phone.get("/api/v1/whoami", headers={"authorization": f"Bearer {token}"})
    assert answer.json() == {"actor": "analyst:lan", "via": "token"}
    for client in (laptop, phone):
        client.__exit__(None, None, None)


def test_an_admins_reset_ends_the_users_sessions(
    settings: Settings, session_factory: sessionmaker[Session], make_user: UserMaker,
    audit_log: Callable[..., list[dict[str, object]]], probe: TestClient,
) -> None:  # fmt: skip
    make_user("lan")
    make_user("root", "admin")
    lan, admin = (
        signed_in(settings, session_factory, "lan"),
        signed_in(settings, session_factory, "root"),
    )
    copied = lan.cookies[SESSION]
    form = {"csrf_token": csrf_token(admin, "/admin/users"), "password": "short"}
    refused = admin.post("/admin/users/lan/password", data=form)
    assert refused.status_code == 422
    assert whoami(probe, copied) == 200
    reset = admin.post(
        "/admin/users/lan/password", data=form | {"password": NEW}, follow_redirects=False
    )
    assert (reset.status_code, reset.headers["location"]) == (303, "/admin/users?done=password")
    assert whoami(probe, copied) == 401
    assert sign_in(lan, "lan", NEW).status_code == 303
    [entry] = audit_log("user.password")
    assert entry["details"] == {"username": "lan", "sessions_ended": 1}
    assert entry["actor"] == "admin:root"
    for client in (lan, admin):
        client.__exit__(None, None, None)


def test_the_cli_reset_ends_sessions(
    db_session: Session, make_user: UserMaker, settings: Settings,
    session_factory: sessionmaker[Session], probe: TestClient,
) -> None:  # fmt: skip
    make_user("lan")
    lan = signed_in(settings, session_factory, "lan")
    copied = lan.cookies[SESSION]
    assert service.change_password(db_session, "cli:test", "lan", NEW) == 1
    assert service.principal_for_cookie(db_session, copied) is None
    assert whoami(probe, copied) == 401
    lan.__exit__(None, None, None)
