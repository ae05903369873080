"""Slow clients against the nginx site (deploy/nginx/tipline.conf), the slowloris way.

Starts Debian's nginx with the repository's site in front of a stand-in upstream (Python's
http.server: what is measured is nginx's side), opens `--clients` connections that send half a
request header and then nothing, and times: an ordinary request meanwhile, and how long nginx
keeps a stalled header and a stalled body open (client_header_timeout, client_body_timeout).

    .venv/bin/python bench/slow_clients.py --clients 200
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.live_server import free_port  # noqa: E402
from tests.nginx import running_nginx  # noqa: E402


def seconds_until_closed(connection: socket.socket) -> float:
    """How long until nginx closes a connection that sends nothing more."""
    connection.settimeout(120)
    began = time.monotonic()
    while connection.recv(4096):
        pass
    return time.monotonic() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    args = parser.parse_args()
    port = free_port()
    stand_in = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    upstream = subprocess.Popen(stand_in, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)
        with running_nginx([port]) as proxy:
            address = ("127.0.0.1", int(proxy.url.rsplit(":", 1)[1]))
            stalled = []
            for _ in range(args.clients):
                connection = socket.create_connection(address)
                connection.sendall(b"GET / HTTP/1.1\r\nHost: tipline\r\n")  # never finished
                stalled.append(connection)
            began = time.monotonic()
            with urllib.request.urlopen(proxy.url + "/", timeout=10) as answer:  # noqa: S310
                status = answer.status
            print(
                f"an ordinary request with {args.clients} stalled clients: "  # noqa: T201
                f"{status} in {(time.monotonic() - began) * 1000:.0f} ms"
            )
            print(f"a stalled header closed after {seconds_until_closed(stalled[0]):.1f} s")  # noqa: T201
            body = socket.create_connection(address)
            body.sendall(b"POST /api/v1/reports HTTP/1.1\r\nHost: tipline\r\n"
                         b"Content-Length: 1000\r\n\r\n{")  # fmt: skip
            print(f"a stalled body closed after {seconds_until_closed(body):.1f} s")  # noqa: T201
            for connection in [*stalled, body]:
                connection.close()
    finally:
        upstream.terminate()
        upstream.wait()


if __name__ == "__main__":
    main()
