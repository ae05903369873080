"""Instructions (valgrind callgrind) of the queue page, the bulk check and campaign linking,
for two checkouts of tipline: a load-insensitive comparison of the same scripted work.

`compare` builds each checkout's own small databases natively (its own migrations and bench
scripts' loaders), then runs the work of each under `valgrind --tool=callgrind` with that
checkout on the import path. Only the measured calls are counted: valgrind starts with
instrumentation off (`--instr-atstart=no`: importing and building run several times faster),
and the script turns it on and zeroes the counters right before each measured call, dumps them
right after it and turns it off again (callgrind's client requests, from a small C library
built with `cc`), so each dump file holds one window. Warm-up calls run outside any window.

- **queue**: `GET /queue` through httpx's ASGI transport, as a signed-in analyst (the page rendered;
  what FastAPI runs on worker threads runs inline: callgrind counts one thread's window),
  for the first page, category + status, a deep keyset page and the 'facebook' search
  (`bench/queue_page.py`'s cases) on `--queue-reports` reports; `--rounds` requests a window.
- **check**: `check_values` on 1,000 values as people type them, half stored (`bench/check.py`'s
  values) on `--indicators` indicators, a fresh session and new values each round.
- **extract**: `tipline.indicators.extract` on `--texts` of `bench/extract.py`'s generated
  reports (each checkout's own generator, same seed), after 300 that warm the caches; a window
  per 500 texts, instructions per text.
- **campaigns**: `link_new_reports` for each of `--new-reports` reports stored one per
  transaction on a graph of `--reports` reports (`bench/campaigns.py`'s generator), one window
  each; reports that merged campaigns (or made a hub) are counted apart.

    .venv/bin/python bench/instructions.py compare --before ../before --after . --json out.json

The same work at full size is in each bench script; here only the ratio after ÷ before matters.
`TIPLINE_DATA_KEYS` is set to a fixed key so that data sealed by a migration opens in the app.
"""

from __future__ import annotations

import argparse
import ctypes
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

BENCH_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"  # 32 bytes, base64url: a bench key
QUEUE_CASES = ("first page", "category + status", "deep page", "search: 'facebook'")
WORKS = ("queue", "check", "campaigns", "extract")


def bench_module(checkout: Path, name: str) -> ModuleType:
    """A checkout's own bench script, imported by path (its tipline is on the import path)."""
    path = checkout / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


CLIENT_REQUESTS = r"""
#include <valgrind/callgrind.h>
void start(void) { CALLGRIND_START_INSTRUMENTATION; CALLGRIND_ZERO_STATS; }
void stop(const char *label) { CALLGRIND_DUMP_STATS_AT(label); CALLGRIND_STOP_INSTRUMENTATION; }
"""
_requests: list[Any] = []


def client_requests() -> Any:
    """callgrind's client requests (valgrind/callgrind.h) in a library built here with cc;
    outside valgrind they do nothing."""
    if not _requests:
        folder = Path(tempfile.mkdtemp(prefix="tipline-instr-lib-"))
        (folder / "requests.c").write_text(CLIENT_REQUESTS)
        library = folder / "requests.so"
        subprocess.run(
            ["cc", "-O1", "-shared", "-fPIC", "-o", str(library), str(folder / "requests.c")],
            check=True,
        )
        loaded = ctypes.CDLL(str(library))
        loaded.stop.argtypes = [ctypes.c_char_p]
        _requests.append(loaded)
    return _requests[0]


@contextmanager
def window(labels: list[str], label: str) -> Iterator[None]:
    """One callgrind dump: instrumentation on and counters zeroed, then a dump, off again."""
    requests = client_requests()
    requests.start()
    yield
    requests.stop(label.encode())
    labels.append(label)


# --- queue ---------------------------------------------------------------------------------


def setup_queue(checkout: Path, folder: Path, args: argparse.Namespace) -> None:
    queue_page = bench_module(checkout, "queue_page")
    queue_page.build(folder / "queue.db", args.queue_reports, args.seed)


def inline_threads() -> None:
    """Run what FastAPI and Starlette send to worker threads (sync routes and dependencies) in
    the calling thread: callgrind's client requests zero and dump the current thread's counters
    only, so every measured instruction must run on the thread that opens the window."""
    import anyio.to_thread

    async def run_sync(func: Callable[..., Any], *args: Any, **_options: Any) -> Any:
        return func(*args)

    anyio.to_thread.run_sync = run_sync  # type: ignore[assignment]


def run_queue(checkout: Path, folder: Path, args: argparse.Namespace, labels: list[str]) -> None:
    import asyncio
    import threading

    import httpx

    try:
        from tipline.access import Principal, Role, get_principal
    except ImportError:  # before issue 10
        from tipline.accounts.access import Principal, Role, get_principal  # type: ignore
    from tipline.app import create_app
    from tipline.db import make_engine, make_session_factory
    from tipline.settings import Settings

    inline_threads()
    queue_page = bench_module(checkout, "queue_page")
    path = folder / "queue.db"
    engine = make_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    settings = Settings(data_dir=folder / "queue-data", secret_key="bench")
    app = create_app(settings=settings, session_factory=make_session_factory(engine))
    analyst = Principal(user_id=1, username="bench", role=Role.ANALYST, via="session")
    app.dependency_overrides[get_principal] = lambda: analyst
    cases = [c for c in queue_page.cases(path) if c.name.split(" (")[0] in QUEUE_CASES]

    async def pages() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for case in cases:
                for _ in range(2):
                    response = await client.get("/queue", params=case.params)
                    assert response.status_code == 200, response.text[:300]
                rows = response.text.count('href="/reports/')
                with window(labels, f"{case.name.split(' (')[0]} ({rows} rows)"):
                    for _ in range(args.rounds):
                        await client.get("/queue", params=case.params)

    asyncio.run(pages())
    assert threading.active_count() == 1, "a request ran on another thread"
    engine.dispose()


# --- check ---------------------------------------------------------------------------------


def setup_check(checkout: Path, folder: Path, args: argparse.Namespace) -> None:
    from tipline.db import make_engine
    from tipline.server.migrate import upgrade

    check = bench_module(checkout, "check")
    engine = make_engine(f"sqlite:///{folder / 'check.db'}")
    upgrade(engine)
    typed = check.build_database(engine, args.indicators, args.seed, None)
    engine.dispose()
    (folder / "typed.json").write_text(json.dumps(typed))


def run_check(checkout: Path, folder: Path, args: argparse.Namespace, labels: list[str]) -> None:
    import random

    from tipline.app import warm_up_and_freeze
    from tipline.db import make_engine, make_session_factory
    from tipline.indicators.service import check_values

    check = bench_module(checkout, "check")
    typed = json.loads((folder / "typed.json").read_text())
    rng = random.Random(args.seed + 1)
    stored = rng.sample(typed, len(typed))
    engine = make_engine(f"sqlite:///{folder / 'check.db'}")
    factory = make_session_factory(engine)
    warm_up_and_freeze()
    for round_ in range(args.rounds + 1):  # the first round warms caches
        values = [stored.pop() for _ in range(500)] + check.absent_values(rng, 500)
        rng.shuffle(values)
        with factory() as session:
            if round_ == 0:
                check_values(session, values)
                continue
            with window(labels, "bulk check"):
                check_values(session, values)
    engine.dispose()


# --- campaigns -----------------------------------------------------------------------------


def setup_campaigns(checkout: Path, folder: Path, args: argparse.Namespace) -> None:
    import numpy as np

    campaigns = bench_module(checkout, "campaigns")
    options = argparse.Namespace(
        reports=args.reports, links=3 * args.reports, new_reports=args.new_reports,
        hub_threshold=args.hub_threshold,
    )  # fmt: skip
    rng = np.random.default_rng(args.seed)
    world, reports, indicators = campaigns.generate(options, rng)
    campaigns.bulk_load(folder / "campaigns.db", reports, indicators, args.hub_threshold)
    first = int(world.ring_of_report.size) - args.new_reports
    slots = campaigns.link_slots(first, args.new_reports, 3 * args.new_reports, rng)
    new_reports, new_indicators = campaigns.draw_links(
        world, slots, rng, campaigns.ONE_OFF_BASE + 2 * 10**8
    )
    distinct = np.unique(new_reports)
    groups = np.split(new_indicators, np.searchsorted(new_reports, distinct)[1:])
    plan = [[r, sorted(set(g.tolist()))] for r, g in zip(distinct.tolist(), groups, strict=True)]
    (folder / "new-reports.json").write_text(json.dumps(plan))


def run_campaigns(
    checkout: Path, folder: Path, args: argparse.Namespace, labels: list[str]
) -> None:
    from tipline.campaigns.service import link_new_reports
    from tipline.db import make_engine, make_session_factory

    campaigns = bench_module(checkout, "campaigns")
    plan = json.loads((folder / "new-reports.json").read_text())
    engine = make_engine(f"sqlite:///{folder / 'campaigns.db'}")
    factory = make_session_factory(engine)
    for k, (report, group) in enumerate(plan):
        with factory() as session:
            campaigns._store_new_report(session.connection(), report, group)
            if k < args.warm:
                link_new_reports(session, [report], args.hub_threshold)
            else:
                with window(labels, "link"):
                    outcome = link_new_reports(session, [report], args.hub_threshold)
                labels[-1] = "merging" if outcome.merged or outcome.new_hubs else "other"
            session.commit()
    engine.dispose()


# --- extract -------------------------------------------------------------------------------


def setup_extract(checkout: Path, folder: Path, args: argparse.Namespace) -> None:
    """The texts: `bench/extract.py`'s generated reports (this checkout's generator, seed
    `--seed`), `--texts` of them after the 300 that warm the caches."""
    from tipline.demo.narratives import generate_reports

    texts = [report.text for report in generate_reports(300 + args.texts, args.seed)]
    (folder / "texts.json").write_text(json.dumps(texts))


def run_extract(checkout: Path, folder: Path, args: argparse.Namespace, labels: list[str]) -> None:
    from tipline.indicators import extract

    texts = json.loads((folder / "texts.json").read_text())
    for text in texts[:300]:
        extract(text)
    measured = texts[300:]
    for start in range(0, len(measured), 500):  # a window per 500 texts
        with window(labels, f"{len(measured[start : start + 500])} texts"):
            for text in measured[start : start + 500]:
                extract(text)


SETUPS: dict[str, Callable[[Path, Path, argparse.Namespace], None]] = {
    "queue": setup_queue, "check": setup_check, "campaigns": setup_campaigns,
    "extract": setup_extract,
}  # fmt: skip
RUNS: dict[str, Callable[[Path, Path, argparse.Namespace, list[str]], None]] = {
    "queue": run_queue, "check": run_check, "campaigns": run_campaigns, "extract": run_extract,
}  # fmt: skip


# --- driving -------------------------------------------------------------------------------


def environment(checkout: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(checkout / "src"), PYTHONHASHSEED="0", TIPLINE_DATA_KEYS=BENCH_KEY,
        TIPLINE_SECRET_KEY="bench",
    )  # fmt: skip
    return env


def child(args: argparse.Namespace, step: str, checkout: Path, folder: Path) -> list[str]:
    """This script's `step` (setup or run) for one work and checkout, in a new process."""
    command = [
        sys.executable, __file__, step, args.work, "--checkout", str(checkout),
        "--dir", str(folder), *passed_options(args),
    ]  # fmt: skip
    if step == "run":
        out = folder / f"callgrind.{args.work}"
        command = [
            "valgrind", "--tool=callgrind", "--instr-atstart=no", "--dump-instr=no",
            f"--callgrind-out-file={out}", *command,
        ]  # fmt: skip
    done = subprocess.run(
        command, env=environment(checkout), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{step} {args.work} ({checkout}) failed:\n{done.stderr[-3000:]}")
    return done.stdout.splitlines()


def passed_options(args: argparse.Namespace) -> list[str]:
    names = ("rounds", "queue_reports", "indicators", "reports", "new_reports", "warm", "seed",
             "hub_threshold", "texts")  # fmt: skip
    return [f"--{n.replace('_', '-')}={getattr(args, n)}" for n in names]


def dumped(folder: Path, work: str, labels: list[str]) -> list[tuple[str, int]]:
    """(label, instructions) of each window, in order."""
    counts = []
    for number, label in enumerate(labels, start=1):
        text = (folder / f"callgrind.{work}.{number}").read_text()
        summary = next(line for line in text.splitlines() if line.startswith("summary:"))
        counts.append((label, int(summary.split()[1])))
    if (folder / f"callgrind.{work}.{len(labels) + 1}").exists():
        raise SystemExit(f"more windows than labels in {work}: a window dumped twice?")
    return counts


def figures(counts: list[tuple[str, int]], work: str, args: argparse.Namespace) -> dict[str, Any]:
    """Instructions per request, per bulk check, and per linked report (median, p99, merging)."""
    if work == "queue":
        return {label: n / args.rounds for label, n in counts}
    if work == "check":
        return {"bulk check": statistics.median(n for _, n in counts)}
    if work == "extract":
        texts = sum(int(label.split()[0]) for label, _ in counts)
        return {"extraction, per text": sum(n for _, n in counts) / texts}
    every = sorted(n for _, n in counts)
    merging = [n for label, n in counts if label == "merging"]
    return {
        "link median": statistics.median(every),
        "link p99": every[min(len(every) - 1, round(0.99 * len(every)))],
        "link total": sum(every),
        f"merging median ({len(merging)})": statistics.median(merging) if merging else 0,
    }


def compare(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {}
    works = args.works.split(",")
    for work in works:
        args.work = work
        for side, checkout in (("before", args.before), ("after", args.after)):
            if side not in args.sides.split(","):
                continue
            folder = Path(tempfile.mkdtemp(prefix=f"tipline-instr-{work}-{side}-"))
            child(args, "setup", checkout.resolve(), folder)
            labels = child(args, "run", checkout.resolve(), folder)
            results.setdefault(work, {})[side] = figures(dumped(folder, work, labels), work, args)
            print(f"{work} {side}: {results[work][side]}", file=sys.stderr)
    print("| figure | before | after | after ÷ before |\n| --- | ---: | ---: | ---: |")
    for work in works:
        for key, before in results[work].get("before", {}).items():
            after = results[work]["after"].get(key, 0)
            ratio = f"{after / before - 1:+.1%}" if before else "—"
            print(f"| {work}: {key} | {before:,.0f} | {after:,.0f} | {ratio} |")
    return results


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=("compare", "setup", "run"))
    parser.add_argument("work", nargs="?", default="all")
    parser.add_argument("--before", type=Path, default=Path("../before"))
    parser.add_argument("--after", type=Path, default=Path("."))
    parser.add_argument("--works", default=",".join(WORKS))
    parser.add_argument("--sides", default="before,after", help="run only one side: after")
    parser.add_argument("--checkout", type=Path)
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--queue-reports", type=int, default=20_000)
    parser.add_argument("--indicators", type=int, default=50_000)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--new-reports", type=int, default=300)
    parser.add_argument("--warm", type=int, default=20)
    parser.add_argument("--hub-threshold", type=int, default=1000)
    parser.add_argument("--texts", type=int, default=2_000, help="extract: texts measured")
    parser.add_argument("--seed", type=int, default=20240)
    parser.add_argument("--json", type=Path)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    # bench/queue_page.py's name shadows the standard library's `queue`: keep bench/ off the path.
    here = str(Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if str(Path(p or ".").resolve()) != here]
    args = parse_args(argv)
    if args.step == "compare":
        results = compare(args)
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(results, indent=2) + "\n")
        return 0
    if args.step == "setup":
        SETUPS[args.work](args.checkout, args.dir, args)
        return 0
    labels: list[str] = []
    client_requests()
    RUNS[args.work](args.checkout, args.dir, args, labels)
    print("\n".join(labels))
    return 0


if __name__ == "__main__":
    sys.exit(main())
