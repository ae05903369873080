"""Sign-in throttling that an attacker cannot turn against the account's owner: failures for
`admin` flooded from many addresses leave her own browser (its device cookie) and her own
address signing in with the right password, while the attacker's guesses stay limited."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tipline.accounts import service
from tipline.accounts.devices import DEVICE_COOKIE
from tipline.accounts.models import User
from tipline.accounts.throttle import Attempt
from tipline.app import create_app
from tipline.errors import NotAuthenticated
from tipline.ratelimits.service import RateLimits, rate_limits
from tipline.settings import Settings

PASSWORD = "correct horse battery"  # as in conftest.py
HOME = "192.0.2.10"  # the admin's own address
# Low limits: 3 failures an hour per address, 6 an hour on an account from unknown clients,
# 1,000 an hour from everyone (a spray is tested in test_service.py). Hours, so that no window
# ends while a slow machine runs the test.
LIMITS = {
    "signin_limit_per_address": "3/hour",
    "signin_limit_per_account": "6/hour",
    "signin_limit_global": "1000/hour",
}
FLOOD = [f"198.51.100.{n}" for n in range(1, 41)]  # the attacker's addresses
UserMaker = Callable[..., User]
AuditReader = Callable[..., list[dict[str, Any]]]
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def low(settings: Settings, session_factory: sessionmaker[Session]) -> RateLimits:
    return rate_limits(settings.model_copy(update=LIMITS), session_factory)


def attempt(session: Session, limits: RateLimits, password: str, where: Attempt) -> int:
    """200 for a sign-in, 401 for a refusal, 429 while throttled."""
    try:
        service.sign_in(session, "admin", password, limits, where)
    except service.TooManyAttempts:
        return 429
    except NotAuthenticated:
        return 401
    return 200


def flood(session: Session, limits: RateLimits) -> list[int]:
    """Two wrong guesses for `admin` from each of the attacker's addresses: every answer."""
    return [
        attempt(session, limits, f"guess {n}", Attempt(address))
        for address in FLOOD
        for n in range(2)
    ]


def test_a_flood_from_many_addresses_never_locks_out_the_admins_browser_or_address(
    db_session: Session, low: RateLimits, make_user: UserMaker, audit_log: AuditReader
) -> None:
    admin = make_user("admin", "admin")
    service.sign_in(db_session, "admin", PASSWORD, low, Attempt(HOME, "admin", "dev1"))
    answers = flood(db_session, low)
    # The attacker's guesses: six were checked (the account's hour), all the rest refused.
    assert (answers.count(401), answers.count(429), len(answers)) == (6, 74, 80)
    # Even the right password, from a new address, waits now: guessing stays at that pace.
    assert attempt(db_session, low, PASSWORD, Attempt("203.0.113.9")) == 429
    # The admin: from her browser (its device cookie), anywhere, and from her own address.
    assert attempt(db_session, low, PASSWORD, Attempt("203.0.113.7", "admin", "dev1")) == 200
    assert attempt(db_session, low, PASSWORD, Attempt(HOME)) == 200
    # A device cookie of another account (the attacker's own) makes no client known.
    assert attempt(db_session, low, PASSWORD, Attempt("203.0.113.9", "mallory", "dev9")) == 429
    # One audit entry: the account filled its hour (no address reached its own 3).
    assert [entry["target"] for entry in audit_log("login.throttle")] == [f"user:{admin.id}"]


def test_a_known_clients_failures_count_against_it_alone(
    db_session: Session, low: RateLimits, make_user: UserMaker
) -> None:
    make_user("admin", "admin")
    device = Attempt("203.0.113.7", "admin", "dev1")
    # Her browser's typos: its own 3 an hour, then it waits too (a stolen device cookie is no
    # way around the throttle).
    assert [attempt(db_session, low, "typo", device) for _ in range(4)] == [401, 401, 401, 429]
    # Those failures filled neither the address's windows nor the account's.
    assert attempt(db_session, low, PASSWORD, Attempt("203.0.113.7")) == 200


def sign_in_page(client: TestClient, password: str) -> int:
    page = client.get("/login")
    token = TOKEN.search(page.text)
    assert token is not None
    form = {"csrf_token": token.group(1), "username": "admin", "password": password}
    return client.post("/login", data=form, follow_redirects=False).status_code


def test_through_the_pages_the_admins_browser_signs_in_during_a_flood(
    settings: Settings, session_factory: sessionmaker[Session], make_user: UserMaker
) -> None:
    make_user("admin", "admin")
    app = create_app(settings.model_copy(update=LIMITS), session_factory)
    with TestClient(app, client=(HOME, 40000)) as browser:
        assert sign_in_page(browser, PASSWORD) == 303
        assert DEVICE_COOKIE in browser.cookies
        device = browser.cookies[DEVICE_COOKIE]
    answers = []
    for address in FLOOD[:8]:
        with TestClient(app, client=(address, 40000)) as attacker:
            answers += [sign_in_page(attacker, "guess") for _ in range(2)]
    assert (answers.count(401), answers.count(429)) == (6, 10)
    with TestClient(app, client=("203.0.113.9", 40000)) as attacker:
        assert sign_in_page(attacker, PASSWORD) == 429  # the account is throttled for strangers
    # The admin, travelling (an address never seen), with her browser's device cookie.
    with TestClient(app, client=("203.0.113.7", 40000)) as browser:
        browser.cookies.set(DEVICE_COOKIE, device)
        assert sign_in_page(browser, PASSWORD) == 303
