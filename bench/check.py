"""Benchmark of the check: a database of 1,000,000 indicators, bulk checks and HTTP checks.

Builds (fixed seed) a database in a temporary folder (SQLite by default, or an empty PostgreSQL
database given by `--database-url`) holding `--indicators` indicators of every kind, each named
by one of `--indicators`/10 reports (ten a report, over eight categories, 1 % of links
confirmed), and the real ChongLuaDao feed when `../shared/data` has it.
Then, in one run:

- **bulk**: `check_values` on 1,000 values as people type them (`0912 345 678`,
  `VCB 0123456789`, `hxxps://…[.]com/…`), half stored and half not; `--rounds` rounds, each on a
  fresh session and new values; median, p95 and max milliseconds (target ≤ 50 ms), and the
  median of reading the same values alone (normalising them, no database);
- **baseline**: one stored value looked up by its unique index against the same lookup with
  the index unused (SQLite `NOT INDEXED`, PostgreSQL with index scans switched off), as a ratio;
- **http**: `tipline serve` started on a free loopback port, then single checks
  (`GET /api/v1/check?value=`) by wrk from Debian (`apt-get install wrk`) when it is installed,
  else by a bounded asyncio/httpx client: concurrency 16, `--seconds` seconds; requests/s and
  p50/p99 latency (targets ≥ 1,000 req/s, p99 ≤ 20 ms), and the server's resident memory
  (VmRSS at the end and its peak VmHWM; target ≤ 300 MB); then bulk checks over HTTP
  (`POST /api/v1/check/bulk`, 1,000 new values each, timed at the client), and on SQLite the
  same again with the database file read back into the page cache first.

    .venv/bin/python bench/check.py --json bench/out/check-sqlite.json
    .venv/bin/python bench/check.py --database-url postgresql+psycopg://…/bench
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import insert, text
from sqlalchemy.engine import Engine

from tipline.app import warm_up_and_freeze
from tipline.db import make_engine, make_session_factory
from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.reports.models import Report
from tipline.server.migrate import upgrade

REPO = Path(__file__).resolve().parent.parent
MOBILE_PREFIXES = ("90", "91", "93", "94", "96", "97", "98", "32", "33", "34", "35", "36", "37",
                   "38", "39", "70", "76", "77", "78", "79", "81", "82", "83", "84", "85", "86",
                   "88", "89", "56", "58", "59")  # fmt: skip
BANKS = ("VCB", "ICB", "BIDV", "VBA", "TCB", "MB", "ACB", "VPB", "TPB", "STB", "SHB", "HDB")
BANK_NAMES = {"VCB": "Vietcombank", "ICB": "VietinBank", "BIDV": "BIDV", "VBA": "Agribank",
              "TCB": "Techcombank", "MB": "MBBank", "ACB": "ACB", "VPB": "VPBank",
              "TPB": "TPBank", "STB": "Sacombank", "SHB": "SHB", "HDB": "HDBank"}  # fmt: skip
TLDS = ("com", "vn", "net", "xyz", "top", "online", "site", "shop", "info", "com.vn", "cc", "vip")
SYLLABLES = ("vcb", "viet", "ngan", "hang", "xac", "thuc", "uu", "dai", "shop", "pee", "tiki",
             "lazada", "nhan", "qua", "hoan", "tien", "dang", "nhap", "bao", "mat", "ho",
             "tro", "khach", "vay", "nhanh", "dau", "tu", "coin", "sale", "zalo", "momo",
             "pay")  # fmt: skip
CATEGORIES = ("fraud.impersonation", "fraud.investment", "fraud.job_task", "fraud.phishing",
              "fraud.shopping", "fraud.loan", "fraud.romance", "sextortion")  # fmt: skip


def name(rng: random.Random) -> str:
    words = [rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))]
    return ("-" if rng.random() < 0.4 else "").join(words) + str(rng.randint(0, 9999))


def indicator(rng: random.Random, index: int) -> tuple[str, str, str]:
    """(kind, canonical value, how a person types it): unique by `index`."""
    roll = index % 20
    if roll < 8:
        digits = f"{rng.choice(MOBILE_PREFIXES)}{index % 10_000_000:07d}"
        return "phone", f"+84{digits}", f"0{digits[:2]} {digits[2:5]} {digits[5:]}"
    if roll < 12:
        bank = rng.choice(BANKS)
        account = f"{index:09d}{rng.randint(100, 999)}"
        return "bank_account", f"{bank}:{account}", f"STK {account} {BANK_NAMES[bank]}"
    if roll < 16:
        domain = f"{name(rng)}{index}.{rng.choice(TLDS)}"
        return "domain", domain, domain if rng.random() < 0.5 else domain.replace(".", "[.]", 1)
    if roll < 19:
        domain = f"{name(rng)}{index}.{rng.choice(TLDS)}"
        url = f"https://{domain}/{rng.choice(('login', 'otp', 'xac-thuc', 'nhan-qua'))}"
        return "url", url, url.replace("https://", "hxxps://")
    handle = f"{name(rng).replace('-', '_')}{index}"
    return "social", f"telegram:{handle.lower()}", f"t.me/{handle}"


def build_database(engine: Engine, count: int, seed: int, shared: Path | None) -> list[str]:
    """Fill the database; returns how a person would type each stored value (a sample)."""
    rng = random.Random(seed)
    sampler = random.Random(seed + 2)  # its own draws: the values stored don't depend on it
    now = datetime.now(UTC)
    typed: list[str] = []
    chunk: list[dict[str, Any]] = []
    with engine.begin() as connection:
        for index in range(count):
            kind, value, as_typed = indicator(rng, index)
            seen = now - timedelta(days=rng.randint(0, 700))
            chunk.append({"kind": kind, "value": value, "allowlisted": False,
                          "first_seen": seen, "last_seen": seen,
                          "report_count": 1})  # fmt: skip
            if sampler.random() < 0.05:  # a twentieth of the values, every kind in its share
                typed.append(as_typed)
            if len(chunk) == 50_000:
                connection.execute(insert(IndicatorRecord), chunk)
                chunk = []
        if chunk:
            connection.execute(insert(IndicatorRecord), chunk)
    link_reports(engine, count, rng, now)
    if shared is not None:
        load_feed(engine, shared)
    with engine.begin() as connection:  # fresh statistics, as autovacuum would have gathered
        connection.execute(text("ANALYZE"))
    return typed


def link_reports(engine: Engine, linked: int, rng: random.Random, now: datetime) -> None:
    """Reports (a tenth as many as indicators), each naming ten indicators."""
    reports = max(1, linked // 10)
    rows = [{"code": f"TL-BENCH-{i:07d}", "channel": "import", "narrative": "bench",
             "language": "vi", "category": rng.choice(CATEGORIES), "urgency": "normal",
             "triage_reasons": [], "listed_values": [], "anonymous": False, "status": "new",
             "created_at": now, "updated_at": now, "source": "bench", "external_id": str(i)}
            for i in range(reports)]  # fmt: skip
    with engine.begin() as connection:
        for start in range(0, reports, 20_000):
            connection.execute(insert(Report), rows[start : start + 20_000])
        links = [{"report_id": 1 + i // 10, "indicator_id": 1 + i, "confirmed": i % 97 == 0}
                 for i in range(min(linked, reports * 10))]  # fmt: skip
        for start in range(0, len(links), 50_000):
            connection.execute(insert(ReportIndicator), links[start : start + 50_000])


def load_feed(engine: Engine, shared: Path) -> None:
    from tipline.indicators.service import import_feed

    path = shared / "data/chongluadao-blocklist/urls.txt"
    if path.is_file():
        with make_session_factory(engine)() as session:
            import_feed(session, path.read_bytes(), "ChongLuaDao", "fraud.phishing")


def absent_values(rng: random.Random, count: int) -> list[str]:
    """Values of the same shapes that are stored nowhere (indices past the database's)."""
    return [indicator(rng, 50_000_000 + rng.randint(0, 10_000_000))[2] for _ in range(count)]


def bench_bulk(engine: Engine, typed: list[str], rounds: int, seed: int) -> dict[str, Any]:
    from tipline.indicators import read_value
    from tipline.indicators.schemas import CheckResult
    from tipline.indicators.service import check_values

    rng = random.Random(seed + 1)
    # Every value is drawn once in the whole run: a value checked (or read) before would find
    # the phone and domain caches warm, and a bulk check is timed on values new to the process.
    stored: list[str] = []
    factory = make_session_factory(engine)
    timings: list[float] = []
    reading: list[float] = []
    reported = 0
    # The process is readied as `tipline serve` readies itself once started: tables loaded,
    # what it holds so far frozen out of the collector's reach, young objects collected less
    # often.
    warm_up_and_freeze()
    for _ in range(rounds + 1):
        if len(stored) < 1000:  # only a database smaller than the default runs out
            stored = rng.sample(typed, len(typed))
        values = [stored.pop() for _ in range(500)] + absent_values(rng, 500)
        rng.shuffle(values)
        # Reading alone is timed on other values of the same shapes: reading the checked ones
        # first would warm the phone cache for the check.
        others = [stored.pop() for _ in range(500)] + absent_values(rng, 500)
        started = time.perf_counter()
        for value in others:
            read_value(value)
        reading.append((time.perf_counter() - started) * 1000)
        with factory() as session:
            started = time.perf_counter()
            results = check_values(session, values)
            timings.append((time.perf_counter() - started) * 1000)
        reported = sum(isinstance(r, CheckResult) and r.verdict == "reported" for r in results)
    timings, reading = sorted(timings[1:]), reading[1:]  # the first round warms caches
    return {"values": 1000, "rounds": rounds, "reported_in_last_round": reported,
            "median_ms": round(statistics.median(timings), 2),
            "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
            "max_ms": round(timings[-1], 2),
            "reading_alone_median_ms": round(statistics.median(reading), 2)}  # fmt: skip


def bench_unindexed(engine: Engine, count: int, lookups: int = 5) -> dict[str, Any]:
    """Milliseconds of one lookup by (kind, value) with the unique index, and without it."""
    ids = [1 + (count // lookups) * step for step in range(lookups)]
    with engine.connect() as connection:
        listed = text("SELECT kind, value FROM indicator WHERE id = :id")
        keys = [tuple(connection.execute(listed, {"id": ident}).one()) for ident in ids]
    postgres = engine.dialect.name == "postgresql"
    hint = "" if postgres else " NOT INDEXED"
    query = text(f"SELECT id FROM indicator{hint} WHERE kind = :kind AND value = :value")
    indexed_query = text("SELECT id FROM indicator WHERE kind = :kind AND value = :value")
    figures: dict[str, Any] = {}
    for label, statement, scan in (("indexed", indexed_query, False), ("unindexed", query, True)):
        timings = []
        with engine.connect() as connection:
            if postgres and scan:
                for setting in ("enable_indexscan", "enable_bitmapscan", "enable_indexonlyscan"):
                    connection.execute(text(f"SET {setting} = off"))
            for kind, value in keys[:lookups]:
                started = time.perf_counter()
                found = connection.execute(statement, {"kind": kind, "value": value}).first()
                timings.append((time.perf_counter() - started) * 1000)
                assert found is not None
        figures[f"{label}_median_ms"] = round(statistics.median(timings), 3)
    figures["unindexed_over_indexed"] = round(
        figures["unindexed_median_ms"] / figures["indexed_median_ms"]
    )
    return figures


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(data_dir: Path, url: str | None, port: int) -> subprocess.Popen[bytes]:
    env = os.environ | {"TIPLINE_DATA_DIR": str(data_dir), "TIPLINE_DATABASE_URL": url or ""}
    # One loopback client asks far beyond an address's limit; each check is still counted.
    env["TIPLINE_RATE_LIMIT_CHECKS"] = "100000000/minute"
    command = [sys.executable, "-m", "tipline", "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 300  # a fresh data folder trains the triage model first
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not start")


def memory_kb(pid: int) -> dict[str, int]:
    status = Path(f"/proc/{pid}/status").read_text()
    return {key: int(re.search(rf"{key}:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
            for key in ("VmRSS", "VmHWM")}  # fmt: skip


def run_wrk(port: int, paths: list[str], seconds: int, out: Path) -> dict[str, Any]:
    script = out / "paths.lua"
    quoted = ",".join(json.dumps(p) for p in paths)
    script.write_text(
        f"local paths = {{{quoted}}}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n"
        "  return wrk.format('GET', paths[i])\nend\n"
    )
    command = ["wrk", "-t1", "-c16", f"-d{seconds}s", "--latency", "-s", str(script),
               f"http://127.0.0.1:{port}"]  # fmt: skip
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout

    def ms(label: str) -> float:
        match = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", text)
        assert match is not None, text
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {"client": "wrk -t1 -c16", "seconds": seconds,
            "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),  # type: ignore[union-attr]
            "p50_ms": ms("50%"), "p99_ms": ms("99%"),
            "non_2xx": int(errors.group(1)) if errors else 0}  # fmt: skip


async def _python_client(port: int, paths: list[str], seconds: int) -> dict[str, Any]:
    import httpx

    latencies: list[float] = []
    failures = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=16, max_keepalive_connections=16)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits) as client:

        async def worker(offset: int) -> None:
            nonlocal failures
            index = offset
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                answer = await client.get(paths[index % len(paths)])
                latencies.append((time.perf_counter() - started) * 1000)
                failures += answer.status_code != 200
                index += 16

        started = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(16)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {"client": "python httpx asyncio, concurrency 16", "seconds": seconds,
            "requests_per_s": round(len(latencies) / elapsed, 1),
            "p50_ms": round(latencies[len(latencies) // 2], 2),
            "p99_ms": round(latencies[int(len(latencies) * 0.99)], 2),
            "non_2xx": failures}  # fmt: skip


def bench_http(data_dir: Path, url: str | None, typed: list[str], seconds: int) -> dict[str, Any]:
    rng = random.Random(7)
    values = rng.sample(typed, min(2000, len(typed))) + absent_values(rng, 2000)
    rng.shuffle(values)
    paths = [f"/api/v1/check?value={quote(value)}" for value in values]
    port = free_port()
    server = start_server(data_dir, url, port)
    try:
        for path in paths[:200]:  # warm up
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5).read()
        if shutil.which("wrk"):
            figures = run_wrk(port, paths, seconds, data_dir)
        else:
            figures = asyncio.run(_python_client(port, paths, seconds))
        figures["server_memory_kb"] = memory_kb(server.pid)
        unchecked = sorted(set(typed) - set(values))
        figures["bulk_over_http"] = bulk_over_http(port, unchecked[0::2], seed=11)
        if url is None:
            # This machine's hypervisor pages out file pages nothing touched for about 30 s:
            # after the single checks most of the database is on disk again, where a server in
            # steady use keeps it in the page cache. The same rounds, with the file read back.
            read_back(data_dir / "tipline.db")
            figures["bulk_over_http_file_cached"] = bulk_over_http(port, unchecked[1::2], seed=12)
    finally:
        server.terminate()
        server.wait(timeout=20)
    return figures


def read_back(path: Path) -> None:
    """Read a file once, so that its pages are in the page cache."""
    with path.open("rb") as file:
        while file.read(1 << 20):
            pass


def bulk_over_http(port: int, typed: list[str], seed: int, rounds: int = 10) -> dict[str, Any]:
    """`POST /api/v1/check/bulk` with 1,000 values never checked before (half stored), timed
    at the client: the request's JSON read and validated, the check, the answer's JSON. Each
    call takes its own `seed`: the values stored nowhere must differ from call to call too."""
    rng = random.Random(seed)
    stored = rng.sample(typed, min(len(typed), 500 * (rounds + 1)))
    timings: list[float] = []
    for round_ in range(rounds + 1):
        values = stored[round_ * 500 : (round_ + 1) * 500] + absent_values(rng, 500)
        rng.shuffle(values)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/check/bulk",
            data=json.dumps({"values": values}).encode(),
            headers={"content-type": "application/json"},
        )
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=30) as answer:
            answered = len(json.loads(answer.read())["results"])
        timings.append((time.perf_counter() - started) * 1000)
        assert answered == len(values)
    timings = sorted(timings[1:])  # the first round warms the server's caches
    median, slowest = statistics.median(timings), timings[-1]
    return {"values": 1000, "rounds": rounds, "median_ms": round(median, 2),
            "max_ms": round(slowest, 2)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indicators", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20240)
    parser.add_argument("--database-url", help="an EMPTY PostgreSQL database (default: SQLite)")
    parser.add_argument("--shared-dir", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--json", type=Path, help="write the figures there too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tipline-bench-check-") as folder:
        data_dir = Path(folder)
        url = args.database_url or f"sqlite:///{data_dir / 'tipline.db'}"
        engine = make_engine(url)
        upgrade(engine)
        started = time.perf_counter()
        shared = args.shared_dir if args.shared_dir.is_dir() else None
        typed = build_database(engine, args.indicators, args.seed, shared)
        figures: dict[str, Any] = {
            "backend": engine.dialect.name, "indicators": args.indicators,
            "feed": shared is not None, "build_s": round(time.perf_counter() - started, 1),
        }  # fmt: skip
        figures["bulk"] = bench_bulk(engine, typed, args.rounds, args.seed)
        figures["baseline"] = bench_unindexed(engine, args.indicators)
        engine.dispose()
        figures["http"] = bench_http(data_dir, args.database_url, typed, args.seconds)
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
