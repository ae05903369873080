"""16 concurrent clients for 60 s against `tipline serve` on loopback (SQLite): report
submissions, report views by a signed-in analyst (bearer token) and checks, all at once.

A temporary data folder gets the demo data set (`tipline demo`, 3,000 reports by default), an
analyst and a token; the server's rate limits are raised far above the load (this measures the
server, not its limits). Each client cycles submit → view → check → check; every answer must be
2xx. Prints per kind: count, errors, p50 and p99 (ms), and the audit log's verification at the
end (the views are audited). Exit status 1 if any request failed.

    PYTHONPATH=src .venv/bin/python bench/concurrency.py [--clients 16] [--seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from sqlalchemy import create_engine, text

KINDS = ("submit", "view", "check", "check")
NARRATIVE = (
    "Bench report {n}: someone called from 0912 345 {n:03d} saying he was from the bank and asked "
    "me to transfer 2.000.000đ to account VCB 0123456{n:03d}."
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tipline(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    command = [sys.executable, "-m", "tipline", *args]
    done = subprocess.run(command, env=env, input=stdin, capture_output=True, text=True, check=True)
    return done.stdout


def prepare(data_dir: Path, reports: int) -> tuple[dict[str, str], str]:
    """The server's environment and an analyst's API token, on the demo data set."""
    env = os.environ | {
        "TIPLINE_DATA_DIR": str(data_dir),
        "TIPLINE_DATABASE_URL": "",
        "TIPLINE_SECRET_KEY": "bench-secret",
        # h10's limits, if present: far above the load (unknown settings are ignored).
        "TIPLINE_RATE_LIMIT_REPORTS": "1000000/minute",
        "TIPLINE_RATE_LIMIT_CHECKS": "1000000/minute",
    }
    tipline(env, "demo", "--count", str(reports))
    tipline(env, "users", "add", "bench", "--role", "analyst", "--password-stdin",
            stdin="bench-password-1234\n")  # fmt: skip
    token = tipline(env, "tokens", "create", "bench", "--name", "bench").strip().splitlines()[-1]
    return env, token


def sample_targets(data_dir: Path, rng: random.Random) -> tuple[list[int], list[str]]:
    """Report ids to view and indicator values to check (half of them absent)."""
    engine = create_engine(f"sqlite:///{data_dir / 'tipline.db'}")
    with engine.connect() as connection:
        ids = list(connection.scalars(text("SELECT id FROM report")))
        values = list(connection.scalars(text("SELECT value FROM indicator LIMIT 5000")))
    engine.dispose()
    absent = [f"09{rng.randrange(10**8):08d}" for _ in range(len(values))]
    return ids, values + absent


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "tipline", "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not start")


async def load(
    port: int, token: str, ids: list[int], values: list[str], clients: int, seconds: float
) -> dict[str, Any]:
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    headers = {"Authorization": f"Bearer {token}"}

    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=30
    ) as client:

        async def one(kind: str, rng: random.Random, n: int) -> httpx.Response:
            if kind == "submit":
                body = {"narrative": NARRATIVE.format(n=n % 1000), "anonymous": True}
                return await client.post("/api/v1/reports", json=body)
            if kind == "view":
                return await client.get(f"/api/v1/reports/{rng.choice(ids)}/view", headers=headers)
            return await client.get(f"/api/v1/check?value={quote(rng.choice(values))}")

        async def worker(number: int) -> None:
            rng = random.Random(number)
            n = number
            while time.perf_counter() < deadline:
                kind = KINDS[n % len(KINDS)]
                started = time.perf_counter()
                try:
                    answer = await one(kind, rng, n)
                    if not 200 <= answer.status_code < 300:
                        errors[kind].append(str(answer.status_code))
                except httpx.HTTPError as exc:
                    errors[kind].append(type(exc).__name__)
                latencies[kind].append((time.perf_counter() - started) * 1000)
                n += clients

        started = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(clients)))
        elapsed = time.perf_counter() - started
    return {"elapsed_s": round(elapsed, 1), "kinds": summarise(latencies, errors)}


def summarise(
    latencies: dict[str, list[float]], errors: dict[str, list[str]]
) -> dict[str, dict[str, Any]]:
    figures = {}
    for kind in sorted(latencies):
        times = sorted(latencies[kind])
        figures[kind] = {
            "count": len(times),
            "errors": len(errors[kind]),
            "error_kinds": sorted(set(errors[kind])),
            "p50_ms": round(times[len(times) // 2], 1),
            "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 1),
        }
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--reports", type=int, default=3000, help="demo reports loaded first")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tipline-bench-") as folder:
        data_dir = Path(folder) / "data"
        env, token = prepare(data_dir, args.reports)
        ids, values = sample_targets(data_dir, random.Random(1))
        port = free_port()
        server = start_server(env, port)
        try:
            figures = asyncio.run(load(port, token, ids, values, args.clients, args.seconds))
        finally:
            server.terminate()
            server.wait(timeout=30)
        verified = subprocess.run([sys.executable, "-m", "tipline", "audit", "verify"], env=env,
                                  capture_output=True, text=True)  # fmt: skip
    figures |= {"clients": args.clients, "seconds": args.seconds, "demo_reports": args.reports,
                "audit_verify": verified.stdout.strip().splitlines()[:1],
                "audit_verify_exit": verified.returncode}  # fmt: skip
    print(f"{args.clients} clients, {figures['elapsed_s']} s, SQLite, {args.reports} demo reports")
    print(f"{'kind':8} {'count':>7} {'errors':>7} {'p50 ms':>8} {'p99 ms':>8}")
    for kind, row in figures["kinds"].items():
        print(f"{kind:8} {row['count']:>7} {row['errors']:>7} {row['p50_ms']:>8} {row['p99_ms']:>8}"
              + (f"  {row['error_kinds']}" if row["errors"] else ""))  # fmt: skip
    print(f"audit verify (exit {verified.returncode}): {figures['audit_verify']}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    failed = sum(row["errors"] for row in figures["kinds"].values())
    return 1 if failed or verified.returncode else 0


if __name__ == "__main__":
    raise SystemExit(main())
