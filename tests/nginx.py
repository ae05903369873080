"""Debian's nginx for tests: the repository's site (deploy/nginx/tipline.conf) in front of the
given tipline processes, on a free loopback port, in a temporary folder, stopped at the end."""

from __future__ import annotations

import re
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.live_server import free_port, stop

NGINX = Path("/usr/sbin/nginx")
SITE = Path(__file__).resolve().parent.parent / "deploy" / "nginx" / "tipline.conf"
START_SECONDS = 20
# The main configuration around the site: in the foreground, everything in `folder`, and an
# access log naming the upstream that answered each request.
MAIN = """\
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 512; }}
http {{
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    log_format upstreams '$upstream_addr $status $request_method $uri';
    access_log {folder}/access.log upstreams;
    include {folder}/tipline.conf;
}}
"""


@dataclass(frozen=True)
class Proxy:
    url: str
    folder: Path

    def upstreams_used(self) -> list[str]:
        """The upstream address of each request logged so far (`-` when none answered)."""
        log = self.folder / "access.log"
        lines = log.read_text("utf-8").splitlines() if log.exists() else []
        return [line.split(" ", 1)[0] for line in lines]


def site_for(listen_port: int, upstream_ports: Sequence[int]) -> str:
    """The repository's site with its `listen` and upstream servers replaced."""
    site = SITE.read_text("utf-8").replace("listen 80;", f"listen 127.0.0.1:{listen_port};")
    servers = "".join(
        f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;\n" for port in upstream_ports
    )
    site, replaced = re.subn(r"(    server 127\.0\.0\.1:\d+ [^\n]*\n)+", servers, site)
    assert replaced == 1, "the site's upstream block changed: update tests/nginx.py"
    return site


def _wait_until_listening(port: int, nginx: subprocess.Popen[bytes], folder: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if nginx.poll() is not None:
            raise RuntimeError(f"nginx stopped: {(folder / 'error.log').read_text('utf-8')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nginx did not listen within {START_SECONDS} s")


@contextmanager
def running_nginx(upstream_ports: Sequence[int]) -> Iterator[Proxy]:
    """nginx with the repository's site in front of `upstream_ports`; stopped at the end."""
    with tempfile.TemporaryDirectory(prefix="tipline-nginx.") as name:
        folder = Path(name)
        folder.chmod(0o755)  # nginx's workers (user nobody when started as root) write here
        for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (folder / temp).mkdir(mode=0o777)
            (folder / temp).chmod(0o777)
        port = free_port()
        (folder / "tipline.conf").write_text(site_for(port, upstream_ports), "utf-8")
        (folder / "nginx.conf").write_text(MAIN.format(folder=folder), "utf-8")
        command = [str(NGINX), "-p", str(folder), "-c", str(folder / "nginx.conf")]
        nginx = subprocess.Popen([*command, "-e", str(folder / "error.log")])
        try:
            _wait_until_listening(port, nginx, folder)
            yield Proxy(f"http://127.0.0.1:{port}", folder)
        finally:
            stop(nginx)
