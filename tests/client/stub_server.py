"""A scripted HTTP server on 127.0.0.1 for the client's retry and hostile-answer tests: it
answers its requests with the given (status, headers, body) in turn, the last one again and
again, and records each request's method, path, body and headers."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Answer = tuple[int, dict[str, str], bytes]
CHECK_BODY = (
    b'{"input":"0987654321","kind":"phone","value":"+84987654321","verdict":"reported",'
    b'"confirmed":false,"allowlisted":false,"report_count":2,"categories":{"fraud.impersonation":2},'
    b'"sources":["reports"],"feeds":[],"first_seen":"2026-12-01T08:00:00Z",'
    b'"last_seen":"2026-12-02T08:00:00Z"}'
)


@dataclass
class Stub:
    url: str
    answers: list[Answer]
    requests: list[tuple[str, str, bytes]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)


def _handler(stub: Stub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            stub.requests.append((self.command, self.path, body))
            stub.headers.append({k.lower(): v for k, v in self.headers.items()})
            index = min(len(stub.requests), len(stub.answers)) - 1
            status, headers, content = stub.answers[index]
            self.send_response(status)
            for name, value in {"Content-Length": str(len(content)), **headers}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = _answer

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base's)
            pass

    return Handler


@contextmanager
def stub_server(answers: Sequence[Answer]) -> Iterator[Stub]:
    stub = Stub("", list(answers))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stub))
    stub.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
