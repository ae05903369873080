"""Benchmark of requests to organisations: 100,000 requests across 1,000 organisations.

Migrates a database (a temporary SQLite file, or `--database-url`, e.g. PostgreSQL) to head and
bulk-inserts `--organisations` organisations and `--requests` requests with their lines. The
organisations are drawn Zipf-like (exponent 1.1: the largest bank gets about a sixth of all
requests, as the big banks do); types, statuses and times as a year of traffic: created over
365 days, about 78 % answered, 15 % still open (sent or seen), most of those past due, the rest
drafts and cancelled ones; one to three lines each.

Then it times, after one warm-up, `--runs` runs of each (median and p99, in ms):

- `open, repository`: one organisation's open requests as that organisation reads them
  (`readable_requests` of its `platform` caller, sent or seen, newest first, a page of 50), for
  the largest organisation and for a middling one (the 100th);
- `listed_requests` and `API`: the same through `repository.listed_requests` and
  `GET /api/v1/requests` (all its requests, `?status=sent`, `?status=seen`) with the largest
  organisation's API token, when those are on this checkout (they are skipped, and the output
  says so, when not); the API answers its own page size;
- `figures dashboard`: who answers how fast, per organisation (`organisation_figures`, as the
  dashboard page and `GET /api/v1/requests/figures` call it); its rows are the requests it
  counts;
- `overdue overview`: how many overdue requests each organisation has (sent or seen, past due:
  a count per organisation, most first) and the 50 longest overdue with their organisation's
  name (`tipline.orgrequests.overdue`); and, when on this checkout, the staff's
  `GET /api/v1/requests?status=overdue`.

The machine's load average is printed before and after: on a shared machine the figures are
that load's.

    PYTHONPATH=src .venv/bin/python bench/org_requests.py [--database-url URL] [--json FILE]

(The issue calls it `bench/requests.py`; a script of that name in bench/ would hide the
`requests` package from every script of this folder, which is first on their path, and from
mypy.)
"""

from __future__ import annotations

import argparse
import inspect
import itertools
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

CHUNK = 5_000
PAGE = 50
STATUSES = (("answered", 78), ("sent", 9), ("seen", 6), ("draft", 3), ("cancelled", 4))
TYPES = (("freeze", 55), ("takedown", 20), ("suspend", 12), ("preserve", 8), ("disclose", 5))
KINDS = ("bank", "telecom", "platform")


def _organisation_rows(n: int) -> Iterator[dict[str, Any]]:
    for index in range(1, n + 1):
        kind = KINDS[index % 3]
        yield {
            "id": index, "name": f"Organisation {index:04d}", "kind": kind, "contacts": "",
            "created_at": datetime(2026, 1, 1, tzinfo=UTC),
            "bank_code": f"B{index:04d}" if kind == "bank" else None,
            "phone_prefixes": "", "domains": "", "response_hours": {},
        }  # fmt: skip


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...], k: int) -> list[str]:
    return rng.choices([p[0] for p in pairs], [p[1] for p in pairs], k=k)


def _request_rows(
    n: int, organisations: int, rng: random.Random, now: datetime
) -> Iterator[dict[str, Any]]:
    from tipline.orgrequests.core import DEFAULT_RESPONSE_HOURS

    weights = [1 / rank**1.1 for rank in range(1, organisations + 1)]
    owners = rng.choices(range(1, organisations + 1), weights, k=n)
    statuses, types = _weighted(rng, STATUSES, n), _weighted(rng, TYPES, n)
    for index in range(1, n + 1):
        status, kind = statuses[index - 1], types[index - 1]
        open_ = status in ("sent", "seen")
        # Open ones are recent (the last 30 days), the rest spread over the year.
        created = now - timedelta(days=rng.uniform(0, 30 if open_ else 365))
        sending = created + timedelta(minutes=rng.uniform(1, 60))
        answered = sending + timedelta(hours=rng.uniform(0.5, 72)) if status == "answered" else None
        sent = None if status == "draft" else sending
        due = None if sent is None else sent + timedelta(hours=DEFAULT_RESPONSE_HOURS[kind])
        yield {
            "id": index, "reference": f"YC-B-{index:07d}", "organisation_id": owners[index - 1],
            "type": kind, "status": status, "legal_basis": "", "details": "synthetic",
            "auto_drafted": False, "created_by": "bench", "created_at": created,
            "sent_at": sent, "seen_at": sent if status == "seen" else None, "due_at": due,
            "answered_at": answered, "outcome": "done" if answered else None,
            "currency": "VND", "preserved": "", "answer_note": "",
        }  # fmt: skip


def _line_rows(n: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    for request in range(1, n + 1):
        for line in range(rng.choice((1, 1, 1, 2, 3))):
            yield {
                "request_id": request, "kind": "bank_account",
                "value": f"B0001:{request:09d}{line}", "transfer_times": [],
            }  # fmt: skip


def _insert(engine: Engine, table: Any, rows: Iterator[dict[str, Any]]) -> None:
    with engine.begin() as connection:
        while chunk := list(itertools.islice(rows, CHUNK)):
            connection.execute(insert(table), chunk)


def build(engine: Engine, organisations: int, requests: int, seed: int, now: datetime) -> float:
    """Migrate to head and bulk-insert the organisations, requests and lines; seconds taken."""
    from tipline.orgrequests.models import OrgRequest, OrgRequestLine
    from tipline.partners.models import Organisation
    from tipline.server.migrate import upgrade

    upgrade(engine)
    started, rng = time.perf_counter(), random.Random(seed)
    _insert(engine, Organisation.__table__, _organisation_rows(organisations))
    _insert(engine, OrgRequest.__table__, _request_rows(requests, organisations, rng, now))
    _insert(engine, OrgRequestLine.__table__, _line_rows(requests, rng))
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql(
                "SELECT setval('organisation_id_seq', (SELECT max(id) FROM organisation))"
            )
    if engine.dialect.name == "postgresql":  # as autovacuum leaves a table: all visible
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE org_request")
    return time.perf_counter() - started


def timed(call: Callable[[], object], runs: int) -> dict[str, float]:
    call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p99_ms": round(times[min(runs - 1, math.ceil(0.99 * runs) - 1)], 2),
    }


def ranked_organisations(session: Session) -> list[int]:
    from tipline.orgrequests.models import OrgRequest

    counts = (
        select(OrgRequest.organisation_id)
        .group_by(OrgRequest.organisation_id)
        .order_by(func.count().desc(), OrgRequest.organisation_id)
    )
    return list(session.scalars(counts))


def open_page(session: Session, organisation_id: int) -> list[Any]:
    """An organisation's open requests as it reads them: its caller's readable requests, sent
    or seen, newest first, one page."""
    from tipline.orgrequests.core import OPEN_STATUSES
    from tipline.orgrequests.models import OrgRequest
    from tipline.orgrequests.repository import readable_requests
    from tipline.principals import Principal, Role

    caller = Principal(1, "bank", Role.PLATFORM, "token", organisation_id=organisation_id)
    statement = readable_requests(caller).where(OrgRequest.status.in_(OPEN_STATUSES))
    return list(session.scalars(statement.limit(PAGE)))


def overdue_overview(session: Session, now: datetime) -> tuple[list[Any], list[Any]]:
    """The overdue overview as an analyst reads it: a count per organisation, most first, and
    the longest overdue (tipline.orgrequests.overdue)."""
    from tipline.orgrequests.overdue import longest_overdue, overdue_counts
    from tipline.principals import Principal, Role

    analyst = Principal(2, "analyst", Role.ANALYST, "session")
    return overdue_counts(session, analyst, now), longest_overdue(session, analyst, now, PAGE)


def figures_dashboard(session: Session, now: datetime) -> list[Any]:
    """The staff's dashboard of who answers how fast: per organisation, the requests counted,
    the median hours to open and to answer, the amount frozen (`outcomes.organisation_figures`,
    as the page and `GET /api/v1/requests/figures` call it)."""
    from tipline.orgrequests.outcomes import organisation_figures

    return organisation_figures(session, now=now)


def _listed(session: Session, organisation_id: int, now: datetime) -> Callable[[], object] | None:
    from tipline.orgrequests import repository
    from tipline.principals import Principal, Role

    listed = getattr(repository, "listed_requests", None)
    if listed is None:
        return None
    caller = Principal(1, "bank", Role.PLATFORM, "token", organisation_id=organisation_id)
    return lambda: listed(session, caller, "sent", None, PAGE, now)


def _api_clients(factory: sessionmaker[Session], data_dir: Path, organisation_id: int) -> Any:
    """TestClients on the app as the organisation's token and as an analyst's, or None when
    this checkout has no `/api/v1/requests`."""
    from fastapi.testclient import TestClient

    from tipline.accounts.service import create_token, create_user
    from tipline.app import create_app
    from tipline.settings import Settings

    app = create_app(Settings(data_dir=data_dir), session_factory=factory)
    if "/api/v1/requests" not in app.openapi()["paths"]:
        return None
    with factory() as session:
        name = session.scalar(select_name(organisation_id))
        create_user(session, "bench", "bank", "platform", "bench-password-1", organisation=name)
        create_user(session, "bench", "analyst", "analyst", "bench-password-1")
        tokens = [create_token(session, "bench", u, "bench").plaintext for u in ("bank", "analyst")]
        session.commit()
    return [TestClient(app, headers={"Authorization": f"Bearer {token}"}) for token in tokens]


def select_name(organisation_id: int) -> Any:
    from tipline.partners.models import Organisation

    return select(Organisation.name).where(Organisation.id == organisation_id)


def measure(engine: Engine, runs: int, now: datetime, data_dir: Path) -> list[dict[str, Any]]:
    from tipline.db import make_session_factory
    from tipline.orgrequests.outcomes import organisation_figures

    factory = make_session_factory(engine)
    figures: list[dict[str, Any]] = []

    def note(case: str, call: Callable[[], object], rows: int) -> None:
        figures.append({"case": case, "rows": rows, **timed(call, runs)})
        print(f"  {case}: {figures[-1]}", file=sys.stderr)

    with factory() as session:
        ranked = ranked_organisations(session)
        for label, organisation in (("largest", ranked[0]), ("100th", ranked[99])):
            rows = len(open_page(session, organisation))
            note(f"open, repository, {label}", partial(open_page, session, organisation), rows)
            if (listed := _listed(session, organisation, now)) is not None:
                note(f"open (sent), listed_requests, {label}", listed, rows)
        counts, longest = overdue_overview(session, now)
        overdue = sum(c.overdue for c in counts)
        note("overdue overview", lambda: overdue_overview(session, now), overdue)
        shown = figures_dashboard(session, now)
        note("figures dashboard (who answers how fast)", partial(figures_dashboard, session, now),
             sum(f.sent for f in shown))  # fmt: skip
        if "since" in inspect.signature(organisation_figures).parameters:  # a window: 90 days
            since = now - timedelta(days=90)
            windowed = partial(organisation_figures, session, now=now, since=since)
            note("figures dashboard, last 90 days", windowed, sum(f.sent for f in windowed()))
    clients = _api_clients(factory, data_dir, ranked[0])
    if clients is None:
        print("  (no /api/v1/requests on this checkout: API not measured)", file=sys.stderr)
        return figures
    bank, analyst = clients
    asked = [(bank, "", "its requests"), (bank, "sent", "sent"), (bank, "seen", "seen")]
    for client, status, label in [*asked, (analyst, "overdue", "overdue, as an analyst")]:
        url = f"/api/v1/requests?status={status}" if status else "/api/v1/requests"
        rows = len(_get(client, url).json()["items"])
        who = "" if client is analyst else ", as the largest organisation"
        note(f"API: {label}{who}", partial(_get, client, url), rows)
    return figures


def _get(client: Any, url: str) -> Any:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{response.request.url}: {response.status_code} {response.text[:200]}")
    return response


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--database-url", help="an empty database to fill (default: SQLite)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    from tipline.db import make_engine

    args = parse_args(argv)
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="tipline-requests-bench-") as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'requests.db'}"
        engine = make_engine(url)
        load_before = os.getloadavg()
        seconds = build(engine, args.organisations, args.requests, args.seed, now)
        print(f"built in {seconds:.1f} s on {engine.dialect.name}", file=sys.stderr)
        figures = measure(engine, args.runs, now, Path(folder) / "data")
        engine.dispose()
    result = {
        "backend": engine.dialect.name, "requests": args.requests,
        "organisations": args.organisations, "runs": args.runs, "build_seconds": round(seconds, 1),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "at": now.strftime("%Y-%m-%d %H:%M UTC"), "figures": figures,
    }  # fmt: skip
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
