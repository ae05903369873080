"""Load: report submissions, checks and analysts' page views together, at rising rates, against a
real `tipline serve` on loopback, for a bounded time.

A temporary data folder gets the demo data set (`tipline demo`, 3,000 reports by default; or an
empty PostgreSQL database given by `--database-url`), an analyst signed in through the login
form, and a server (`--workers` processes). Then the load runs in stages: each stage offers
fixed rates (open loop: requests are sent on a schedule, whether or not earlier ones have been
answered, and each latency counts from the moment its request was due, so a server that falls
behind shows it instead of slowing the client down). The stages rise to the target rates
(`--submit`, `--check`, `--view` a second) and the last one holds them for `--hold` seconds.

Each submission is a new report in the form citizens send (`POST /api/v1/reports`, a narrative
with a phone number and a bank account, a third of them repeating a ring's indicators so that
campaigns grow); each check is `GET /api/v1/check?value=` on a value reported earlier or never
seen; each view is an analyst's queue page or report page (HTML, session cookie).

The client is a small asyncio HTTP/1.1 client over keep-alive connections (each request costs
it tens of microseconds; httpx costs about a millisecond, which on two cores would take the CPU
the server needs). Its own CPU time is printed beside the server's.

Rate limits are raised far above the load from one address (this measures the server; they are
still counted on every request). Prints, per stage and kind: offered and achieved rate, p50 and
p99 latency (ms), errors; the server's resident memory (all its processes) every `--sample`
seconds, and the server's CPU time per request. Exit status 1 if any request failed.

    PYTHONPATH=src .venv/bin/python bench/load.py                      # a short run (3 min)
    PYTHONPATH=src .venv/bin/python bench/load.py --hold 600 --json bench/out/load-sqlite.json
    PYTHONPATH=src .venv/bin/python bench/load.py --database-url postgresql+psycopg://…/load
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx
from sqlalchemy import create_engine, text

from concurrency import free_port, tipline  # bench/concurrency.py, beside this script

KINDS = ("submit", "check", "view")
STAGE_SHARES = (0.25, 0.5, 0.75)  # of the target rates, 30 s each, before the held stage
NARRATIVE = (
    "Load report {n}: a man called from {phone} saying he was from the bank's security team; he "
    "said my account was frozen and asked me to transfer {amount}.000.000đ to account {bank} "
    "{account} to unlock it. I sent the money and then he blocked me."
)
BANKS = ("VCB", "Techcombank", "MB", "ACB", "BIDV", "VPBank")
CONNECTIONS = {"submit": 48, "check": 32, "view": 8}


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


# --- the server ---------------------------------------------------------------------------------


def environment(data_dir: Path, database_url: str | None) -> dict[str, str]:
    return os.environ | {
        "TIPLINE_DATA_DIR": str(data_dir),
        "TIPLINE_DATABASE_URL": database_url or "",
        "TIPLINE_SECRET_KEY": "bench-secret",
        "TIPLINE_RATE_LIMIT_REPORTS": "100000000/minute",
        "TIPLINE_RATE_LIMIT_CHECKS": "100000000/minute",
        "TIPLINE_RATE_LIMIT_PUBLIC": "100000000/minute",
        "TIPLINE_RATE_LIMIT_TOKENS": "100000000/minute",
    }


def prepare(env: dict[str, str], reports: int) -> None:
    """The demo data set and an analyst."""
    tipline(env, "demo", "--count", str(reports))
    tipline(env, "users", "add", "loadbench", "--role", "analyst", "--password-stdin",
            stdin="load-bench-password-1234\n")  # fmt: skip


def sample_targets(url: str, rng: random.Random) -> tuple[list[int], list[str]]:
    """Report ids to view and values to check: reported ones and as many never seen."""
    engine = create_engine(url)
    with engine.connect() as connection:
        ids = list(connection.scalars(text("SELECT id FROM report ORDER BY id LIMIT 5000")))
        values = list(connection.scalars(text("SELECT value FROM indicator LIMIT 5000")))
    engine.dispose()
    absent = [f"09{rng.randrange(10**8):08d}" for _ in range(len(values))]
    return ids, values + absent


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "tipline", "serve", "--host", "127.0.0.1", "--port",
               str(port), "--workers", str(workers)]  # fmt: skip
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not start")


def server_pids(root: int) -> list[int]:
    """The server's process and its descendants (uvicorn's workers)."""
    pids, frontier = [root], [root]
    while frontier:
        parent = frontier.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        pids.extend(int(child) for child in children)
        frontier.extend(int(child) for child in children)
    return pids


def server_rss_mb(root: int) -> float:
    total = 0
    for pid in server_pids(root):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        if match := re.search(r"VmRSS:\s+(\d+)", status):
            total += int(match.group(1))
    return round(total / 1024, 1)


def server_cpu_s(root: int) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in server_pids(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def sign_in(port: int) -> str:
    """The session cookie of the analyst, signed in through the login form."""
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        page = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        if token is None:
            raise RuntimeError("the login form has no CSRF field")
        form = {"username": "loadbench", "password": "load-bench-password-1234",
                "csrf_token": token.group(1), "next": "/queue"}  # fmt: skip
        answer = client.post("/login", data=form)
        if answer.status_code != 303:
            raise RuntimeError(f"sign-in answered {answer.status_code}")
        return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


# --- a small HTTP/1.1 client --------------------------------------------------------------------


class Connection:
    """One keep-alive connection; one request at a time."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, raw: bytes) -> int:
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            self.writer.write(raw)
            return await self._answer(self.reader)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            self.writer.close()
            self.reader = self.writer = None
            raise

    async def _answer(self, reader: asyncio.StreamReader) -> int:
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        lowered = head.lower()
        if match := re.search(rb"\r\ncontent-length: *(\d+)", lowered):
            await reader.readexactly(int(match.group(1)))
        elif b"transfer-encoding: chunked" in lowered:
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await reader.readexactly(size + 2)
                if size == 0:
                    break
        if b"connection: close" in lowered:
            assert self.writer is not None
            self.writer.close()
            self.reader = self.writer = None
        return status


def get(path: str, cookie: str = "") -> bytes:
    extra = f"Cookie: {cookie}\r\n" if cookie else ""
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode()


def post_json(path: str, body: dict[str, Any]) -> bytes:
    payload = json.dumps(body, ensure_ascii=False).encode()
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(payload)}\r\n\r\n")  # fmt: skip
    return head.encode() + payload


# --- the load ------------------------------------------------------------------------------------


class Workload:
    """The requests of each kind, made up as they are sent."""

    def __init__(self, ids: list[int], values: list[str], cookie: str, seed: int) -> None:
        self.rng = random.Random(seed)
        self.ids, self.values, self.cookie = ids, values, cookie
        self.count = 0
        self.rings = [self._indicators() for _ in range(200)]

    def _indicators(self) -> tuple[str, str, str]:
        phone = f"09{self.rng.randrange(10**8):08d}"
        return phone, self.rng.choice(BANKS), f"{self.rng.randrange(10**10):010d}"

    def make(self, kind: str) -> bytes:
        self.count += 1
        if kind == "submit":
            ring = self.rng.random() < 1 / 3
            phone, bank, account = self.rng.choice(self.rings) if ring else self._indicators()
            if not ring:
                self.values.append(phone)  # checked later: reported meanwhile
            narrative = NARRATIVE.format(n=self.count, phone=phone, bank=bank, account=account,
                                         amount=self.rng.randint(2, 90))  # fmt: skip
            return post_json("/api/v1/reports", {"narrative": narrative, "anonymous": True})
        if kind == "check":
            return get(f"/api/v1/check?value={quote(self.rng.choice(self.values))}")
        if self.rng.random() < 0.5:
            query = urlencode({"status": "new"}) if self.rng.random() < 0.5 else ""
            return get(f"/queue?{query}", self.cookie)
        return get(f"/reports/{self.rng.choice(self.ids)}", self.cookie)


async def offer(
    kind: str, rate: float, seconds: float, pool: asyncio.Queue[Connection],
    workload: Workload, tally: Tally, pending: set[asyncio.Task[None]],
) -> None:  # fmt: skip
    """Send `kind` requests at `rate` a second for `seconds`, on schedule."""
    if rate <= 0:
        return
    loop = asyncio.get_running_loop()
    start, interval, n = loop.time(), 1 / rate, 0
    while (due := start + n * interval) < start + seconds:
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(send(kind, due, workload.make(kind), pool, tally))
        pending.add(task)
        task.add_done_callback(pending.discard)
        n += 1


async def send(
    kind: str, due: float, raw: bytes, pool: asyncio.Queue[Connection], tally: Tally
) -> None:
    loop = asyncio.get_running_loop()
    connection = await pool.get()
    try:
        status = await connection.request(raw)
        if not 200 <= status < 300:
            tally.errors[kind].append(str(status))
    except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
        tally.errors[kind].append(type(exc).__name__)
    finally:
        pool.put_nowait(connection)
    tally.latencies[kind].append((loop.time() - due) * 1000)


async def stage(
    port: int, rates: dict[str, float], seconds: float, workload: Workload, server: int,
    memory: list[tuple[float, float]], sample: float, started: float,
) -> dict[str, Any]:  # fmt: skip
    tally, pending = Tally(), set[asyncio.Task[None]]()
    pools: dict[str, asyncio.Queue[Connection]] = {}
    for kind in KINDS:
        pools[kind] = asyncio.Queue()
        for _ in range(CONNECTIONS[kind]):
            pools[kind].put_nowait(Connection(port))
    cpu_before, client_before = server_cpu_s(server), _client_cpu_s()
    t0 = time.perf_counter()

    async def watch() -> None:
        while True:
            memory.append((round(time.perf_counter() - started, 1), server_rss_mb(server)))
            await asyncio.sleep(sample)

    watcher = asyncio.create_task(watch())
    await asyncio.gather(*(offer(kind, rates[kind], seconds, pools[kind], workload, tally,
                                 pending) for kind in KINDS))  # fmt: skip
    if pending:
        await asyncio.wait(pending, timeout=60)
    elapsed = time.perf_counter() - t0
    watcher.cancel()
    for pool in pools.values():
        while not pool.empty():
            connection = pool.get_nowait()
            if connection.writer is not None:
                connection.writer.close()
    answered = sum(len(v) for v in tally.latencies.values())
    cpu = server_cpu_s(server) - cpu_before
    return {
        "offered": rates,
        "seconds": round(elapsed, 1),
        "kinds": summarise(tally, elapsed),
        "server_cpu_s": round(cpu, 1),
        "server_cpu_ms_per_request": round(cpu * 1000 / max(answered, 1), 2),
        "client_cpu_s": round(_client_cpu_s() - client_before, 1),
        "unfinished": len(pending),
    }


def _client_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def summarise(tally: Tally, elapsed: float) -> dict[str, dict[str, Any]]:
    figures = {}
    for kind in KINDS:
        times = sorted(tally.latencies[kind])
        if not times:
            continue
        figures[kind] = {
            "count": len(times),
            "per_s": round(len(times) / elapsed, 1),
            "errors": len(tally.errors[kind]),
            "error_kinds": sorted(set(tally.errors[kind]))[:5],
            "p50_ms": round(times[len(times) // 2], 1),
            "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 1),
        }
    return figures


async def run_load(
    port: int, server: int, workload: Workload, target: dict[str, float], ramp: float,
    hold: float, sample: float,
) -> dict[str, Any]:  # fmt: skip
    memory: list[tuple[float, float]] = []
    started = time.perf_counter()
    stages = []
    for share in (*STAGE_SHARES, 1.0):
        rates = {kind: target[kind] * share for kind in KINDS}
        seconds = hold if share == 1.0 else ramp
        result = await stage(port, rates, seconds, workload, server, memory, sample, started)
        stages.append(result)
        print(_stage_line(result), flush=True)
    return {"stages": stages, "memory_mb": memory}


def _stage_line(result: dict[str, Any]) -> str:
    parts = [f"{result['seconds']:>6} s"]
    for kind, row in result["kinds"].items():
        parts.append(f"{kind} {row['per_s']:>7}/s (offered {result['offered'][kind]:.0f}) "
                     f"p50 {row['p50_ms']} p99 {row['p99_ms']} ms err {row['errors']}")  # fmt: skip
    parts.append(f"server {result['server_cpu_ms_per_request']} ms CPU/request, "
                 f"client {result['client_cpu_s']} s CPU")  # fmt: skip
    return " | ".join(parts)


def memory_trend(memory: list[tuple[float, float]], hold: float) -> dict[str, Any]:
    """Resident memory over the held stage: its first and last minute's means, and the peak."""
    if not memory:
        return {}
    end = memory[-1][0]
    held = [mb for t, mb in memory if t >= end - hold]
    window = max(1, len(held) // 10)
    return {"held_first_mb": round(sum(held[:window]) / window, 1),
            "held_last_mb": round(sum(held[-window:]) / window, 1),
            "peak_mb": max(mb for _, mb in memory)}  # fmt: skip


def count_reports(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        count = int(connection.scalar(text("SELECT count(*) FROM report")) or 0)
    engine.dispose()
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submit", type=float, default=200, help="target submissions a second")
    parser.add_argument("--check", type=float, default=1000, help="target checks a second")
    parser.add_argument("--view", type=float, default=10, help="target page views a second")
    parser.add_argument("--ramp", type=float, default=30, help="seconds of each rising stage")
    parser.add_argument("--hold", type=float, default=60, help="seconds at the target rates")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--reports", type=int, default=3000, help="demo reports loaded first")
    parser.add_argument("--sample", type=float, default=5, help="memory sampling, seconds")
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default SQLite)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    # A SIGTERM (a timeout, a session ending) stops the server too, as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    target = {"submit": args.submit, "check": args.check, "view": args.view}
    with tempfile.TemporaryDirectory(prefix="tipline-load-") as folder:
        data_dir = Path(folder) / "data"
        env = environment(data_dir, args.database_url)
        url = args.database_url or f"sqlite:///{data_dir / 'tipline.db'}"
        prepare(env, args.reports)
        ids, values = sample_targets(url, random.Random(1))
        before = count_reports(url)
        port = free_port()
        server = start_server(env, port, args.workers)
        try:
            workload = Workload(ids, values, sign_in(port), seed=1)
            figures = asyncio.run(run_load(port, server.pid, workload, target, args.ramp,
                                           args.hold, args.sample))  # fmt: skip
        finally:
            server.terminate()
            server.wait(timeout=60)
        accepted = sum(s["kinds"].get("submit", {}).get("count", 0)
                       - s["kinds"].get("submit", {}).get("errors", 0)
                       for s in figures["stages"])  # fmt: skip
        stored = count_reports(url) - before
    figures |= {
        "database": "postgresql" if args.database_url else "sqlite",
        "workers": args.workers, "target": target, "demo_reports": args.reports,
        "memory": memory_trend(figures["memory_mb"], args.hold),
        "reports_accepted": accepted, "reports_stored": stored,
        "load_average": os.getloadavg(),
    }  # fmt: skip
    print(f"memory (all server processes): {figures['memory']}")
    print(f"reports accepted {accepted}, stored {stored}; load average {figures['load_average']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2))
    failed = sum(row["errors"] for s in figures["stages"] for row in s["kinds"].values())
    # Stored may exceed accepted: requests still queued when a stage ended were answered after
    # the client stopped counting. Fewer stored than acknowledged would be a lost report.
    return 1 if failed or stored < accepted else 0


if __name__ == "__main__":
    raise SystemExit(main())
