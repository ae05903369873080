"""An administrator in a real browser: sent to sign in, signs in, adds a user, signs out.

Debian's Chromium through Playwright against `tipline serve` in a subprocess (a temporary data
folder, the admin made with `tipline users add`). Screenshots go to /tmp/tipline-shots/.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
SHOTS = Path("/tmp/tipline-shots")
PASSWORD = "correct horse battery"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120  # a loaded machine starts slowly
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped with status {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 (loopback)
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not answer within 120 s")


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    data_dir = tmp_path_factory.mktemp("tipline-accounts")
    env = os.environ | {"TIPLINE_DATA_DIR": str(data_dir), "TIPLINE_DATABASE_URL": ""}
    tipline = [sys.executable, "-m", "tipline"]
    add = [*tipline, "users", "add", "an", "--role", "admin", "--password-stdin"]
    subprocess.run(add, env=env, input=f"{PASSWORD}\n".encode(), check=True, capture_output=True)
    serve = [*tipline, "serve", "--host", "127.0.0.1", "--port", str(port)]
    with (data_dir / "server.log").open("wb") as log:
        server = subprocess.Popen(serve, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_up(f"http://127.0.0.1:{port}/login", server)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def test_admin_signs_in_adds_a_user_and_signs_out(server_url: str) -> None:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"{server_url}/?lang=en")  # remembered in a cookie
            page.goto(f"{server_url}/admin/users")
            assert page.url == f"{server_url}/login?next=%2Fadmin%2Fusers"
            page.fill("#username", "an")
            page.fill("#password", "not the password")
            page.click("button[type=submit]")
            assert page.inner_text("#login-error") == "Wrong username or password."
            page.screenshot(path=str(SHOTS / "accounts-1-login-refused.png"))
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            assert page.url == f"{server_url}/admin/users"
            assert "an · admin" in page.inner_text(".ws-who")
            page.fill("input[name=username]", "minh")
            page.fill("input[name=display_name]", "Trần Minh <b>")
            page.select_option("select[name=role]", "supervisor")
            page.fill("input[name=password]", "another long password")
            page.click("form.accounts-form button[type=submit]")
            assert "User added." in page.inner_text(".accounts-notice")
            assert "Trần Minh <b>" in page.inner_text("#users")
            page.screenshot(path=str(SHOTS / "accounts-2-users.png"), full_page=True)
            page.click(".ws-signout button")
            assert page.url.startswith(f"{server_url}/login")
            page.goto(f"{server_url}/admin/users")
            assert page.url.startswith(f"{server_url}/login?next=")
        finally:
            browser.close()
