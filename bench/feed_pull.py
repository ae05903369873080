"""Benchmark of the organisations' indicator feed: 1,000,000 indicators pulled over HTTP.

(`bench/feeds.py` is the blocklist *import*; this is the *pull*, `GET /api/v1/feeds/indicators`.)

On a fresh database (SQLite in a temporary folder, or with `--database-url` a PostgreSQL
database created beside the one named and dropped at the end), in one run:

1. builds `--indicators` (1,000,000) indicators with bulk inserts, each listed by a blocklist
   (`indicator_source`, 12 categories in turn), of five kinds (phone, bank account, URL, domain,
   email), and an organisation whose agreement takes them all;
2. times the first full `tipline.feeds.service.refresh` (every entry added, in one transaction);
3. starts the app in a child process (uvicorn, one worker, on loopback) and pulls the full feed
   with a platform token, streaming, as JSON lines, CSV and STIX: wall time to the last byte,
   entries counted, bytes, and the server's resident memory (VmRSS of the child, sampled every
   20 ms) before the pull and at its peak during it, and the server's CPU seconds for it (the
   figure a loaded machine does not inflate); a pull of the first tenth
   (`kind=phone` on 1/5 of them) too, to show memory does not grow with the size of the pull;
4. a second refresh with nothing new (no entry written), and an incremental pull since the
   full pull's cursor (nothing since).

Prints the figures and the machine's load average before and after (the machine is shared).

    .venv/bin/python bench/feed_pull.py --json bench/out/feed-pull-sqlite.json
    .venv/bin/python bench/feed_pull.py --database-url postgresql+psycopg://postgres@127.0.0.1:55432/x
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert
from sqlalchemy.engine import make_url

from feeds import fresh_database  # bench/feeds.py, beside this script
from tipline.accounts import service as accounts
from tipline.db import make_engine, make_session_factory
from tipline.db_types import utc_now
from tipline.feeds.agreements import AgreementChange, set_agreement
from tipline.feeds.service import refresh
from tipline.indicators.models import IndicatorRecord, IndicatorSource
from tipline.partners.service import add_organisation
from tipline.server.migrate import upgrade
from tipline.settings import Settings
from tipline.sharing.policy import KINDS
from tipline.vocabulary import CATEGORIES

BATCH = 20_000
KIND_VALUES = (
    ("phone", "+8490{:07d}"),
    ("bank_account", "VCB:{:010d}"),
    ("url", "https://scam-{}.example.vn/login"),
    ("domain", "scam-{}.example.vn"),
    ("email", "hotro{}@example.vn"),
)


def indicator_rows(n: int) -> Iterator[list[dict[str, Any]]]:
    now = utc_now()
    batch: list[dict[str, Any]] = []
    for i in range(n):
        kind, pattern = KIND_VALUES[i % len(KIND_VALUES)]
        batch.append(
            {"id": i + 1, "kind": kind, "value": pattern.format(i), "allowlisted": False,
             "first_seen": now - timedelta(days=30), "last_seen": now, "report_count": 0}
        )  # fmt: skip
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def build(url: str, n: int) -> dict[str, float]:
    """The indicators and their listings, inserted in batches; seconds taken."""
    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    with engine.begin() as connection:
        for batch in indicator_rows(n):
            connection.execute(insert(IndicatorRecord), batch)
            listings = [
                {"indicator_id": row["id"], "source": "bench",
                 "category": CATEGORIES[row["id"] % len(CATEGORIES)],
                 "first_seen": row["first_seen"], "last_seen": row["last_seen"]}
                for row in batch
            ]  # fmt: skip
            connection.execute(insert(IndicatorSource), listings)
    built = time.perf_counter() - started
    engine.dispose()
    return {"build_s": round(built, 1)}


def refreshed(url: str, settings: Settings) -> dict[str, Any]:
    engine = make_engine(url)
    factory = make_session_factory(engine)
    figures: dict[str, Any] = {}
    for label in ("first_refresh", "second_refresh"):
        started, cpu = time.perf_counter(), time.process_time()
        with factory() as session, session.begin():
            done = refresh(session, settings)
        figures[label] = {
            "s": round(time.perf_counter() - started, 1),
            # This process's CPU: on SQLite the database's work too, on PostgreSQL not.
            "cpu_s": round(time.process_time() - cpu, 1),
            "added": done.added, "changed": done.changed,
        }  # fmt: skip
        if label == "first_refresh":
            figures["token"] = platform_token(factory)
    engine.dispose()
    return figures


def platform_token(factory: Any) -> str:
    with factory() as session:
        add_organisation(session, "cli:bench", "Bench Bank", "bank")
        everything = AgreementChange(frozenset(KINDS), frozenset(CATEGORIES), 0)
        set_agreement(session, "cli:bench", "Bench Bank", everything)
        accounts.create_user(
            session, "cli:bench", "benchbank", "platform", "correct horse battery",
            organisation="Bench Bank",
        )  # fmt: skip
        token = accounts.create_token(session, "cli:bench", "benchbank", "bench").plaintext
        session.commit()
    return token


def cpu_s(pid: int) -> float:
    """The process's CPU seconds so far (user + system): on a shared machine, the figure that
    other jobs do not inflate."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@contextmanager
def server(url: str, data_dir: Path) -> Iterator[tuple[str, int]]:
    """The app in a child process (no background loops: `create_app` without serving)."""
    port = free_port()
    env = os.environ | {
        "TIPLINE_DATABASE_URL": url, "TIPLINE_DATA_DIR": str(data_dir),
        "TIPLINE_SECRET_KEY": "bench-secret", "TIPLINE_RATE_LIMIT_FEEDS": "1000/hour",
    }  # fmt: skip
    command = [sys.executable, "-m", "uvicorn", "--factory", "tipline.app:create_app",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]  # fmt: skip
    child = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base, child.pid
    finally:
        child.terminate()
        child.wait(timeout=30)


def pulled(base: str, pid: int, token: str, params: dict[str, str]) -> dict[str, Any]:
    """One pull, streamed to the end: seconds, bytes, lines, server RSS before and at peak."""
    samples: list[float] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            samples.append(rss_mb(pid))
            time.sleep(0.02)

    before, cpu = rss_mb(pid), cpu_s(pid)
    sampler = threading.Thread(target=sample)
    sampler.start()
    size = lines = 0
    started = time.perf_counter()
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.stream("GET", f"{base}/api/v1/feeds/indicators", params=params,
                      headers=headers, timeout=600) as answer:  # fmt: skip
        answer.raise_for_status()
        cursor = answer.headers["X-Tipline-Cursor"]
        for chunk in answer.iter_bytes():
            size += len(chunk)
            lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    peak = max(samples, default=before)
    return {
        "params": params, "s": round(elapsed, 2), "server_cpu_s": round(cpu_s(pid) - cpu, 2),
        "mb": round(size / 1e6, 1), "lines": lines, "rss_before_mb": round(before, 1),
        "rss_peak_mb": round(peak, 1), "cursor": cursor,
    }  # fmt: skip


def run(url: str, n: int) -> dict[str, Any]:
    figures: dict[str, Any] = {"indicators": n, "load_before": os.getloadavg()}
    figures |= build(url, n)
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), database_url=url, secret_key="bench-secret")
        figures |= refreshed(url, settings)
        token = figures.pop("token")
        with server(url, Path(folder)) as (base, pid):
            pulls = [
                pulled(base, pid, token, {"format": "jsonl", "kind": "phone"}),
                pulled(base, pid, token, {"format": "jsonl"}),
                pulled(base, pid, token, {"format": "csv"}),
                pulled(base, pid, token, {"format": "stix"}),
            ]
            since = {"format": "jsonl", "since": pulls[1]["cursor"]}
            pulls.append(pulled(base, pid, token, since))
    figures["pulls"] = pulls
    figures["load_after"] = os.getloadavg()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL URL (default: SQLite)")
    parser.add_argument("--indicators", type=int, default=1_000_000)
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    with fresh_database(args.database_url, "feed_pull") as url:
        figures = run(url, args.indicators)
    figures["database"] = make_url(url).get_backend_name()
    figures["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    text_out = json.dumps(figures, indent=2)
    print(text_out)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text_out)


if __name__ == "__main__":
    main()
