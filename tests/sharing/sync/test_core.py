"""The pure rules of syncing: endpoints, the partner's server only, envelopes."""

from __future__ import annotations

import json

import pytest

from tipline.sharing.sync import core


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://taxii.partner.example/taxii2/", None),
        ("http://127.0.0.1:8000/taxii2/", None),
        ("ftp://partner.example/", "a TAXII server's URL starts with https:// (or http://)"),
        ("partner.example/taxii2/", "a TAXII server's URL starts with https:// (or http://)"),
        ("https://u:p@partner.example/", "give the credentials with --user"),
        ("https://partner.example:99999/", "not a URL"),
    ],
)
def test_url_problem(url: str, problem: str | None) -> None:
    found = core.url_problem(url)
    assert found == problem if problem is None else (found or "").startswith(problem)


def test_same_origin_is_scheme_host_and_port() -> None:
    base = "https://Partner.example/taxii2/"
    assert core.same_origin("https://partner.example:443/taxii2/root/", base)
    assert not core.same_origin("http://partner.example/taxii2/root/", base)
    assert not core.same_origin("https://partner.example:8443/taxii2/", base)
    assert not core.same_origin("https://elsewhere.example/taxii2/", base)


def test_credentials_problem_and_repr_hides_the_secret() -> None:
    good = core.Credentials("basic", "tipline", "hunter2")
    assert core.credentials_problem(good) is None
    assert "hunter2" not in repr(good)
    assert core.credentials_problem(core.Credentials("basic", "", "x")) == (
        "HTTP Basic needs a username (--user)"
    )
    assert core.credentials_problem(core.Credentials("token", "", "")) == (
        "a password or a token is needed"
    )
    assert core.credentials_problem(core.Credentials("oauth", "u", "x")) == (
        "the authentication is one of basic, token"
    )


def test_envelopes_cut_by_count_and_by_bytes() -> None:
    bodies = [(f"indicator--{i}", json.dumps({"id": f"indicator--{i}"})) for i in range(7)]
    assert [len(b) for b in core.envelopes(bodies, max_objects=3)] == [3, 3, 1]
    one = len(bodies[0][1]) + 1
    assert [len(b) for b in core.envelopes(bodies, max_bytes=2 * one + 14)] == [2, 2, 2, 1]
    text = core.envelope_text(bodies[:2])
    assert json.loads(text) == {"objects": [{"id": "indicator--0"}, {"id": "indicator--1"}]}


def test_normal_url_ends_with_a_slash() -> None:
    assert core.normal_url(" https://p.example/taxii2 ") == "https://p.example/taxii2/"
