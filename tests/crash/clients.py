"""Clients that keep a tipline server busy until it is killed, noting what it acknowledged.

An answer counts as acknowledged only when the client read all of it with its success status:
the report's code (API receipt, or the page's signed receipt cookie), the stored file's
SHA-256, the note's id, the bulk rows' codes. Anything cut off by the kill is not.
"""

from __future__ import annotations

import hashlib
import itertools
import random
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
BULK_ROWS = 3


@dataclass
class Acknowledged:
    """What the server said it stored, and the bulk batches sent (to send them again)."""

    reports: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # code: indicators
    page_cookies: dict[str, str] = field(default_factory=dict)  # receipt cookie: file's SHA-256
    evidence: set[tuple[int, str]] = field(default_factory=set)  # (report id, SHA-256)
    notes: set[int] = field(default_factory=set)
    bulk: dict[str, str] = field(default_factory=dict)  # external id: code
    bulk_sent: list[list[dict[str, Any]]] = field(default_factory=list)
    checks: int = 0
    cut_off: int = 0  # requests the kill cut off (or that found the server down)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self) -> int:
        return (len(self.reports) + len(self.page_cookies) + len(self.evidence)
                + len(self.notes) + len(self.bulk))  # fmt: skip


class Numbers:
    """Distinct phone numbers and ids for every submission of a test, across restarts."""

    def __init__(self, seed: int) -> None:
        self._next = itertools.count((200 + seed % 800) * 100_000)  # from 092…
        self._lock = threading.Lock()

    def take(self) -> int:
        with self._lock:
            return next(self._next)


def phone(n: int) -> str:
    return f"09{n:08d}"


def narrative(n: int) -> str:
    return f"Kẻ lừa đảo gọi từ số {phone(n)}, xưng là công an và bắt chuyển 5.000.000đ."


@dataclass
class Client:
    http: httpx.Client
    token: str
    numbers: Numbers
    ack: Acknowledged
    rng: random.Random

    @property
    def staff(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def api_report(self) -> None:
        n = self.numbers.take()
        body = {"narrative": narrative(n), "indicators": [phone(n)]}
        answer = self.http.post("/api/v1/reports", json=body)
        if answer.status_code == 201:
            receipt = answer.json()
            found = {(i["kind"], i["value"]) for i in receipt["indicators"]}
            with self.ack.lock:
                self.ack.reports[receipt["code"]] = found

    def page_report(self) -> None:
        page = self.http.get("/report")
        match = TOKEN.search(page.text)
        if match is None:  # no form to post (not an answer the test counts on)
            return
        n = self.numbers.take()
        content = f"Tin nhắn từ {phone(n)}: chuyển tiền ngay (ảnh chụp số {n})\n".encode()
        form = {"csrf_token": match.group(1), "narrative": narrative(n), "indicators": phone(n)}
        files = {"files": (f"tin-nhan-{n}.txt", content, "text/plain")}
        answer = self.http.post("/report", data=form, files=files, follow_redirects=False)
        cookie = answer.cookies.get("tipline_holder")
        if answer.status_code == 303 and cookie:
            with self.ack.lock:
                self.ack.page_cookies[cookie] = hashlib.sha256(content).hexdigest()

    def _some_report(self) -> int | None:
        queue = self.http.get("/api/v1/queue", params={"sort": "newest", "limit": 5},
                              headers=self.staff)  # fmt: skip
        items = queue.json()["items"] if queue.status_code == 200 else []
        return int(self.rng.choice(items)["id"]) if items else None

    def evidence(self) -> None:
        report_id = self._some_report()
        if report_id is None:
            return
        n = self.numbers.take()
        content = f"Sao kê chuyển khoản {n} tới {phone(n)}\n".encode()
        files = {"file": (f"sao-ke-{n}.txt", content, "text/plain")}
        answer = self.http.post(f"/api/v1/reports/{report_id}/evidence", files=files,
                                headers=self.staff)  # fmt: skip
        if answer.status_code == 201:
            with self.ack.lock:
                self.ack.evidence.add((report_id, answer.json()["sha256"]))

    def note(self) -> None:
        report_id = self._some_report()
        if report_id is None:
            return
        answer = self.http.post(f"/api/v1/reports/{report_id}/notes", headers=self.staff,
                                json={"text": "Đã gọi lại cho người báo."})  # fmt: skip
        if answer.status_code == 201:
            with self.ack.lock:
                self.ack.notes.add(int(answer.json()["id"]))

    def bulk(self) -> None:
        rows = []
        for _ in range(BULK_ROWS):
            n = self.numbers.take()
            rows.append({"external_id": f"row-{n}", "narrative": narrative(n),
                         "indicators": [phone(n)]})  # fmt: skip
        with self.ack.lock:
            self.ack.bulk_sent.append(rows)
        self.send_bulk(rows)

    def send_bulk(self, rows: list[dict[str, Any]]) -> dict[str, str]:
        """Send a batch; the rows' outcomes by external id when acknowledged (else empty)."""
        answer = self.http.post("/api/v1/reports/bulk", json={"reports": rows},
                                headers=self.staff)  # fmt: skip
        if answer.status_code != 200:
            return {}
        results = answer.json()["results"]
        with self.ack.lock:
            self.ack.bulk.update({r["external_id"]: r["code"] for r in results})
        return {r["external_id"]: r["outcome"] for r in results}

    def check(self) -> None:
        answer = self.http.get("/api/v1/check", params={"value": phone(self.numbers.take())})
        if answer.status_code == 200:
            with self.ack.lock:
                self.ack.checks += 1

    def actions(self) -> list[Callable[[], None]]:
        return [self.api_report, self.api_report, self.page_report, self.page_report,
                self.evidence, self.note, self.bulk, self.check, self.check]  # fmt: skip


MakeClient = Callable[[httpx.Client, random.Random], Client]


def keep_busy(url: str, client_of: MakeClient, seed: int, stop: threading.Event) -> None:
    """Random actions until `stop`; a broken connection (the kill) is simply not acknowledged."""
    rng = random.Random(seed)
    with httpx.Client(base_url=url, timeout=20) as http:
        client = client_of(http, rng)
        actions = client.actions()
        while not stop.is_set():
            try:
                rng.choice(actions)()
            except (httpx.TransportError, ValueError):  # cut off mid-answer
                with client.ack.lock:
                    client.ack.cut_off += 1
                stop.wait(0.02)


def load_until(
    url: str, client_of: MakeClient, seed: int, clients: int, stop: threading.Event
) -> list[threading.Thread]:
    threads = [
        threading.Thread(target=keep_busy, args=(url, client_of, seed * 100 + i, stop))
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    return threads
