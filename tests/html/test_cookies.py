"""Every cookie tipline sets, over HTTP and over HTTPS (directly and through a trusted proxy's
`X-Forwarded-Proto`): HttpOnly, SameSite, and Secure exactly when the visitor is on HTTPS. The
cookies are collected from a visit that sets each one (the language, CSRF, session, device and
report-holder cookies, and their removals); a source scan proves no cookie is set elsewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session, sessionmaker
from tests.web.test_routes import NARRATIVE

import tipline
from tipline.accounts.service import create_user
from tipline.app import create_app
from tipline.settings import Settings

PASSWORD = "correct horse battery"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
EVERY_COOKIE = {
    "tipline_lang",
    "tipline_csrf",
    "tipline_session",
    "tipline_device",
    "tipline_holder",
}
# (base URL, headers of each request, trusted proxies, whether the visitor is on HTTPS)
WAYS = {
    "http": ("http://tipline.test", {}, 0, False),
    "https": ("https://tipline.test", {}, 0, True),
    "proxied https": ("http://tipline.test", {"x-forwarded-proto": "https"}, 1, True),
}


def cookie_problems(set_cookie: str, https: bool) -> list[str]:
    """What a Set-Cookie header lacks (or has wrongly)."""
    attributes = {part.strip().split("=")[0].lower(): part for part in set_cookie.split(";")[1:]}
    problems = []
    if "httponly" not in attributes:
        problems.append("HttpOnly")
    samesite = attributes.get("samesite", "").split("=")[-1].strip().lower()
    if samesite not in ("lax", "strict"):
        problems.append(f"SameSite={samesite}")
    if ("secure" in attributes) != https:
        problems.append("Secure" if https else "Secure over plain HTTP")
    return problems


def test_the_judge_of_cookies() -> None:
    good = "a=1; HttpOnly; Path=/; SameSite=lax"
    assert cookie_problems(good, https=False) == []
    assert cookie_problems(good, https=True) == ["Secure"]
    assert cookie_problems(f"{good}; Secure", https=False) == ["Secure over plain HTTP"]
    assert cookie_problems("a=1; SameSite=none; Secure", https=True) == [
        "HttpOnly",
        "SameSite=none",
    ]


def visit(client: TestClient, headers: dict[str, str]) -> list[Response]:
    """A language chosen, a sign-in, a sign-out, a report filed and forgotten: every answer.

    The cookies are carried by hand, as a browser on HTTPS would carry them: behind a proxy the
    test client speaks plain HTTP and would keep a Secure cookie to itself."""
    jar: dict[str, str] = {}

    def send(method: str, path: str, form: dict[str, str] | None = None) -> Response:
        cookie = {"cookie": "; ".join(f"{k}={v}" for k, v in jar.items())} if jar else {}
        client.cookies.clear()
        answer = client.request(method, path, data=form, headers=headers | cookie)
        for line in answer.headers.get_list("set-cookie"):
            name, _, rest = line.partition("=")
            value = rest.split(";", 1)[0].strip('"')
            jar.pop(name, None) if "max-age=0" in line.lower() else jar.update({name: value})
        return answer

    answers = [send("GET", "/login?lang=en")]
    token = TOKEN.search(answers[0].text)
    assert token is not None
    form = {"csrf_token": token.group(1)}
    signed = {"username": "lan", "password": PASSWORD}
    answers.append(send("POST", "/login", form | signed))
    answers.append(send("POST", "/logout", form))
    answers.append(send("POST", "/report", form | {"narrative": NARRATIVE}))
    answers.append(send("POST", "/report/receipt/forget", form))
    return answers


@pytest.mark.parametrize("way", list(WAYS))
def test_every_cookie_has_its_flags(
    way: str, settings: Settings, session_factory: sessionmaker[Session], db_session: Session
) -> None:
    base_url, headers, proxies, https = WAYS[way]
    create_user(db_session, "cli:test", "lan", "analyst", PASSWORD)
    app = create_app(settings.model_copy(update={"trusted_proxies": proxies}), session_factory)
    with TestClient(app, base_url=base_url, follow_redirects=False) as client:
        answers = visit(client, headers)
    statuses = [answer.status_code for answer in answers]
    assert statuses == [200, 303, 303, 303, 303]
    cookies = [cookie for answer in answers for cookie in answer.headers.get_list("set-cookie")]
    names = {cookie.split("=", 1)[0] for cookie in cookies}
    assert EVERY_COOKIE <= names, names
    assert {cookie: cookie_problems(cookie, https) for cookie in cookies} == {
        cookie: [] for cookie in cookies
    }


def test_no_cookie_is_set_outside_the_one_helper() -> None:
    source = Path(tipline.__file__).parent
    setting = re.compile(r"\.(set_cookie|delete_cookie)\(|[Ss]et-[Cc]ookie")
    found = [
        str(path.relative_to(source))
        for path in source.rglob("*.py")
        if setting.search(path.read_text(encoding="utf-8"))
    ]
    assert found == ["html/cookies.py"]
