"""Migration 0011_h1: the campaigns cases held by a report-id label become stable identifiers,
on a database migrated to 0010 with cases in it (SQLite, or a fresh PostgreSQL database)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import JSON, Boolean, Engine, Table, Uuid, column, insert, select, table, text
from tests.conftest import POSTGRES_URL, _worker_database

from tipline.campaigns.models import Campaign
from tipline.cases.models import CaseCampaign
from tipline.db import make_engine
from tipline.db_types import UtcDateTime
from tipline.server.migrate import alembic_config, upgrade

T0 = datetime(2026, 1, 5, tzinfo=UTC)


@pytest.fixture
def fresh_engine(tmp_path: Path) -> Iterator[Engine]:
    if POSTGRES_URL:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        databases = _worker_database(POSTGRES_URL, f"{worker}_0011")
        url = next(databases)
        engine = make_engine(url)
        yield engine
        engine.dispose()
        databases.close()
    else:
        engine = make_engine(f"sqlite:///{tmp_path / 'before.db'}")
        yield engine
        engine.dispose()


def _light(name: str, *columns: str) -> Table:
    """The table as the migration before 0011_h1 left it, these columns only (no model's
    defaults: later columns must not reach a database that has none of them)."""
    kinds = {"uid": Uuid(), "merged_into": Uuid(), "created_at": UtcDateTime(timezone=True),
             "updated_at": UtcDateTime(timezone=True), "added_at": UtcDateTime(timezone=True),
             "triage_reasons": JSON(), "listed_values": JSON(), "anonymous": Boolean()}  # fmt: skip
    return table(name, *(column(c, kinds.get(c)) for c in columns))


REPORT = _light(
    "report", "id", "code", "channel", "narrative", "language", "category", "urgency",
    "urgency_rank", "triage_reasons", "listed_values", "anonymous", "status", "created_at",
    "updated_at",
)  # fmt: skip
PLACEMENT = _light("campaign_report", "report_id", "campaign_id")
CAMPAIGN = _light("campaign", "uid", "label", "created_at", "merged_into")
CASE = _light(
    "case_file", "id", "year", "number", "title", "status", "created_by", "created_at",
    "updated_at",
)  # fmt: skip
OLD_LINK = _light("case_campaign", "case_id", "campaign_id", "added_by", "added_at")


def _seed(engine: Engine) -> UUID:
    """Five reports: 1, 2, 4, 5 in one campaign (labelled 1, after 4's campaign merged into
    it), 3 alone. Case 1 holds labels 4 and 1 (both that campaign now); case 2 holds label 3 (a
    lone report, no identifier) and 99 (a report since deleted)."""
    merged_into, retired = uuid4(), uuid4()
    reports = [
        {"id": n, "code": f"TL-AAAA-AAA{n}", "channel": "api", "narrative": "…",
         "language": "vi", "category": "other", "urgency": "normal", "urgency_rank": 2,
         "triage_reasons": [], "listed_values": [], "anonymous": False, "status": "new",
         "created_at": T0, "updated_at": T0}
        for n in range(1, 6)
    ]  # fmt: skip
    cases = [
        {"id": n, "year": 2026, "number": n, "title": f"Case {n}", "status": "open",
         "created_by": "analyst:lan", "created_at": T0, "updated_at": T0}
        for n in (1, 2)
    ]  # fmt: skip
    links = [
        {"case_id": case_id, "campaign_id": label, "added_by": "analyst:lan",
         "added_at": T0 + timedelta(minutes=minutes)}
        for case_id, label, minutes in [(1, 4, 0), (1, 1, 1), (2, 3, 2), (2, 99, 3)]
    ]  # fmt: skip
    with engine.begin() as connection:
        connection.execute(insert(REPORT), reports)
        connection.execute(
            insert(PLACEMENT),
            [{"report_id": r, "campaign_id": 1 if r != 3 else 3} for r in range(1, 6)],
        )
        connection.execute(
            insert(CAMPAIGN),
            [
                {"uid": merged_into, "label": 1, "created_at": T0, "merged_into": None},
                {"uid": retired, "label": None, "created_at": T0, "merged_into": merged_into},
            ],
        )
        connection.execute(insert(CASE), cases)
        connection.execute(insert(OLD_LINK), links)
    return merged_into


def _before_0011_h1(engine: Engine) -> str:
    url = engine.url.render_as_string(hide_password=False)
    down = ScriptDirectory.from_config(alembic_config(url)).get_revision("0011_h1").down_revision
    assert isinstance(down, str)
    return down


def test_case_campaign_labels_become_identifiers_and_back(fresh_engine: Engine) -> None:
    before = _before_0011_h1(fresh_engine)
    upgrade(fresh_engine, before)
    merged_into = _seed(fresh_engine)
    upgrade(fresh_engine, "0011_h1")
    with fresh_engine.connect() as connection:
        links = connection.execute(
            select(CaseCampaign.case_id, CaseCampaign.campaign_uid, Campaign.label)
            .join(Campaign, Campaign.uid == CaseCampaign.campaign_uid)
            .order_by(CaseCampaign.case_id, CaseCampaign.added_at)
        ).all()
        gone = connection.scalar(select(Campaign.merged_into).where(Campaign.uid == links[-1][1]))
    # Case 1: labels 4 and 1 name one campaign now: one link, by its identifier.
    assert [(c, u, label) for c, u, label in links if c == 1] == [(1, merged_into, 1)]
    # Case 2: the lone report's campaign got an identifier; the deleted report's a dissolved one.
    assert [(c, label) for c, _, label in links if c == 2] == [(2, 3), (2, None)]
    assert gone is None
    url = fresh_engine.url.render_as_string(hide_password=False)
    with fresh_engine.begin() as connection:
        command.downgrade(alembic_config(url, connection), before)
    with fresh_engine.connect() as connection:
        rows = connection.execute(
            text("SELECT case_id, campaign_id FROM case_campaign ORDER BY case_id, campaign_id")
        ).all()
    assert [tuple(row) for row in rows] == [(1, 1), (2, 3)]
    upgrade(fresh_engine)
