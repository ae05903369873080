"""Two tipline instances on loopback (two SQLite databases, two live servers) exchange
indicators under different policies: B syncs from A and receives exactly what A's policy for B
admits, pushes its own back to A's inbox; A syncs from B likewise; a second sync moves nothing;
and no report's personal data ever crosses."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from tests import live_server
from tests.live_server import running_tipline

from tipline.accounts.service import create_user
from tipline.db import Base, make_engine, make_session_factory
from tipline.indicators.models import (
    IndicatorRecord,
    IndicatorReview,
    IndicatorSource,
    ReportIndicator,
)
from tipline.partners.models import Partner
from tipline.partners.service import add_partner
from tipline.reports.models import Report
from tipline.sealing import sealing_key
from tipline.server.migrate import upgrade
from tipline.settings import Settings
from tipline.sharing.service import publish
from tipline.sharing.sync.core import Credentials
from tipline.sharing.sync.service import SyncResult, set_endpoint, sync_partner

ACTOR = "cli:test"
WHEN = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Seed:
    """A confirmed indicator of a report: its TLP, the report's category, whose value it is."""

    kind: str
    value: str
    tlp: str | None
    category: str
    reporter_own: bool = False


# A's policy for B: up to GREEN, no bank accounts, no sextortion reports.
A_SEEDS = (
    Seed("phone", "+84912000001", "clear", "fraud.investment"),
    Seed("url", "https://lua-dao-otp.example/xac-thuc", "green", "fraud.phishing"),
    Seed("domain", "shop-gia-re.xyz", "amber", "fraud.shopping"),  # TLP above
    Seed("bank_account", "VCB:0451000123999", "clear", "fraud.investment"),  # kind excluded
    Seed("phone", "+84912000002", "clear", "sextortion"),  # category excluded
    Seed("email", "ho-tro@lua-dao-otp.example", None, "fraud.phishing"),  # default: amber
    Seed("phone", "+84987654321", "clear", "fraud.investment", reporter_own=True),  # hers
)
A_TO_B = {("phone", "+84912000001"), ("url", "https://lua-dao-otp.example/xac-thuc")}
# B's policy for A: up to AMBER, everything else.
B_SEEDS = (
    Seed("phone", "+66812345678", "clear", "fraud.romance"),
    Seed("domain", "romance-visa-th.xyz", "amber", "fraud.romance"),
    Seed("url", "https://red-only.example/login", "red", "fraud.phishing"),  # TLP above
)
B_TO_A = {("phone", "+66812345678"), ("domain", "romance-visa-th.xyz")}
# Personal data in each instance's reports: none of it may reach the other.
A_PERSONAL = ("Nguyễn Thị Hoa", "hoa.nguyen@example.vn", "+84987654321", "Hoa lost 40 million")
B_PERSONAL = ("Somchai Jaidee", "somchai@example.th", "Somchai met her on a dating app")
PASSWORDS = {"agency-b": "b-at-a-password-2026", "agency-a": "a-at-b-password-2026"}


@dataclass
class Instance:
    folder: Path
    engine: Engine

    def session(self) -> Session:
        return make_session_factory(self.engine)()

    @property
    def key(self) -> bytes:
        return sealing_key(None, self.folder)


def seed_instance(folder: Path, seeds: tuple[Seed, ...], personal: tuple[str, ...]) -> Instance:
    """A migrated database with one report per seed (its narrative and contact personal data),
    each seed's link confirmed by an analyst, and everything shareable published."""
    folder.mkdir()
    engine = make_engine(f"sqlite:///{folder / 'tipline.db'}")
    upgrade(engine)
    with make_session_factory(engine)() as session:
        for i, seed in enumerate(seeds):
            report = Report(
                code=f"TL-{folder.name.upper()}-{i:04d}", channel="web", language="vi",
                narrative=f"{personal[0]}: {personal[-1]} ({seed.value})",
                reporter_contact=personal[1], category=seed.category, urgency="high",
                triage_reasons=[], listed_values=[], status="new",
                created_at=WHEN + timedelta(hours=i), updated_at=WHEN + timedelta(hours=i),
            )  # fmt: skip
            indicator = IndicatorRecord(
                kind=seed.kind, value=seed.value, tlp=seed.tlp, first_seen=WHEN,
                last_seen=WHEN, report_count=1,
            )  # fmt: skip
            session.add_all([report, indicator])
            session.flush()
            session.add_all([
                ReportIndicator(report_id=report.id, indicator_id=indicator.id, confirmed=True,
                                reporter_own=seed.reporter_own),
                IndicatorReview(report_id=report.id, indicator_id=indicator.id,
                                state="confirmed", actor="analyst:lan", reviewed_at=WHEN),
            ])  # fmt: skip
        publish(session, Settings(data_dir=folder))
        session.commit()
    return Instance(folder, engine)


def admit(instance: Instance, partner: str, user: str, **policy: str) -> None:
    """A partner agency at this instance, its policy, and the user its TAXII client signs in as."""
    with instance.session() as session:
        record = add_partner(session, ACTOR, partner, "TH" if partner == "Agency B" else "VN")
        for name, value in policy.items():
            setattr(record, name, value)
        session.commit()
        create_user(session, ACTOR, user, "partner", PASSWORDS[user], partner=partner)


def point_at(instance: Instance, partner: str, url: str, user: str) -> None:
    """Tell this instance where the partner's server is and how to sign in there."""
    with instance.session() as session:
        credentials = Credentials("basic", user, PASSWORDS[user])
        set_endpoint(session, ACTOR, partner, f"{url}/taxii2/", credentials, instance.key)


def sync(instance: Instance, partner_name: str) -> SyncResult:
    with instance.session() as session:
        partner = session.scalars(select(Partner).where(Partner.name == partner_name)).one()
        return sync_partner(session, ACTOR, partner, instance.key)


def received(instance: Instance, source: str) -> set[tuple[str, str]]:
    """The indicators this instance holds from a partner (kind, value)."""
    statement = (
        select(IndicatorRecord.kind, IndicatorRecord.value)
        .join(IndicatorSource, IndicatorSource.indicator_id == IndicatorRecord.id)
        .where(IndicatorSource.source == source)
    )
    with instance.session() as session:
        return {(kind, value) for kind, value in session.execute(statement)}


def every_text(instance: Instance) -> str:
    """Every value of every table of the instance's database, as one text."""
    with instance.session() as session:
        return "\n".join(
            repr(tuple(row))
            for table in Base.metadata.sorted_tables
            for row in session.execute(select(table))
        )


# Two servers start at once here: on a machine that other jobs load, each may take two minutes.
START_SECONDS = 300


@contextmanager
def both_serving(first: Path, second: Path) -> Iterator[tuple[str, str]]:
    """Both instances' servers, started side by side (each takes a while on a busy machine)."""
    with ExitStack() as stack, pytest.MonkeyPatch.context() as patch:
        patch.setattr(live_server, "START_SECONDS", START_SECONDS)
        servers = [running_tipline(first), running_tipline(second)]
        with ThreadPoolExecutor(2) as pool:
            starting = [pool.submit(server.__enter__) for server in servers]
            for server, started in zip(servers, starting, strict=True):
                stack.push(server)  # stopped at the end if it started, even if the other failed
                started.exception()
        url_a, url_b = (started.result() for started in starting)
        yield url_a, url_b


@pytest.fixture(scope="module")
def instances(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Instance, Instance]]:
    root = tmp_path_factory.mktemp("two-instances")
    a = seed_instance(root / "a", A_SEEDS, A_PERSONAL)
    b = seed_instance(root / "b", B_SEEDS, B_PERSONAL)
    admit(a, "Agency B", "agency-b", max_tlp="green", kinds="domain,email,phone,url",
          categories="fraud.investment,fraud.phishing,fraud.shopping")  # fmt: skip
    admit(b, "Agency A", "agency-a", max_tlp="amber")
    yield a, b
    a.engine.dispose()
    b.engine.dispose()


def test_two_instances_exchange_what_their_policies_admit(
    instances: tuple[Instance, Instance],
) -> None:
    a, b = instances
    with both_serving(a.folder, b.folder) as (url_a, url_b):
        point_at(b, "Agency A", url_a, "agency-b")
        point_at(a, "Agency B", url_b, "agency-a")

        b_from_a = sync(b, "Agency A")
        assert received(b, "Agency A") == A_TO_B  # nothing above GREEN, no bank, no sextortion
        assert received(a, "Agency B") == B_TO_A  # what B pushed to A's inbox
        assert (b_from_a.pulled > 0, b_from_a.pushed > 0) == (True, True)

        a_from_b = sync(a, "Agency B")
        assert received(a, "Agency B") == B_TO_A  # pulled again from B's server: the same
        assert received(b, "Agency A") == A_TO_B  # A's push admitted the same as B's pull
        assert a_from_b.pulled > 0

        again_b, again_a = sync(b, "Agency A"), sync(a, "Agency B")
        assert (again_b.pulled, again_b.pushed, again_a.pulled, again_a.pushed) == (0, 0, 0, 0)

    text_a, text_b = every_text(a), every_text(b)
    assert [p for p in A_PERSONAL if p in text_b] == []
    assert [p for p in B_PERSONAL if p in text_a] == []
    assert "+84987654321" not in text_b  # the victim's own phone, confirmed, is hers: not shared
