"""`tipline client check VALUE --server URL [--token T]` against a live server."""

from __future__ import annotations

import pytest
from tests.client.conftest import REPORTED_PHONE, LiveServer
from tests.client.stub_server import CHECK_BODY, stub_server
from tests.live_server import free_port
from typer.testing import CliRunner

from tipline.cli import app
from tipline.client.cli import client_app


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["client", "check", *args])
    return result.exit_code, result.stdout, result.stderr


def test_check_prints_the_verdict_first(live_server: LiveServer) -> None:
    status, out, err = run("0987 654 321", "--server", live_server.url)
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "reported"
    assert f"value: {REPORTED_PHONE}" in lines
    assert "kind: phone" in lines
    assert "reports: 1" in lines
    assert lines[-1] == "check: private"


def test_check_of_a_value_nobody_reported(live_server: LiveServer) -> None:
    status, out, _ = run("0912000111", "--server", live_server.url)
    assert status == 0
    assert out.splitlines()[0] == "not_reported"


def test_no_indicator_is_a_user_error(live_server: LiveServer) -> None:
    status, out, err = run("hello there", "--server", live_server.url)
    assert (status, out) == (2, "")
    assert err.startswith("error: 'hello there' is not a phone number")


@pytest.mark.parametrize("server", ["tipline.example.vn", "ftp://x", "http://", "https://x/?q=1"])
def test_a_bad_server_url_is_a_user_error(server: str) -> None:
    status, out, err = run("0987654321", "--server", server)
    assert (status, out) == (2, "")
    assert err.startswith("error: ")
    assert "server URL" in err


def test_a_server_that_is_down_fails_with_status_1() -> None:
    status, out, err = run("0987654321", "--server", f"http://127.0.0.1:{free_port()}",
                           "--retries", "0")  # fmt: skip
    assert (status, out) == (1, "")
    assert err.startswith("error: no answer from http://127.0.0.1:")


def test_a_server_whose_private_check_is_not_built_gets_the_public_check() -> None:
    not_ready = b'{"error":{"code":"not_ready","message":"the private check has no key yet"}}'
    with stub_server([(503, {}, not_ready), (200, {}, CHECK_BODY)]) as stub:
        status, out, err = run("0987654321", "--server", stub.url)
    assert (status, err) == (0, "")
    assert out.splitlines()[0] == "reported"
    assert out.splitlines()[-1] == "check: public (the server has no private check)"
    paths = [path for _, path, _ in stub.requests]
    assert paths == ["/api/v1/private-check", "/api/v1/check?value=0987654321"]


def test_the_client_distributions_own_command_has_check(live_server: LiveServer) -> None:
    result = CliRunner().invoke(client_app, ["check", "0987654321", "--server", live_server.url])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "reported"
