"""Benchmark of the private check (docs/private-check.md): the keyed set's build, checks over
HTTP, the server's CPU per check, and the answer's size at 10,000,000 indicators.

In one run (each part can be left out):

- **micro**: microseconds per OPRF step on this machine (libsodium through pysodium), and
  voprf's known-input evaluation when it is installed, for the comparison in the docs;
- **seal**: the keyed set's cost without a database: `--seal` indicators (phones and bank
  accounts) sealed by `tipline.privatecheck.core.sealed_entries` in 1 and in `--processes`
  processes, as the build runs it; indicators per second, extrapolated to 10,000,000;
- **size**: the answer's bytes at 10,000,000 indicators: the indicators dropped into the
  2^prefix_bits buckets at random (numpy, fixed seed), then a real answer (JSON, real sealed
  entries) for a bucket of the mean and of the fullest size;
- **database**: `--indicators` indicators (each listed by a feed, so each is in the set) in a
  fresh SQLite database (or an empty PostgreSQL one, `--database-url`), then
  `tipline.privatecheck.service.build` over `--processes` processes: indicators per second,
  database included;
- **http**: `tipline serve` on a free loopback port over that database, with `prefix_bits`
  chosen so that a bucket holds as many entries as at 10,000,000 indicators with 16 bits
  (≈153); `--clients` concurrent clients (asyncio, httpx) post prepared private checks for
  `--seconds` seconds (half of reported values, half of others; the blinding is done before
  the clock starts, the answers opened after it stops, and every one checked); checks/s,
  p50/p99 latency at the client, and the server's CPU (user + system, /proc) per check.

    .venv/bin/python bench/lookup.py --json bench/out/lookup.json
    .venv/bin/python bench/lookup.py --indicators 1000000 --seal 1000000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tipline.client import oprf
from tipline.client.private import (
    encode_bytes,
    open_answer,
    oprf_input,
    prepare,
    verdict_plaintext,
)
from tipline.privatecheck.core import Listed, sealed_batch, sealed_entries

TEN_MILLION = 10_000_000
NOW = datetime(2026, 12, 7, tzinfo=UTC)
PLAINTEXT = verdict_plaintext("reported", True, False, 4, {"fraud.investment": 3, "other": 1})


def value(index: int) -> tuple[str, str]:
    """(kind, canonical value), unique by index: three phones for each bank account."""
    if index % 4 == 3:
        return "bank_account", f"VCB:{10_000_000_000 + index}"
    return "phone", f"+849{index % 100_000_000:08d}"


def listed(count: int, start: int = 0) -> list[Listed]:
    return [Listed(i + 1, *value(i), PLAINTEXT, NOW) for i in range(start, start + count)]


def per_call_us(function: Any, rounds: int) -> float:
    """CPU microseconds per call (this process's CPU time: on a shared machine, the wall clock
    also counts the moments other jobs held the core)."""
    started = time.process_time()
    for _ in range(rounds):
        function()
    return (time.process_time() - started) / rounds * 1e6


def micro(rounds: int = 2000) -> dict[str, Any]:
    key = oprf.random_scalar()
    data = oprf_input("phone", "+84912345678")
    element = oprf.hash_to_group(data)
    figures: dict[str, Any] = {
        "hash_to_group_us": per_call_us(lambda: oprf.hash_to_group(data), rounds),
        "blind_evaluate_us": per_call_us(lambda: oprf.blind_evaluate(key, element), rounds),
        "evaluate_known_input_us": per_call_us(lambda: oprf.evaluate(key, data), rounds),
        "sealed_entry_us": per_call_us(lambda: sealed_entries(key, 16, listed(1)), rounds),
    }
    try:
        from voprf import ristretto

        evaluator = ristretto.Evaluator.from_seed(b"\x01" * 32, b"bench")
        figures["voprf_evaluate_known_input_us"] = per_call_us(
            lambda: evaluator.evaluate_known_input(data), rounds
        )
    except (ImportError, AttributeError, TypeError) as exc:
        figures["voprf"] = f"not measured: {type(exc).__name__}: {exc}"
    return {name: round(v, 1) if isinstance(v, float) else v for name, v in figures.items()}


def seal(count: int, processes: int) -> dict[str, Any]:
    import multiprocessing

    key = oprf.random_scalar()
    items = listed(count)
    figures: dict[str, Any] = {"indicators": count}
    for workers in sorted({1, processes}):
        started, cpu = time.perf_counter(), _cpu_with_children()
        if workers == 1:
            sealed_entries(key, 16, items)
        else:
            jobs = [(key, 16, items[i : i + 2000]) for i in range(0, count, 2000)]
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                pool.map(sealed_batch, jobs)
        seconds, cpu = time.perf_counter() - started, _cpu_with_children() - cpu
        figures[f"processes_{workers}"] = {
            "seconds": round(seconds, 2),
            "per_s": round(count / seconds),
            "ten_million_s": round(TEN_MILLION / (count / seconds)),
            "cpu_us_per_indicator": round(cpu / count * 1e6, 1),
            # What the processes would take with their cores to themselves.
            "ten_million_s_own_cores": round(TEN_MILLION * cpu / count / workers),
        }
    return figures


def _cpu_with_children() -> float:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def size(prefix_bits: int = 16, indicators: int = TEN_MILLION) -> dict[str, Any]:
    import numpy as np

    buckets = 1 << prefix_bits
    counts = np.random.default_rng(20261207).multinomial(indicators, [1 / buckets] * buckets)
    key = oprf.random_scalar()

    def answer_bytes(entries: int) -> int:
        sealed = sealed_entries(key, prefix_bits, listed(entries))
        body = {
            "key_id": "0123456789abcdef",
            "evaluated": encode_bytes(os.urandom(32)),
            "entries": [[encode_bytes(e.tag), encode_bytes(e.sealed)] for e in sealed],
        }
        return len(json.dumps(body, separators=(",", ":")))

    mean, fullest = int(round(float(counts.mean()))), int(counts.max())
    return {
        "prefix_bits": prefix_bits, "indicators": indicators, "buckets": buckets,
        "entries_mean": round(float(counts.mean()), 1), "entries_max": fullest,
        "answer_bytes_mean_bucket": answer_bytes(mean),
        "answer_bytes_fullest_bucket": answer_bytes(fullest),
        "vn_mobiles_per_bucket": round(1e9 / buckets),
        "plaintext": PLAINTEXT.decode(),
    }  # fmt: skip


def fill_database(url: str, count: int) -> None:
    """`count` indicators, each listed by one feed (so each is in the set), by bulk inserts."""
    from sqlalchemy import insert

    from tipline.db import make_engine
    from tipline.indicators.models import IndicatorRecord, IndicatorSource
    from tipline.server.migrate import upgrade

    engine = make_engine(url)
    upgrade(engine)
    step = 50_000
    with engine.begin() as connection:
        for start in range(0, count, step):
            rows = [
                {"id": i + 1, "kind": k, "value": v, "allowlisted": False, "first_seen": NOW,
                 "last_seen": datetime.now(UTC), "report_count": 0, "account_digits": None}
                for i in range(start, min(count, start + step))
                for k, v in [value(i)]
            ]  # fmt: skip
            connection.execute(insert(IndicatorRecord), rows)
            listings = [
                {"indicator_id": row["id"], "source": "bench", "category": "phishing",
                 "first_seen": NOW, "last_seen": NOW}
                for row in rows
            ]  # fmt: skip
            connection.execute(insert(IndicatorSource), listings)
    engine.dispose()


def build_database(
    data_dir: Path, url: str, count: int, processes: int, bits: int
) -> dict[str, Any]:
    from tipline.db import make_engine, make_session_factory
    from tipline.privatecheck import service
    from tipline.settings import Settings

    started = time.perf_counter()
    fill_database(url, count)
    filled = time.perf_counter() - started
    settings = Settings(
        data_dir=data_dir, database_url=url, secret_key="bench", private_check_prefix_bits=bits
    )
    factory = make_session_factory(make_engine(url))
    started, cpu = time.perf_counter(), _cpu_with_children()
    built = service.build(factory, settings, processes=processes)
    seconds, cpu = time.perf_counter() - started, _cpu_with_children() - cpu
    # One round of the follow job (nothing changed: its cost is the sweep's 5,000 indicators).
    follow_cpu = time.process_time()
    followed = service.follow(factory, settings)
    follow_cpu = time.process_time() - follow_cpu
    return {
        "follow_round_cpu_s": round(follow_cpu, 2),
        "follow_round_swept": followed.swept if followed else 0,
        "indicators": count, "entries": built.entries, "processes": processes,
        "fill_seconds": round(filled, 1), "build_seconds": round(seconds, 1),
        "build_per_s": round(count / seconds),
        "ten_million_s_extrapolated": round(TEN_MILLION / (count / seconds)),
        "cpu_us_per_indicator": round(cpu / count * 1e6, 1),
    }  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "tipline", "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/private-check", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise RuntimeError("the server did not start")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _clients(
    port: int, bodies: list[bytes], clients: int, seconds: float, public: bool = False
) -> dict[str, Any]:
    """Private checks of `bodies` (or, `public`, GET /api/v1/check of the same values)."""
    import httpx

    latencies: list[float] = []
    answers: dict[int, Any] = {}
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    headers = {"content-type": "application/json"}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits) as client:

        async def worker(offset: int) -> None:
            index = offset
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                body = bodies[index % len(bodies)]
                if public:
                    response = await client.get("/api/v1/check", params={"value": body.decode()})
                else:
                    response = await client.post(
                        "/api/v1/private-check", content=body, headers=headers
                    )
                latencies.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"{response.status_code}: {response.text[:200]}")
                answers.setdefault(index % len(bodies), response.content)
                index += clients

        started = time.perf_counter()
        await asyncio.gather(*(worker(n) for n in range(clients)))
        elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "checks": len(latencies), "checks_per_s": round(len(latencies) / elapsed),
        "p50_ms": round(cuts[49], 2), "p99_ms": round(cuts[98], 2), "answers": answers,
    }  # fmt: skip


def http(env: dict[str, str], count: int, clients: int, seconds: float) -> dict[str, Any]:
    port = free_port()
    server = start_server(env, port)
    try:
        parameters = json.loads(
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/private-check").read()
        )
        asked = [value(i * 7919 % count) for i in range(500)] + [
            value(count + i) for i in range(500)
        ]
        prepared = [prepare(kind, v, parameters) for kind, v in asked]
        bodies = [json.dumps(p.request).encode() for p in prepared]
        asyncio.run(_clients(port, bodies, clients, 2.0))  # warm-up
        before = cpu_seconds(server.pid)
        run = asyncio.run(_clients(port, bodies, clients, seconds))
        cpu = cpu_seconds(server.pid) - before
        # The public check of the same values, at the same moment: a yardstick for this load.
        typed = [v.split(":", 1)[1] if k == "bank_account" else v for k, v in asked]
        before = cpu_seconds(server.pid)
        yardstick = asyncio.run(_clients(port, [t.encode() for t in typed], clients, seconds, True))
        public_cpu = cpu_seconds(server.pid) - before
        yardstick.pop("answers")
        yardstick["server_cpu_ms_per_check"] = round(public_cpu / yardstick["checks"] * 1000, 3)
    finally:
        server.terminate()
        server.wait(timeout=30)
    answers = run.pop("answers")
    sizes = [len(body) for body in answers.values()]
    verdicts = {
        i: open_answer(prepared[i], json.loads(body)).verdict for i, body in answers.items()
    }
    wrong = [i for i, v in verdicts.items() if v != ("reported" if i < 500 else "not_reported")]
    return {
        **run, "clients": clients, "seconds": seconds,
        "prefix_bits": parameters["prefix_bits"],
        "server_cpu_ms_per_check": round(cpu / run["checks"] * 1000, 3),
        "answer_bytes_median": int(statistics.median(sizes)), "answer_bytes_max": max(sizes),
        "answers_opened": len(verdicts), "answers_wrong": len(wrong),
        "public_check_same_load": yardstick,
    }  # fmt: skip


def machine() -> dict[str, Any]:
    return {
        "date": datetime.now(UTC).isoformat(timespec="minutes"), "cores": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seal", type=int, default=200_000, help="indicators sealed in memory")
    parser.add_argument("--indicators", type=int, default=300_000, help="indicators in the DB")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default SQLite)")
    parser.add_argument("--skip", nargs="*", default=[], help="micro seal size database http")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    figures: dict[str, Any] = {"machine_before": machine()}
    if "micro" not in args.skip:
        figures["micro"] = micro()
        print("micro", figures["micro"], flush=True)
    if "seal" not in args.skip:
        figures["seal"] = seal(args.seal, args.processes)
        print("seal", figures["seal"], flush=True)
    if "size" not in args.skip:
        figures["size"] = size()
        print("size", figures["size"], flush=True)
    with tempfile.TemporaryDirectory(prefix="tipline-lookup-") as folder:
        data_dir = Path(folder)
        url = args.database_url or f"sqlite:///{data_dir / 'tipline.db'}"
        if "database" not in args.skip:
            # As many entries a bucket as 10,000,000 indicators give 16 bits (≈153).
            bits = max(8, round(16 - math.log2(TEN_MILLION / args.indicators)))
            figures["database"] = build_database(
                data_dir, url, args.indicators, args.processes, bits
            )
            print("database", figures["database"], flush=True)
            env = os.environ | {
                "TIPLINE_DATA_DIR": str(data_dir), "TIPLINE_DATABASE_URL": url,
                "TIPLINE_SECRET_KEY": "bench",
                "TIPLINE_RATE_LIMIT_PRIVATE_CHECKS": "100000000/minute",
                "TIPLINE_RATE_LIMIT_CHECKS": "100000000/minute",
                "TIPLINE_PRIVATE_CHECK_PREFIX_BITS": str(bits),
                # The follow job's rounds are measured above, not counted in the checks' CPU.
                "TIPLINE_PRIVATE_CHECK_FOLLOW_SECONDS": "3600",
            }  # fmt: skip
            if "http" not in args.skip:
                figures["http"] = http(env, args.indicators, args.clients, args.seconds)
                print("http", figures["http"], flush=True)
    figures["machine_after"] = machine()
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
