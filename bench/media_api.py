"""Benchmark of hash matching through the banks' service and API (issue 17, helper h17b).

Builds (fixed seed) a SQLite database in a temporary folder (or an empty PostgreSQL database given
by `--database-url`) with one bank of `--pdq-rows` PDQ hashes and `--digest-rows` MD5 and as many
SHA-256, and a platform organisation granted it. Each call matches 1,000 hashes, as a platform
sends them: 500 PDQ (half of them planted copies of a bank row with up to 31 bits flipped), 250
MD5 and 250 SHA-256 (half of each in the bank). Then, in one run:

- **brute**: `service.match` with the numpy brute force (`BruteForcePdq`), `--brute-calls` calls;
- **index**: the same with the PDQ index installed (`IndexedPdq`, built from the database first:
  its build time is said), `--calls` calls; every call's matches equal the brute force's on the
  calls both ran (checked, or the run fails);
- **http**: `POST /api/v1/media/match` with a platform token through the app in-process
  (Starlette's TestClient: no network, the JSON both ways), `--calls` calls.

Median, p95 and max milliseconds per call of 1,000 hashes; the planted PDQ copies found (all must
be); the machine's load.

    .venv/bin/python bench/media_api.py --json bench/out/media-api.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from tipline.accounts import service as accounts
from tipline.app import create_app
from tipline.db import make_engine, make_session_factory
from tipline.db_types import utc_now
from tipline.media import matching, service
from tipline.media.core import HashValue, Signal
from tipline.media.index import PdqIndex
from tipline.media.indexing import IndexedPdq
from tipline.media.models import BankHash
from tipline.partners.service import add_organisation
from tipline.principals import Principal, Role
from tipline.server.migrate import upgrade
from tipline.settings import Settings

ADMIN = Principal(0, "bench", Role.ADMIN, "cli")
CHUNK = 20_000


def fill_bank(factory: sessionmaker[Session], pdq: int, digests: int, seed: int) -> list[str]:
    """The bank and its rows; the PDQ values (the queries' near copies are made from them)."""
    rng = random.Random(seed)
    pdqs = [f"{rng.getrandbits(256):064x}" for _ in range(pdq)]
    with factory() as session:
        bank = service.create_bank(session, ADMIN, "CSAM known", "child", "bench")
        add_organisation(session, "bench", "Platform", "platform")
        service.grant(session, ADMIN, bank.id, organisation="Platform")
        now = utc_now()
        rows = [("pdq", v) for v in pdqs]
        rows += [("md5", hashlib.md5(b"%d" % n, usedforsecurity=False).hexdigest())
                 for n in range(digests)]  # fmt: skip
        rows += [("sha256", hashlib.sha256(b"%d" % n).hexdigest()) for n in range(digests)]
        for start in range(0, len(rows), CHUNK):
            session.execute(insert(BankHash), [
                {"bank_id": bank.id, "signal": s, "value": v, "quality": 100, "source": "bench",
                 "added_at": now} for s, v in rows[start : start + CHUNK]
            ])  # fmt: skip
            session.commit()
    return pdqs


def flipped(value: str, bits: int, rng: random.Random) -> str:
    number = int(value, 16)
    for bit in rng.sample(range(256), bits):
        number ^= 1 << bit
    return f"{number:064x}"


def calls(pdqs: list[str], digests: int, count: int, seed: int) -> list[list[HashValue]]:
    """`count` calls of 1,000 hashes; half the PDQs planted within 31 bits of a bank row."""
    rng = random.Random(seed + 1)
    made = []
    for _ in range(count):
        hashes = [
            HashValue(Signal.PDQ, flipped(rng.choice(pdqs), rng.randint(0, 31), rng))
            if k % 2 == 0 else HashValue(Signal.PDQ, f"{rng.getrandbits(256):064x}")
            for k in range(500)
        ]  # fmt: skip
        for k in range(250):
            n = rng.randrange(digests) if k % 2 == 0 else digests + rng.randrange(10**9)
            hashes.append(
                HashValue(Signal.MD5, hashlib.md5(b"%d" % n, usedforsecurity=False).hexdigest())
            )
            hashes.append(HashValue(Signal.SHA256, hashlib.sha256(b"%d" % n).hexdigest()))
        made.append(hashes)
    return made


def timed(run: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = run()
    return result, (time.perf_counter() - start) * 1000


def figures(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"calls": len(times), "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(p95, 1), "max_ms": round(ordered[-1], 1)}  # fmt: skip


def matched(factory: sessionmaker[Session], caller: Principal, hashes: list[HashValue]) -> Any:
    with factory() as session:
        found = service.match(session, caller, hashes)
    return [sorted((m.hash_id, m.distance) for m in ms) for ms in found]


def run(args: argparse.Namespace, url: str, folder: Path) -> dict[str, Any]:
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    (pdqs, fill_ms) = timed(lambda: fill_bank(factory, args.pdq_rows, args.digest_rows, args.seed))
    asked = calls(pdqs, args.digest_rows, max(args.calls, args.brute_calls), args.seed)
    platform = Principal(1, "platform", Role.PLATFORM, "token", organisation_id=1)
    result: dict[str, Any] = {"pdq_rows": args.pdq_rows, "digest_rows": args.digest_rows,
                              "fill_s": round(fill_ms / 1000, 1)}  # fmt: skip
    brute = [timed(partial(matched, factory, platform, h)) for h in asked[: args.brute_calls]]
    result["brute"] = figures([ms for _, ms in brute])
    indexed = IndexedPdq(PdqIndex(), factory)
    _, build_ms = timed(lambda: indexed.index.rebuild(indexed.read_all))
    indexed.note_seen()
    previous = matching.use_pdq_matcher(indexed)
    try:
        fast = [timed(partial(matched, factory, platform, h)) for h in asked[: args.calls]]
    finally:
        matching.use_pdq_matcher(previous)
    for (slow_found, _), (fast_found, _) in zip(brute, fast, strict=False):
        assert slow_found == fast_found, "the index and the brute force disagree"
    planted = sum(1 for found, _ in fast for k in range(0, 500, 2) if found[k])
    result["index"] = figures([ms for _, ms in fast]) | {"build_s": round(build_ms / 1000, 1)}
    result["planted_found"] = f"{planted} of {250 * len(fast)}"
    result["http"] = http(args, url, folder, asked[: args.calls], indexed)
    return result


def http(
    args: argparse.Namespace, url: str, folder: Path, asked: list[list[HashValue]],
    indexed: IndexedPdq,
) -> dict[str, Any]:  # fmt: skip
    settings = Settings(data_dir=folder, database_url=url, rate_limit_matches="100000/minute")
    factory = make_session_factory(make_engine(url))
    with factory() as session:
        accounts.create_user(session, "bench", "platform", "platform", "a long bench password 1",
                             organisation="Platform")  # fmt: skip
        token = accounts.create_token(session, "bench", "platform", "bench").plaintext
        session.commit()
    app = create_app(settings=settings, session_factory=factory)
    previous = matching.use_pdq_matcher(indexed)
    times = []
    headers = {"Authorization": f"Bearer {token}"}
    try:
        with TestClient(app) as client:
            for hashes in asked:
                body = {"hashes": [{h.signal.value: h.value} for h in hashes]}
                post = partial(client.post, "/api/v1/media/match", json=body, headers=headers)
                answer, ms = timed(post)
                assert answer.status_code == 200, answer.text[:200]
                times.append(ms)
    finally:
        matching.use_pdq_matcher(previous)
    return figures(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pdq-rows", type=int, default=1_000_000)
    parser.add_argument("--digest-rows", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--brute-calls", type=int, default=2)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--database-url")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        url = args.database_url or f"sqlite:///{folder / 'bench.db'}"
        result = run(args, url, folder)
    result["load_1min"] = round(os.getloadavg()[0], 1)
    text = json.dumps(result, indent=2)
    print(text)  # noqa: T201
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
