"""Benchmark of sharing: one STIX bundle of 100,000 indicators, TAXII pages, a sync between two
tipline instances.

Builds (fixed seed) instance A in a temporary folder (SQLite): `--indicators` indicators of
every kind (the values of `bench/check.py`), each named by one of `--indicators`/10 reports over
eight categories with its link confirmed by an analyst (a review per link), TLPs CLEAR, GREEN
and AMBER in turn (four STIX objects an indicator: 400,000); a partner agency B whose policy
admits bank accounts and social handles up to AMBER (a quarter: 100,000 objects), and B's user.
Then, in one run:

- **publish**: `tipline.sharing.service.publish` turns the confirmed indicators into
  `shared_object` rows (timed; not a target);
- **export**: everything at AMBER as one STIX 2.1 bundle, written to a file (target ≤ 10 s),
  then that file checked by the OASIS `stix2-validator` (strict, offline; timed apart);
  **baseline**: the OASIS `stix2` library building the same objects (`stix2.parse`, then a
  `Bundle` serialised) on the first `--baseline-sample` objects, compared per object;
- **TAXII pages**: A's server (`tipline serve` on a free loopback port); B's user walks the
  indicators collection 1,000 objects a page (`limit`/`next`) with `taxii2-client`, each request
  timed at the client: median and p99 (target ≤ 200 ms a page), pages walked `--page-rounds`
  times;
- **sync**: instance B (a second SQLite database) with A as its partner, `sync_partner` pulling
  every object from A's live server and importing each page (target ≤ 60 s for 100,000); then a
  second sync, which must pull nothing.

The machine's load average (1 min) is printed with each figure: a loaded machine runs slower.

    .venv/bin/python bench/sharing.py --json bench/out/sharing.json
    .venv/bin/python bench/sharing.py --indicators 10000 --no-validate   # a quick look
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tipline.db import make_engine, make_session_factory
from tipline.indicators.models import IndicatorRecord, IndicatorReview, ReportIndicator
from tipline.reports.models import Report
from tipline.server.migrate import upgrade

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check import CATEGORIES, indicator  # noqa: E402  (the check's values, every kind)

console = Console(highlight=False, width=None if sys.stdout.isatty() else 132)
TLPS = ("clear", "green", "amber")
ACTOR = "cli:bench"
PARTNER_B, USER_B, PASSWORD_B = "Agency B", "agency-b", "bench-password-b"
PARTNER_A = "Agency A"
PAGE = 1000
# B's policy at A: bank accounts and social handles, a quarter of the indicators (4 objects each:
# indicator, observable, observed-data, sighting), so that B syncs 100,000 objects of 400,000.
SYNCED_KINDS = ("bank_account", "social")


def load() -> float:
    return os.getloadavg()[0]


CPU: dict[str, float] = {}  # the CPU seconds of this process in the last `timed` call


def timed(work: Callable[[], Any]) -> tuple[Any, float]:
    """The result and the wall seconds of `work()`; its CPU seconds go to CPU["last"] (on a
    loaded machine, the time other processes held the cores is in the wall time only)."""
    gc.collect()
    start, start_cpu = time.perf_counter(), time.process_time()
    result = work()
    CPU["last"] = time.process_time() - start_cpu
    return result, time.perf_counter() - start


def server_cpu(pid: int) -> float:
    """CPU seconds (user and system) the server process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settled(pid: int, quiet: float = 0.05, window: float = 2.0, limit: float = 300) -> float:
    """Wait until the server's own start-up work is done (on SQLite `tipline serve` runs the
    background jobs in-process: the first feed refresh and the private check's keyed set over
    the new instance's indicators take its first minutes): until it uses under `quiet` of a
    core over `window` seconds. Returns the seconds waited."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        before = server_cpu(pid)
        time.sleep(window)
        if server_cpu(pid) - before < quiet * window:
            break
    return time.monotonic() - start


def migrated(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    return engine


def build_instance_a(engine: Engine, count: int, seed: int) -> None:
    """Indicators, reports naming ten each, every link confirmed by an analyst's review."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    reports = max(1, count // 10)
    with engine.begin() as connection:
        report_rows = [
            {"code": f"TL-BENCH-{i:07d}", "channel": "import", "narrative": "bench",
             "language": "vi", "category": CATEGORIES[i % len(CATEGORIES)], "urgency": "normal",
             "triage_reasons": [], "listed_values": [], "anonymous": False, "status": "new",
             "created_at": now, "updated_at": now, "source": "bench", "external_id": str(i)}
            for i in range(reports)
        ]  # fmt: skip
        for start in range(0, reports, 20_000):
            connection.execute(insert(Report), report_rows[start : start + 20_000])
        for start in range(0, count, 20_000):
            rows = []
            for index in range(start, min(count, start + 20_000)):
                kind, value, _ = indicator(rng, index)
                seen = now - timedelta(days=rng.randint(1, 700))
                rows.append({"kind": kind, "value": value, "allowlisted": False,
                             "first_seen": seen, "last_seen": seen, "report_count": 1,
                             "tlp": TLPS[index % len(TLPS)]})  # fmt: skip
            connection.execute(insert(IndicatorRecord), rows)
            links = [{"report_id": 1 + i // 10, "indicator_id": 1 + i, "confirmed": True}
                     for i in range(start, start + len(rows))]  # fmt: skip
            connection.execute(insert(ReportIndicator), links)
            reviews = [{"report_id": 1 + i // 10, "indicator_id": 1 + i, "state": "confirmed",
                        "actor": "analyst:bench", "reviewed_at": now}
                       for i in range(start, start + len(rows))]  # fmt: skip
            connection.execute(insert(IndicatorReview), reviews)
        connection.execute(text("ANALYZE"))


def add_partner_b(engine: Engine) -> None:
    """Partner B (its policy: up to AMBER, `SYNCED_KINDS` only) and B's user at A."""
    from tipline.accounts.service import create_user
    from tipline.partners.service import add_partner

    with make_session_factory(engine)() as session:
        partner = add_partner(session, ACTOR, PARTNER_B, "TH")
        partner.max_tlp, partner.kinds = "amber", ",".join(SYNCED_KINDS)
        session.commit()
        create_user(session, ACTOR, USER_B, "partner", PASSWORD_B, partner=PARTNER_B)


def publish_a(engine: Engine, data_dir: Path) -> int:
    from tipline.settings import Settings
    from tipline.sharing.models import SharedObject
    from tipline.sharing.service import publish

    with make_session_factory(engine)() as session:
        publish(session, Settings(data_dir=data_dir))
        session.commit()
        return _count(session, SharedObject)


def export_a(engine: Engine, out: Path) -> int:
    """Everything shareable at AMBER as one bundle, written to `out`; its object count."""
    from tipline.sharing.service import policy_at, write_bundle
    from tipline.sharing.tlp import Tlp

    with make_session_factory(engine)() as session, out.open("w", encoding="utf-8") as file:
        written = write_bundle(session, ACTOR, policy_at(Tlp.AMBER), file)
        session.commit()
    return written.objects


def _validate_chunk(objects: list[dict[str, Any]]) -> list[str]:
    """The validator's errors on one bundle of `objects`, strict, all but {103}."""
    from stix2validator import ValidationOptions, validate_string

    bundle = {"type": "bundle", "id": "bundle--" + str(uuid.uuid4()), "objects": objects}
    result = validate_string(json.dumps(bundle), ValidationOptions(version="2.1", strict=True))
    # tipline's ids are UUIDv5 (deterministic, as OpenCTI's): the validator's {103} asks v4 of
    # domain objects. Only that exact finding is set aside (tests/sharing/stix_checks.py), and
    # counted: a {103} about an observable's UUIDv5 would still be an error.
    errors = [str(e) for e in result.errors]
    kept = [e for e in errors if not DETERMINISTIC_IDS.match(e)]
    return kept + [SET_ASIDE] * (len(errors) - len(kept))


DETERMINISTIC_IDS = re.compile(
    r"^[a-z0-9-]+--[0-9a-f-]{36}: \{103\} Given ID value \S+ is not a valid UUIDv4 ID\.$"
)
SET_ASIDE = "{103} set aside"


def validate(path: Path, sample: int, workers: int = 1, chunk: int = 5_000) -> dict[str, Any]:
    """The OASIS validator, strict, on the bundle (or on its first `sample` objects: it checks
    some 250 objects a second, and the whole bundle holds 400,000). The objects are checked in
    bundles of `chunk` on `workers` processes: each object is checked once, on its own, as in
    the whole bundle (the validator's checks are per object)."""
    objects = json.loads(path.read_text("utf-8"))["objects"]
    total = len(objects)
    if 0 < sample < total:
        objects = objects[:sample]
    chunks = [objects[i : i + chunk] for i in range(0, len(objects), chunk)]
    cpu_before = _children_cpu()

    def run() -> list[str]:
        if workers <= 1:
            return [e for part in chunks for e in _validate_chunk(part)]
        with ProcessPoolExecutor(workers) as pool:
            return [e for part in pool.map(_validate_chunk, chunks) for e in part]

    findings, seconds = timed(run)
    errors = [e for e in findings if e != SET_ASIDE]
    return {"objects": len(objects), "of": total, "seconds": seconds, "valid": not errors,
            "errors": len(errors), "first_errors": errors[:5], "load": load(),
            "uuidv4_advice_set_aside": len(findings) - len(errors),
            "workers": workers, "cpu_seconds": CPU["last"] + _children_cpu() - cpu_before,
            "projected_seconds": seconds * total / max(len(objects), 1)}  # fmt: skip


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def stix2_baseline(path: Path, sample: int, ours_seconds: float, total: int) -> dict[str, Any]:
    """The `stix2` library building the same objects: per object, against our export."""
    import stix2

    objects = json.loads(path.read_text("utf-8"))["objects"][:sample]

    def build() -> str:
        parsed = [stix2.parse(o, allow_custom=True, version="2.1") for o in objects]
        return str(stix2.v21.Bundle(objects=parsed, allow_custom=True).serialize())

    _, seconds = timed(build)
    per_object_ms, ours_ms = 1000 * seconds / len(objects), 1000 * ours_seconds / total
    return {"objects": len(objects), "seconds": seconds, "per_object_ms": per_object_ms,
            "tipline_per_object_ms": ours_ms, "ratio": per_object_ms / ours_ms}  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(data_dir: Path) -> Iterator[tuple[str, int]]:
    """`tipline serve` on instance A's folder; yields its base URL and its process id."""
    port = free_port()
    env = os.environ | {"TIPLINE_DATA_DIR": str(data_dir), "TIPLINE_DATABASE_URL": ""}
    command = [sys.executable, "-m", "tipline", "serve", "--host", "127.0.0.1", "--port", str(port)]
    log = (data_dir / "server.log").open("wb")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"A's server did not start: see {log.name}") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def taxii_pages(base: str, rounds: int) -> dict[str, Any]:
    """B's user walks A's readable collections a page of 1,000 at a time; each request timed."""
    from taxii2client.v21 import Server

    durations: list[float] = []
    pages_in_walk: list[int] = []  # each request's page number within its walk (0: the first)
    objects = 0
    # This process holds instance A's build and the bundle: a full collection of its heap takes
    # ~200 ms, which would land in the timing of whichever page the client was parsing. The
    # server's latency is measured, not the bench's garbage collector (the server freezes its
    # own start-up heap: tipline.app.warm_up_and_freeze).
    gc.collect()
    gc.freeze()
    with Server(f"{base}/taxii2/", user=USER_B, password=PASSWORD_B) as server:
        collections = [c for root in server.api_roots for c in root.collections if c.can_read]
        for _ in range(rounds):
            for collection in collections:
                cursor = None
                while True:
                    pages_in_walk.append(0 if cursor is None else pages_in_walk[-1] + 1)
                    filters: dict[str, Any] = {"limit": PAGE}
                    if cursor:
                        filters["next"] = cursor
                    start = time.perf_counter()
                    envelope = collection.get_objects(**filters)
                    durations.append(time.perf_counter() - start)
                    objects += len(envelope.get("objects", []))
                    cursor = envelope.get("next") if envelope.get("more") else None
                    if cursor is None:
                        break
    gc.unfreeze()
    ordered = sorted(durations)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return {"requests": len(durations), "objects": objects, "load": load(),
            "median_ms": 1000 * statistics.median(durations), "p99_ms": 1000 * p99,
            "max_ms": 1000 * ordered[-1], "slowest": slowest(durations, pages_in_walk)}  # fmt: skip


def slowest(durations: list[float], pages: list[int]) -> list[tuple[float, int]]:
    """The six slowest requests: (ms, the page's number within its walk)."""
    timed_pages = ((round(1000 * d, 1), page) for d, page in zip(durations, pages, strict=True))
    return sorted(timed_pages, reverse=True)[:6]


def sync_b(path_b: Path, base: str, data_dir_b: Path) -> dict[str, Any]:
    """Instance B pulls everything from A's server (then again: nothing new)."""
    from tipline.partners.models import Partner
    from tipline.partners.service import add_partner
    from tipline.sealing import sealing_key
    from tipline.sharing.sync.core import Credentials
    from tipline.sharing.sync.service import set_endpoint, sync_partner

    engine = migrated(path_b)
    key = sealing_key(None, data_dir_b)
    factory = make_session_factory(engine)
    with factory() as session:
        add_partner(session, ACTOR, PARTNER_A, "VN")
        credentials = Credentials("basic", USER_B, PASSWORD_B)
        partner_a = set_endpoint(session, ACTOR, PARTNER_A, f"{base}/taxii2/", credentials, key)
    with factory() as session:
        partner = session.get_one(Partner, partner_a.partner_id)
        first, seconds = timed(lambda: sync_partner(session, ACTOR, partner, key, limit=PAGE))
        busy, cpu = load(), CPU["last"]
        again, again_seconds = timed(lambda: sync_partner(session, ACTOR, partner, key))
        stored = _count(session, IndicatorRecord)
    engine.dispose()
    return {"pulled": first.pulled, "seconds": seconds, "load": busy, "client_cpu_seconds": cpu,
            "objects_per_second": first.pulled / seconds, "indicators_at_b": stored,
            "second_sync_pulled": again.pulled, "second_sync_seconds": again_seconds}  # fmt: skip


def _count(session: Session, model: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def figures_table(results: dict[str, Any]) -> Table:
    table = Table("figure", "value", "target", "load (1 min)")
    export, pages, sync = results["export"], results.get("taxii"), results.get("sync")
    table.add_row("export: objects in the bundle", f"{export['objects']:,}", "", "")
    spent = f"{export['seconds']:.2f} (CPU {export['cpu_seconds']:.2f})"
    table.add_row("export: seconds", spent, "≤ 10", f"{export['load']:.1f}")
    if "validation" in results:
        check = results["validation"]
        verdict = "valid" if check["valid"] else f"{check['errors']} errors"
        label = f"stix2-validator on {check['objects']:,} of {check['of']:,} objects: s"
        table.add_row(label, f"{check['seconds']:.1f} ({verdict})", "", f"{check['load']:.1f}")
    if "baseline" in results:
        base = results["baseline"]
        table.add_row("stix2 library ÷ tipline, per object", f"{base['ratio']:.1f}×", "", "")
    if "settled_after_seconds" in results:
        waited = f"{results['settled_after_seconds']:.0f}"
        table.add_row("server's start-up jobs done after: s", waited, "", "")
    if pages:
        timing = f"{pages['median_ms']:.0f} / {pages['p99_ms']:.0f}"
        table.add_row(
            "TAXII page of 1,000: median / p99 ms", timing, "≤ 200", f"{pages['load']:.1f}"
        )
    if sync:
        table.add_row("sync from A: objects", f"{sync['pulled']:,}", "", "")
        busy = f"{sync['load']:.1f}"
        spent = (f"{sync['seconds']:.1f} (CPU: B {sync['client_cpu_seconds']:.1f}, "
                 f"A's server {sync['server_cpu_seconds']:.1f})")  # fmt: skip
        table.add_row("sync from A: seconds", spent, "≤ 60", busy)
        table.add_row("second sync: objects pulled", str(sync["second_sync_pulled"]), "0", "")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--baseline-sample", type=int, default=10_000)
    parser.add_argument("--page-rounds", type=int, default=3)
    parser.add_argument("--no-validate", action="store_true")
    parser.add_argument("--validate-objects", type=int, default=20_000,
                        help="validate the first N objects (0: the whole bundle)")  # fmt: skip
    parser.add_argument("--validate-workers", type=int, default=1,
                        help="processes for the validator (bundles of 5,000 objects)")  # fmt: skip
    parser.add_argument("--no-server", action="store_true", help="export and validation only")
    parser.add_argument("--settle", action="store_true",
                        help="walk TAXII pages after the server's start-up jobs")  # fmt: skip
    parser.add_argument("--keep", type=Path, help="keep both instances' folders here")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    folder = None if args.keep else tempfile.TemporaryDirectory(prefix="tipline-bench-sharing-")
    root = args.keep or Path(folder.name)  # type: ignore[union-attr]
    dir_a, dir_b = root / "a", root / "b"
    for path in (dir_a, dir_b):
        path.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"indicators": args.indicators, "started": datetime.now(UTC)
                               .isoformat(timespec="seconds"), "cpus": os.cpu_count()}  # fmt: skip
    engine = migrated(dir_a / "tipline.db")
    _, built = timed(lambda: build_instance_a(engine, args.indicators, args.seed))
    add_partner_b(engine)
    published, publish_seconds = timed(lambda: publish_a(engine, dir_a))
    results["build_seconds"], results["published"] = built, published
    results["publish"] = {"seconds": publish_seconds, "load": load(), "cpu_seconds": CPU["last"]}
    console.print(f"A built in {built:.1f} s; {published:,} objects published in "
                  f"{publish_seconds:.1f} s")  # fmt: skip
    bundle_path = root / "bundle.json"
    objects, seconds = timed(lambda: export_a(engine, bundle_path))
    results["export"] = {"objects": objects, "seconds": seconds, "load": load(),
                         "cpu_seconds": CPU["last"],
                         "megabytes": bundle_path.stat().st_size / 2**20}  # fmt: skip
    engine.dispose()
    if not args.no_validate:
        results["validation"] = validate(bundle_path, args.validate_objects, args.validate_workers)
    results["baseline"] = stix2_baseline(bundle_path, args.baseline_sample, seconds, objects)
    if not args.no_server:
        with serving(dir_a) as (base, pid):
            if args.settle:
                results["settled_after_seconds"] = settled(pid)
            results["taxii"] = taxii_pages(base, args.page_rounds)
            before = server_cpu(pid)
            results["sync"] = sync_b(dir_b / "tipline.db", base, dir_b)
            results["sync"]["server_cpu_seconds"] = server_cpu(pid) - before
    console.print(figures_table(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))
    if folder is not None:
        folder.cleanup()


if __name__ == "__main__":
    main()
