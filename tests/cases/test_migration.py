"""Migration 0011_h1: the campaigns cases held by a report-id label become stable identifiers,
on a database migrated to 0010 with cases in it (SQLite, or a fresh PostgreSQL database)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast
from uuid import UUID, uuid4

import pytest
from alembic import command
from sqlalchemy import Engine, Table, insert, select, text
from tests.conftest import POSTGRES_URL, _worker_database

from tipline.campaigns.models import Campaign, CampaignReport
from tipline.cases.models import Case, CaseCampaign
from tipline.db import make_engine
from tipline.reports.models import Report
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


def table(model: Any) -> Table:
    return cast(Table, model.__table__)


def _seed(engine: Engine) -> tuple[UUID, UUID]:
    """Five reports: 1, 2, 4, 5 in one campaign (labelled 1, after 4's campaign merged into
    it), 3 alone. Case 1 holds labels 4 and 1 (both that campaign now); case 2 holds label 3 (a
    lone report, no identifier) and 99 (a report since deleted)."""
    merged_into, retired = uuid4(), uuid4()
    reports = [
        {"id": n, "code": f"TL-AAAA-AAA{n}", "channel": "api", "narrative": "…",
         "language": "vi", "category": "other", "urgency": "normal", "urgency_rank": 2}
        for n in range(1, 6)
    ]  # fmt: skip
    cases = [
        {"id": n, "year": 2026, "number": n, "title": f"Case {n}", "status": "open",
         "created_by": "analyst:lan", "created_at": T0, "updated_at": T0}
        for n in (1, 2)
    ]  # fmt: skip
    links = [(1, 4, 0), (1, 1, 1), (2, 3, 2), (2, 99, 3)]
    link_table = text(
        "INSERT INTO case_campaign (case_id, campaign_id, added_by, added_at) "
        "VALUES (:case_id, :campaign_id, 'analyst:lan', :added_at)"
    )
    with engine.begin() as connection:
        connection.execute(insert(table(Report)), reports)
        connection.execute(
            insert(table(CampaignReport)),
            [{"report_id": r, "campaign_id": 1 if r != 3 else 3} for r in range(1, 6)],
        )
        connection.execute(
            insert(table(Campaign)),
            [
                {"uid": merged_into, "label": 1, "created_at": T0, "merged_into": None},
                {"uid": retired, "label": None, "created_at": T0, "merged_into": merged_into},
            ],
        )
        connection.execute(insert(table(Case)), cases)
        for case_id, label, minutes in links:
            at = T0 + timedelta(minutes=minutes)
            connection.execute(
                link_table, {"case_id": case_id, "campaign_id": label, "added_at": at}
            )
    return merged_into, retired


def test_case_campaign_labels_become_identifiers_and_back(fresh_engine: Engine) -> None:
    upgrade(fresh_engine, "0010_h10")
    merged_into, _ = _seed(fresh_engine)
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
        command.downgrade(alembic_config(url, connection), "0010_h10")
    with fresh_engine.connect() as connection:
        rows = connection.execute(
            text("SELECT case_id, campaign_id FROM case_campaign ORDER BY case_id, campaign_id")
        ).all()
    assert [tuple(row) for row in rows] == [(1, 1), (2, 3)]
    upgrade(fresh_engine)
