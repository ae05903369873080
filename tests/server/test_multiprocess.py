"""Two `tipline serve` processes on one PostgreSQL behind Debian's nginx (deploy/nginx/tipline.conf)
take, all at once, citizens' reports, a platform's bulk batches sent three times over, checks
and feed pulls through nginx, while an import and a blocklist load run twice each beside them.

Afterwards: every acknowledged report is stored once (a bulk row's external id sent at once by
three senders is one report), no indicator row is doubled, the campaigns are the ones a rebuild
gives (every two reports sharing an indicator in one), and the limits counted in PostgreSQL held
across both processes: exactly 10 citizens' reports and exactly 25 checks accepted from one
address. PostgreSQL run only (nginx from scripts/ensure-system-deps.sh)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from tests.conftest import POSTGRES_URL
from tests.live_server import free_port, seed_triage_model, stop, wait_until_up
from tests.nginx import NGINX, running_nginx
from tests.server.databases import migrated_database

from tipline.accounts import service as accounts
from tipline.campaigns import repository as campaigns
from tipline.campaigns.core import rebuild
from tipline.campaigns.models import Campaign, CampaignReport
from tipline.db import make_engine, make_session_factory
from tipline.feeds.agreements import AgreementChange, set_agreement
from tipline.imports.core import read_rows
from tipline.imports.service import import_reports
from tipline.indicators.models import IndicatorRecord
from tipline.indicators.service import import_feed
from tipline.partners.service import add_organisation
from tipline.reports.models import Report

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not POSTGRES_URL, reason="several servers on one database need PostgreSQL"),
    pytest.mark.skipif(not NGINX.exists(), reason="Debian's nginx is not installed"),
]
REPORT_LIMIT, CHECK_LIMIT = 10, 25
# Two families of scams that never share an indicator: each must end as one campaign.
PHONES = (("0987 600 001", "0987 600 002", "0987 600 003"),
          ("0912 600 004", "0912 600 005", "0912 600 006"))  # fmt: skip
DOMAINS = ("vcb-hoantien-1.com", "vcb-hoantien-2.com")


def narrative(n: int) -> str:
    """A report naming two phones of family n % 2 (and, in family 0, a blocklisted domain)."""
    family = PHONES[n % 2]
    link = f" Link https://{DOMAINS[(n // 2) % 2]}/dang-nhap" if n % 2 == 0 else ""
    return f"Kẻ gian gọi {family[n % 3]} rồi {family[(n + 1) % 3]}, bắt chuyển tiền.{link}"


@dataclass
class Answers:
    """What the servers acknowledged, by kind of request."""

    public: list[httpx.Response] = field(default_factory=list)
    bulk: list[dict[str, Any]] = field(default_factory=list)
    checks: list[int] = field(default_factory=list)
    feeds: list[httpx.Response] = field(default_factory=list)
    imported: list[int] = field(default_factory=list)


@pytest.fixture(scope="module")
def multi_url() -> Iterator[str]:
    yield from migrated_database("multi")


@pytest.fixture(scope="module")
def factory(multi_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(multi_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def platform_token(factory: sessionmaker[Session]) -> str:
    """A platform's token whose organisation has a feed agreement (phones and domains)."""
    with factory() as session:
        add_organisation(session, "cli:test", "Bank M", "bank")
        change = AgreementChange(
            frozenset({"phone", "domain"}), frozenset({"fraud.impersonation"}), 0
        )
        set_agreement(session, "cli:test", "Bank M", change)
        accounts.create_user(session, "cli:test", "bankm", "platform", "correct horse battery",
                             organisation="Bank M")  # fmt: skip
        token = accounts.create_token(session, "cli:test", "bankm", "bulk").plaintext
        session.commit()
    return token


@contextmanager
def tipline_processes(data_dir: Path, database_url: str, count: int) -> Iterator[list[int]]:
    """`count` `tipline serve` processes on one data folder and database, as a deployment on
    one machine runs them behind nginx; their ports. Stopped at the end."""
    seed_triage_model(data_dir)
    env = os.environ | {
        "TIPLINE_DATA_DIR": str(data_dir),
        "TIPLINE_DATABASE_URL": database_url,
        "TIPLINE_SECRET_KEY": "one key for every process of the deployment",
        "TIPLINE_TRUSTED_PROXIES": "1",
        "TIPLINE_RATE_LIMIT_REPORTS": f"{REPORT_LIMIT}/minute",
        "TIPLINE_RATE_LIMIT_CHECKS": f"{CHECK_LIMIT}/minute",
        "TIPLINE_RATE_LIMIT_CHECKS_IN_MEMORY": "false",  # docs/scaling.md: several processes
        "TIPLINE_FEED_REFRESH_SECONDS": "1",  # the feed refreshed during the load
    }
    ports = [free_port() for _ in range(count)]
    with ExitStack() as stack:
        servers = []
        for port in ports:
            log = stack.enter_context((data_dir / f"server-{port}.log").open("wb"))
            serve = [sys.executable, "-m", "tipline", "serve", "--host", "127.0.0.1",
                     "--port", str(port)]  # fmt: skip
            servers.append(subprocess.Popen(serve, env=env, stdout=log, stderr=subprocess.STDOUT))
        try:
            for port, server in zip(ports, servers, strict=True):
                health = f"http://127.0.0.1:{port}/api/v1/health"
                wait_until_up(health, server, data_dir / f"server-{port}.log")
            yield ports
        finally:
            for server in servers:
                server.send_signal(signal.SIGTERM)  # both at once, then wait for each
            for server in servers:
                stop(server)


def load(base: str, token: str, factory: sessionmaker[Session]) -> Answers:
    """Every kind of request at once (a pool of 12 threads); what each was answered."""
    answers = Answers()
    bearer = {"Authorization": f"Bearer {token}"}
    batches = [[{"external_id": f"m-{n}", "narrative": narrative(n)} for n in range(k, k + 8)]
               for k in (0, 8)]  # fmt: skip
    csv_text = "external_id,narrative\n" + "".join(f'h-{n},"{narrative(n)}"\n' for n in range(12))
    blocklist = "\n".join(DOMAINS).encode()

    with httpx.Client(base_url=base, timeout=60) as client, ThreadPoolExecutor(12) as pool:

        def public(n: int) -> None:
            forged = {"X-Forwarded-For": f"198.51.100.{n}"}  # written by the client: ignored
            body = {"narrative": narrative(n + 100)}
            answers.public.append(client.post("/api/v1/reports", json=body, headers=forged))

        def bulk(batch: list[dict[str, str]]) -> None:
            sent = client.post("/api/v1/reports/bulk", json={"reports": batch}, headers=bearer)
            assert sent.status_code == 200, sent.text
            answers.bulk.append(sent.json())

        def check(n: int) -> None:
            value = PHONES[n % 2][n % 3]
            answers.checks.append(client.get("/api/v1/check", params={"value": value}).status_code)

        def pull(_: int) -> None:
            answers.feeds.append(client.get("/api/v1/feeds/indicators", headers=bearer))

        def import_file(_: int) -> None:
            with factory() as session:
                rows = read_rows("hotline.csv", csv_text.encode())
                summary = import_reports(session, rows, "hotline", batch_size=4)
            answers.imported.append(summary.imported)

        def load_blocklist(_: int) -> None:
            with factory() as session:
                import_feed(session, blocklist, "ChongLuaDao", "fraud.phishing", batch_size=1)

        work: list[tuple[Callable[[Any], None], Any]] = [
            *[(public, n) for n in range(14)],
            *[(bulk, batch) for batch in batches for _ in range(3)],
            *[(check, n) for n in range(CHECK_LIMIT + 10)],
            *[(pull, n) for n in range(4)],
            (import_file, 0), (import_file, 1), (load_blocklist, 0), (load_blocklist, 1),
        ]  # fmt: skip
        futures: list[Future[None]] = [pool.submit(task, arg) for task, arg in work]
        for future in futures:
            future.result()
    return answers


def test_two_processes_behind_nginx_lose_nothing_double_nothing_and_share_limits(
    factory: sessionmaker[Session], multi_url: str, platform_token: str, tmp_path: Path
) -> None:
    with (
        tipline_processes(tmp_path, multi_url, 2) as ports,
        running_nginx(ports) as proxy,
    ):
        answers = load(proxy.url, platform_token, factory)
        used = Counter(proxy.upstreams_used())
    assert {f"127.0.0.1:{port}" for port in ports} <= set(used), used  # both processes served
    for log in tmp_path.glob("server-*.log"):  # and neither met an error (its periodic work too)
        assert "Traceback" not in log.read_text("utf-8", "replace"), log.read_text("utf-8")

    # The limits counted in PostgreSQL held across both processes, forged addresses or not.
    statuses = Counter(answer.status_code for answer in answers.public)
    assert statuses == {201: REPORT_LIMIT, 429: 14 - REPORT_LIMIT}
    assert Counter(answers.checks) == {200: CHECK_LIMIT, 429: 10}
    assert [answer.status_code for answer in answers.feeds] == [200] * 4

    with factory() as session:
        assert_each_report_once(session, answers)
        assert_no_doubled_indicator(session)
        assert_campaigns_as_rebuilt(session)


def assert_each_report_once(session: Session, answers: Answers) -> None:
    public = {answer.json()["code"] for answer in answers.public if answer.status_code == 201}
    # Each external id answered with one code by every sender, and stored once.
    codes_of: dict[str, set[str]] = {}
    for receipt in answers.bulk:
        for result in receipt["results"]:
            codes_of.setdefault(result["external_id"], set()).add(result["code"])
    assert {key: len(codes) for key, codes in codes_of.items()} == {f"m-{n}": 1 for n in range(16)}
    created = sum(receipt["created"] for receipt in answers.bulk)
    assert created == 16
    assert sum(answers.imported) == 12  # the two imports of one file share its rows
    stored = Counter(session.scalars(select(Report.code)))
    assert max(stored.values()) == 1
    acknowledged = public | {code for codes in codes_of.values() for code in codes}
    assert acknowledged <= set(stored)
    hotline = session.scalar(select(func.count()).where(Report.source == "hotline"))
    assert hotline == 12
    assert len(stored) == len(acknowledged) + 12


def assert_no_doubled_indicator(session: Session) -> None:
    key = (IndicatorRecord.kind, IndicatorRecord.value)
    counted = select(*key, func.count()).group_by(*key).having(func.count() > 1)
    assert session.execute(counted).all() == []
    for domain in DOMAINS:
        found = select(func.count()).where(IndicatorRecord.value == domain)
        assert session.scalar(found) == 1


def assert_campaigns_as_rebuilt(session: Session) -> None:
    stored = dict(
        session.execute(select(CampaignReport.report_id, CampaignReport.campaign_id)).all()
    )
    reports, indicators = campaigns.merging_links(session)
    expected = rebuild(reports, indicators, lone_report_ids=campaigns.report_ids(session))
    assert stored == expected.as_dict()
    # Two families, two campaigns, each labelled by its smallest report and named once.
    members: dict[int, set[int]] = {}
    for report, label in stored.items():
        members.setdefault(label, set()).add(report)
    assert len(members) == 2
    assert all(label == min(reports) for label, reports in members.items())
    assert sum(len(reports) for reports in members.values()) == len(stored)
    labels = session.scalars(select(Campaign.label).where(Campaign.label.is_not(None))).all()
    assert sorted(labels) == sorted(members)
