"""Sign-in, sign-out, bearer tokens and the admin pages through the real app and database."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi import Depends
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tipline.access import Principal, Role, Staff, allow
from tipline.accounts import core, service
from tipline.accounts.models import ApiToken, User, WebSession
from tipline.app import create_app
from tipline.db_types import utc_now
from tipline.settings import Settings

PASSWORD = "correct horse battery"  # as in conftest.py
UserMaker = Callable[..., User]
HTML = {"Accept": "text/html,application/xhtml+xml"}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def whoami(principal: Staff) -> dict[str, str]:
    return {"actor": principal.actor, "via": principal.via}


def platform_whoami(
    principal: Principal = Depends(allow(Role.PLATFORM, Role.ANALYST)),  # noqa: B008
) -> dict[str, str]:
    return {"actor": principal.actor, "via": principal.via}


def make_client(
    settings: Settings, session_factory: sessionmaker[Session], base_url: str = "http://testserver"
) -> TestClient:
    """The real app plus two probes: a staff page `/whoami` and an API route for platforms."""
    app = create_app(settings=settings, session_factory=session_factory)
    app.add_api_route("/whoami", whoami)
    app.add_api_route("/api/v1/whoami", platform_whoami)
    return TestClient(app, base_url=base_url)


@pytest.fixture
def web(settings: Settings, session_factory: sessionmaker[Session]) -> Iterator[TestClient]:
    with make_client(settings, session_factory) as client:
        yield client


def csrf_token(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    match = CSRF.search(page.text)
    assert match is not None, page.text
    return match.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD, **extra: str) -> Any:
    form = {"csrf_token": csrf_token(client), "username": username, "password": password}
    return client.post("/login", data=form | extra, follow_redirects=False)


def test_login_page_has_a_form_and_keeps_only_a_local_next(web: TestClient) -> None:
    page = web.get("/login?next=/reports/7%3Ftab%3Dnotes&lang=en")
    assert page.status_code == 200
    assert 'action="/login"' in page.text
    assert 'name="next" value="/reports/7?tab=notes"' in page.text
    assert "Sign in" in page.text
    assert "tipline_csrf" in web.cookies
    hostile = web.get("/login?next=//evil.example/")
    assert 'name="next" value="/queue"' in hostile.text


def test_login_sets_a_session_cookie_and_goes_to_next(
    web: TestClient, make_user: UserMaker, db_session: Session
) -> None:
    make_user("lan")
    answer = sign_in(web, "Lan", next="/reports/7?tab=notes")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/reports/7?tab=notes"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("tipline_session=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie
    value = web.cookies["tipline_session"]
    stored = db_session.scalars(select(WebSession)).one()
    assert stored.session_hash == core.secret_hash(value)
    assert web.get("/whoami").json() == {"actor": "analyst:lan", "via": "session"}
    # Signed in, the login page goes straight on.
    again = web.get("/login?next=/cases", follow_redirects=False)
    assert (again.status_code, again.headers["location"]) == (303, "/cases")


def test_login_cookie_is_secure_over_https(
    settings: Settings, session_factory: sessionmaker[Session], make_user: UserMaker
) -> None:
    make_user("lan")
    with make_client(settings, session_factory, "https://testserver") as client:
        answer = sign_in(client, "lan")
    assert answer.status_code == 303
    assert "Secure" in answer.headers["set-cookie"]


def test_after_login_an_offsite_next_goes_to_the_queue(
    web: TestClient, make_user: UserMaker
) -> None:
    make_user("lan")
    for hostile in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "/logout"):
        web.cookies.clear()
        answer = sign_in(web, "lan", next=hostile)
        assert answer.headers["location"] == "/queue"


def test_unknown_user_and_wrong_password_answer_alike(
    web: TestClient, make_user: UserMaker
) -> None:
    make_user("lan")
    unknown = sign_in(web, "nobody")
    wrong = sign_in(web, "lan", "not the password")
    for answer in (unknown, wrong):
        assert answer.status_code == 401
        assert "Sai tên đăng nhập hoặc mật khẩu." in answer.text
        assert "tipline_session" not in answer.headers.get("set-cookie", "")
    assert wrong.text.count("Sai tên") == unknown.text.count("Sai tên") == 1


def test_login_without_a_valid_csrf_token_is_refused(web: TestClient, make_user: UserMaker) -> None:
    make_user("lan")
    web.get("/login")
    form = {"csrf_token": "1.forged", "username": "lan", "password": PASSWORD}
    answer = web.post("/login", data=form, follow_redirects=False)
    assert answer.status_code == 403
    assert "tipline_session" not in web.cookies


def test_login_with_empty_fields_asks_for_them(web: TestClient) -> None:
    form = {"csrf_token": csrf_token(web), "username": "", "password": ""}
    answer = web.post("/login", data=form, follow_redirects=False)
    assert answer.status_code == 422
    assert "Hãy nhập tên đăng nhập và mật khẩu." in answer.text


def test_failures_throttle_the_address_and_the_admin_signs_in_elsewhere(
    settings: Settings, session_factory: sessionmaker[Session], make_user: UserMaker
) -> None:
    make_user("admin", "admin")
    low = settings.model_copy(update={"signin_limit_per_address": "3/minute; 5/hour"})
    app = create_app(settings=low, session_factory=session_factory)
    with (
        TestClient(app, client=("192.0.2.66", 40000)) as attacker,
        TestClient(app, client=("192.0.2.10", 40000)) as admin,
    ):
        statuses = [sign_in(attacker, "admin", "guess 123456").status_code for _ in range(3)]
        assert statuses == [401] * 3
        throttled = sign_in(attacker, "admin")  # the right password, from the wrong address
        assert throttled.status_code == 429
        assert 1 <= int(throttled.headers["Retry-After"]) <= 60
        assert "hãy thử lại sau 1 phút" in throttled.text
        assert "tipline_session" not in attacker.cookies
        signed_in = sign_in(admin, "admin")
        assert signed_in.status_code == 303
        assert "tipline_session" in admin.cookies


def test_logout_ends_the_session(web: TestClient, make_user: UserMaker) -> None:
    make_user("lan")
    token = csrf_token(web)  # the same browser's form token stays valid after signing in
    sign_in(web, "lan")
    cookie = web.cookies["tipline_session"]
    answer = web.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/login")
    assert "tipline_session" not in web.cookies
    web.cookies.set("tipline_session", cookie)  # the old cookie, kept by an attacker
    assert web.get("/whoami").status_code == 401


def test_logout_without_csrf_changes_nothing(web: TestClient, make_user: UserMaker) -> None:
    make_user("lan")
    sign_in(web, "lan")
    answer = web.post("/logout", data={"csrf_token": "1.forged"}, follow_redirects=False)
    assert answer.status_code == 403
    assert web.get("/whoami").json()["actor"] == "analyst:lan"


def test_anonymous_page_visit_goes_to_login_and_comes_back(web: TestClient) -> None:
    answer = web.get("/whoami?tab=a&b=2", headers=HTML, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2Fwhoami%3Ftab%3Da%26b%3D2"
    login = web.get(answer.headers["location"])
    assert 'name="next" value="/whoami?tab=a&amp;b=2"' in login.text
    # A script (no text/html) or a POST gets the 401 itself.
    assert web.get("/whoami").status_code == 401
    assert web.post("/whoami", headers=HTML).status_code in (401, 405)


def test_api_asks_for_a_bearer_token(web: TestClient) -> None:
    answer = web.get("/api/v1/whoami", headers=HTML)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.json()["error"]["code"] == "not_authenticated"


def test_bearer_tokens_on_the_api(
    web: TestClient, make_user: UserMaker, db_session: Session
) -> None:
    make_user("bank", "platform")
    issued = service.create_token(db_session, "admin:an", "bank", "feed")
    bearer = {"Authorization": f"Bearer {issued.plaintext}"}
    answer = web.get("/api/v1/whoami", headers=bearer)
    assert answer.json() == {"actor": "platform:bank", "via": "token"}
    assert (
        web.get("/api/v1/check", params={"value": "0912345678"}, headers=bearer).status_code == 200
    )
    token = db_session.scalars(select(ApiToken)).one()
    db_session.refresh(token)
    assert token.last_used_at is not None
    # A platform is not staff: its token opens no analyst page.
    assert web.get("/whoami", headers=bearer).status_code == 403


def test_revoked_expired_disabled_and_made_up_tokens_are_refused(
    web: TestClient, make_user: UserMaker, db_session: Session
) -> None:
    make_user("bank", "platform")
    make_user("gone", "platform")
    revoked = service.create_token(db_session, "admin:an", "bank", "old")
    expired = service.create_token(db_session, "admin:an", "bank", "short", days=1)
    disabled = service.create_token(db_session, "admin:an", "gone", "feed")
    service.revoke_token(db_session, "admin:an", revoked.token.id)
    expired.token.expires_at = utc_now() - timedelta(seconds=1)
    db_session.commit()
    service.disable_user(db_session, "admin:an", "gone")
    for plaintext in (revoked.plaintext, expired.plaintext, disabled.plaintext, core.new_token()):
        answer = web.get("/api/v1/whoami", headers={"Authorization": f"Bearer {plaintext}"})
        assert answer.status_code == 401
    # A public route answers them as anyone.
    check = web.get(
        "/api/v1/check",
        params={"value": "0912345678"},
        headers={"Authorization": f"Bearer {revoked.plaintext}"},
    )
    assert check.status_code == 200


def test_a_disabled_users_session_stops_at_once(
    web: TestClient, make_user: UserMaker, db_session: Session
) -> None:
    make_user("lan")
    sign_in(web, "lan")
    assert web.get("/whoami").status_code == 200
    service.disable_user(db_session, "admin:an", "lan")
    assert web.get("/whoami").status_code == 401
    assert sign_in(web, "lan").status_code == 401


def admin_form(client: TestClient, path: str) -> str:
    return csrf_token(client, path)


def test_admin_adds_and_disables_users(
    web: TestClient, make_user: UserMaker, db_session: Session
) -> None:
    make_user("an", "admin")
    sign_in(web, "an")
    page = web.get("/admin/users?lang=en")
    assert page.status_code == 200
    assert "<code>an</code>" in page.text
    form = {
        "csrf_token": admin_form(web, "/admin/users"),
        "username": "Minh",
        "display_name": "Trần Minh",
        "role": "supervisor",
        "password": "another long password",
    }
    added = web.post("/admin/users", data=form, follow_redirects=False)
    assert (added.status_code, added.headers["location"]) == (303, "/admin/users?done=added")
    minh = service.find_user(db_session, "minh")
    assert (minh.display_name, minh.role) == ("Trần Minh", "supervisor")
    duplicate = web.post("/admin/users", data=form)
    assert duplicate.status_code == 422
    assert "already exists" in duplicate.text
    token = admin_form(web, "/admin/users")
    disabled = web.post("/admin/users/minh/disable", data={"csrf_token": token})
    assert disabled.status_code == 200
    db_session.refresh(minh)
    assert minh.disabled is True
    yourself = web.post("/admin/users/an/disable", data={"csrf_token": token})
    assert yourself.status_code == 422


def test_admin_creates_a_token_shown_once_and_revokes_it(
    web: TestClient, make_user: UserMaker, db_session: Session
) -> None:
    make_user("an", "admin")
    make_user("bank", "platform")
    sign_in(web, "an")
    form = {"csrf_token": admin_form(web, "/admin/tokens"), "username": "bank", "name": "feed"}
    created = web.post("/admin/tokens", data=form | {"days": "30"})
    assert created.status_code == 200
    shown = re.search(r'id="new-token">(tl_[A-Za-z0-9_-]{43})<', created.text)
    assert shown is not None
    token = db_session.scalars(select(ApiToken)).one()
    assert token.token_hash == core.secret_hash(shown.group(1))
    listing = web.get("/admin/tokens")
    assert shown.group(1) not in listing.text
    assert f"{token.prefix}…" in listing.text
    bad_days = web.post("/admin/tokens", data=form | {"days": "0"})
    assert bad_days.status_code == 422
    revoked = web.post(
        f"/admin/tokens/{token.id}/revoke",
        data={"csrf_token": admin_form(web, "/admin/tokens")},
        follow_redirects=False,
    )
    assert revoked.headers["location"] == "/admin/tokens?done=revoked"
    db_session.refresh(token)
    assert token.revoked_at is not None


def test_admin_pages_refuse_other_roles(web: TestClient, make_user: UserMaker) -> None:
    make_user("lan", "supervisor")
    sign_in(web, "lan")
    assert web.get("/admin/users").status_code == 403
    assert web.get("/admin/tokens").status_code == 403


def test_the_api_takes_no_change_on_the_session_cookie(
    web: TestClient, make_user: UserMaker, db_session: Session
) -> None:
    make_user("lan", "supervisor")
    assert sign_in(web, "lan").status_code == 303
    assert web.get("/api/v1/cases").status_code == 200  # reading with the cookie is fine
    forged = web.post("/api/v1/cases", json={"title": "from another site"})
    assert forged.status_code == 401
    issued = service.create_token(db_session, "admin:an", "lan", "script")
    bearer = {"Authorization": f"Bearer {issued.plaintext}"}
    assert web.post("/api/v1/cases", json={"title": "x"}, headers=bearer).status_code == 201
