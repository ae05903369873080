"""A slowloris on loopback against a real `tipline serve`: many connections send their request
headers one byte at a time and never finish, while a normal client still gets its answers.

uvicorn serves each connection as an asyncio task: a connection that trickles its headers costs
a socket and a little memory, not a worker, so the others are served. (It has no time limit on
reading headers: nginx in front closes such connections, see docs/reliability.md.) Runs once,
in the SQLite run: the database plays no part.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from tests.live_server import running_tipline

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TIPLINE_TEST_DATABASE_URL")), reason="runs once, in the SQLite run"
)

SLOW_CONNECTIONS = 200
HEADER = b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 1000
ANSWER_BOUND = 10.0  # seconds: generous on a loaded machine; a starved server never answers


def trickle(port: int, stop: threading.Event, sent: list[int]) -> None:
    """Open the slow connections, then send each one more byte of its headers every 50 ms."""
    sockets = []
    for _ in range(SLOW_CONNECTIONS):
        slow = socket.create_connection(("127.0.0.1", port), timeout=5)
        slow.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sockets.append(slow)
    position = 0
    while not stop.is_set() and position < len(HEADER):
        for slow in sockets:
            try:
                slow.send(HEADER[position : position + 1])
                sent[0] += 1
            except OSError:
                sent[1] += 1  # the server closed it: also fine
        position += 1
        stop.wait(0.05)
    for slow in sockets:
        slow.close()


def test_a_normal_client_is_answered_during_a_slowloris(tmp_path: Path) -> None:
    with running_tipline(tmp_path / "data") as base:
        port = int(base.rsplit(":", 1)[1])
        stop = threading.Event()
        sent = [0, 0]  # bytes sent, sends refused
        attacker = threading.Thread(target=trickle, args=(port, stop, sent), daemon=True)
        attacker.start()
        while sent[0] < SLOW_CONNECTIONS * 5:  # every slow connection is open and trickling
            time.sleep(0.05)
        answers = []
        for _ in range(5):
            with urllib.request.urlopen(f"{base}/api/v1/health", timeout=ANSWER_BOUND) as answer:
                answers.append(answer.status)
        still_trickling = attacker.is_alive()
        stop.set()
        attacker.join(timeout=30)
    assert answers == [200] * 5
    assert still_trickling  # the answers came while the slow connections were held
    assert sent[0] >= SLOW_CONNECTIONS * 5
