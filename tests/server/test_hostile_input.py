"""Hostile input in every text input of every route: broken UTF-8, NUL bytes and encoded lone
surrogates; SQL, LIKE and full-text metacharacters.

The routes are discovered from the app (as the access matrix does): every query parameter,
every text path parameter, every form field and every uploaded file's name of every route gets
the hostile value, sent by an admin, a partner agency's user, an organisation's user and
anonymously. Each answer is a clear 4xx or a success, never a 5xx (PostgreSQL's text cannot hold
NUL, and UTF-8 cannot hold a lone surrogate: both must be stopped or made storable before the
database; a quote or a `MATCH` operator must never reach SQL or FTS5 as syntax). JSON bodies
get the same in tests/server/test_schemathesis.py; the search's results in
tests/workspace/test_hostile_search.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.params import File, Form
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from tests.accounts.test_access_matrix import Endpoint, endpoints

from tipline.access import Principal, Role, get_principal
from tipline.app import create_app
from tipline.html import csrf
from tipline.partners.service import add_organisation, add_partner
from tipline.settings import Settings

# NUL, a byte that is never UTF-8, a UTF-8-encoded lone surrogate, and a truncated sequence.
HOSTILE = b"a\x00b\xff c\xed\xa0\x80 d\xe1\xba"
HOSTILE_NAME = b"ev\x00il\xff\xed\xa0\x80../..\\x.txt"
# Quotes, comments, statement ends, LIKE wildcards and escapes, FTS5 and tsquery syntax.
METACHARACTERS = (
    b"' OR '1'='1' -- ",
    b'"; DROP TABLE reports; --',
    b"%_\\%\\_ \\",
    b'NEAR("a" b) OR c* AND NOT -d:e ^f {g}',
    b"a & b | !c <-> d:* (e",
)
SKIPPED = ("/static/",)


def _encoded(raw: bytes) -> str:
    return quote(raw, safe="")


def hostile_path(endpoint: Endpoint, value: bytes) -> str:
    """The route's path: 1 for a number, `value` (percent-encoded) for text."""
    path = endpoint.path_format
    for param in endpoint.dependant.path_params:
        number = param.field_info.annotation in (int, "int")
        path = path.replace(f"{{{param.name}}}", "1" if number else _encoded(value))
    return path


def hostile_query(endpoint: Endpoint, value: bytes) -> str:
    return "&".join(f"{p.alias}={_encoded(value)}" for p in endpoint.dependant.query_params)


def form_fields(endpoint: Endpoint) -> tuple[list[str], list[str]]:
    """The names of the route's form fields and of its file fields."""
    fields, files = [], []
    for param in endpoint.dependant.body_params:
        if isinstance(param.field_info, File):
            files.append(param.alias)
        elif isinstance(param.field_info, Form):
            fields.append(param.alias)
    return fields, files


def multipart(fields: list[str], files: list[str], token: str, value: bytes) -> tuple[bytes, str]:
    """A multipart body: every field `value`, every file named with hostile bytes."""
    boundary = "hostileboundary7"
    parts = [(csrf.CSRF_FIELD, None, token.encode())]
    parts += [(name, None, value) for name in fields]
    parts += [(name, HOSTILE_NAME, b"%PDF-1.4 hostile\n") for name in files]
    body = b""
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"'.encode()
        if filename is not None:
            disposition += b'; filename="' + filename + b'"'
        body += b"--" + boundary.encode() + b"\r\nContent-Disposition: " + disposition + b"\r\n"
        body += b"Content-Type: application/octet-stream\r\n" if filename else b""
        body += b"\r\n" + content + b"\r\n"
    body += b"--" + boundary.encode() + b"--\r\n"
    return body, f"multipart/form-data; boundary={boundary}"


def hostile_body(endpoint: Endpoint, token: str, value: bytes) -> tuple[bytes, str] | None:
    """A body for the route's form (urlencoded, or multipart when it takes files)."""
    fields, files = form_fields(endpoint)
    if files:
        return multipart(fields, files, token, value)
    if fields:
        pairs = [f"{csrf.CSRF_FIELD}={token}"] + [f"{f}={_encoded(value)}" for f in fields]
        return "&".join(pairs).encode(), "application/x-www-form-urlencoded"
    return None


@pytest.fixture
def callers(db_session: Session) -> list[Principal | None]:
    partner = add_partner(db_session, "cli:test", "Hostile agency", "TH")
    organisation = add_organisation(db_session, "cli:test", "Hostile bank", "bank")
    return [
        None,
        Principal(1, "lan", Role.ADMIN, "session"),
        Principal(2, "kim", Role.PARTNER, "session", partner_id=partner.id),
        Principal(3, "vy", Role.PLATFORM, "session", organisation_id=organisation.id),
    ]


@pytest.fixture
def app(settings: Settings, session_factory: sessionmaker[Session]) -> FastAPI:
    return create_app(settings=settings, session_factory=session_factory)


def requests_of(
    app: FastAPI, token: str, value: bytes, texts_only: bool = False
) -> Iterator[tuple[str, str, bytes | None, str]]:
    """(method, url, body, content type) of a request with `value` in every text input, to
    every route and method (`texts_only`: the routes that take text from the query or a form)."""
    for endpoint in endpoints(app):
        if endpoint.path.startswith(SKIPPED):
            continue
        url = hostile_path(endpoint, value)
        query = hostile_query(endpoint, value)
        form = hostile_body(endpoint, token, value)
        if texts_only and not (query or form):
            continue
        url = f"{url}?{query}" if query else url
        for method in sorted(endpoint.methods - {"HEAD"}):
            body, kind = form if form and method != "GET" else (None, "")
            yield method, url, body, kind


def sweep(
    app: FastAPI, settings: Settings, callers: list[Principal | None], values: list[bytes]
) -> tuple[list[str], Counter[int]]:
    """Every route × caller × value: what answered 5xx, and the answers by status class."""
    key = csrf.signing_key(settings.secret_key, settings.data_dir)
    nonce = csrf.new_nonce()
    token = csrf.issue_token(key, nonce)
    wrong: list[str] = []
    statuses: Counter[int] = Counter()
    with TestClient(app, raise_server_exceptions=False) as client:
        client.cookies.set(csrf.CSRF_COOKIE, nonce)
        for principal, value in ((p, v) for p in callers for v in values):
            app.dependency_overrides[get_principal] = lambda p=principal: p
            who = principal.role.value if principal else "anonymous"
            for method, url, body, kind in requests_of(app, token, value, len(values) > 1):
                headers = {"content-type": kind} if kind else {}
                answer = client.request(
                    method, url, content=body, headers=headers, follow_redirects=False
                )
                statuses[answer.status_code // 100] += 1
                if answer.status_code >= 500:
                    wrong.append(f"{method} {url} as {who}: {answer.status_code}")
    return wrong, statuses


def test_broken_utf8_and_nul_in_every_route_answer_4xx_or_are_stored(
    app: FastAPI, settings: Settings, callers: list[Principal | None]
) -> None:
    wrong, statuses = sweep(app, settings, callers, [HOSTILE])
    assert statuses[4] > 100, statuses
    assert statuses[2] + statuses[3] > 10, statuses
    assert not wrong, "\n".join(wrong)


def test_sql_metacharacters_in_every_query_and_form_are_only_text(
    app: FastAPI, settings: Settings, callers: list[Principal | None]
) -> None:
    wrong, statuses = sweep(app, settings, callers[:2], list(METACHARACTERS))
    assert statuses[2] + statuses[3] > 50, statuses
    assert not wrong, "\n".join(wrong)
