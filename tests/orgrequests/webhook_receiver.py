"""A receiver of tipline's webhooks on loopback, as an organisation's system would be: it checks
each one's signature and timestamp (with the snippet of docs/requests.md, in
`tipline.orgrequests.webhooks.verify`) and answers what the test tells it to."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tipline.orgrequests import webhooks

HANG = 0  # an answer that never comes (the client times out)


@dataclass(frozen=True)
class Received:
    delivery: str
    event: str
    body: str
    valid: bool  # signature and timestamp checked


@dataclass
class Receiver:
    secret: str
    clock: int  # the receiver's clock, Unix seconds
    answers: list[int] = field(default_factory=list)  # statuses to answer, in turn; then 200
    received: list[Received] = field(default_factory=list)
    url: str = ""
    released: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, headers: dict[str, str], body: str) -> int:
        valid = webhooks.verify(
            self.secret,
            headers.get("x-tipline-timestamp", ""),
            headers.get("x-tipline-signature", ""),
            body,
            self.clock,
        )
        with self.lock:
            self.received.append(
                Received(
                    headers.get("x-tipline-delivery", ""),
                    headers.get("x-tipline-event", ""),
                    body,
                    valid,
                )
            )
            return self.answers.pop(0) if self.answers else 200


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length).decode()
            headers = {k.lower(): v for k, v in self.headers.items()}
            status = receiver.take(headers, body)
            if status == HANG:
                receiver.released.wait()
                return
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


@contextmanager
def receiving(secret: str, clock: int) -> Iterator[Receiver]:
    receiver = Receiver(secret, clock)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/tipline"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        receiver.released.set()
        server.shutdown()
        server.server_close()
        thread.join()


def refused_url() -> str:
    """A loopback address nobody listens on (a port just freed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/hooks"
