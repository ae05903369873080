"""cases name campaigns by their stable identifier (campaign.uid), not by a report-id label

A case's campaign was stored as the label it had when linked (its smallest report id), and
followed that report's campaign afterwards. Each link becomes the identifier of the campaign
that report is in now; a link whose campaign has no identifier yet (a lone report) gets one, and
a link whose report is gone gets a dissolved one (it resolves to nothing, and the case page says
so): no link is dropped. Two links of one case that now name one campaign become one.

Revision ID: 0011_h1
Revises: 0011_h8
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

import tipline.db_types

revision: str = "0011_h1"
down_revision: str | None = "0011_h8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
CAMPAIGN = sa.table(
    "campaign",
    sa.column("uid", sa.Uuid()),
    sa.column("label", _ID),
    sa.column("created_at", tipline.db_types.UtcDateTime(timezone=True)),
    sa.column("merged_into", sa.Uuid()),
)
PLACEMENT = sa.table("campaign_report", sa.column("report_id", _ID), sa.column("campaign_id", _ID))


def _old_links() -> list[dict[str, Any]]:
    links = sa.table(
        "case_campaign",
        sa.column("case_id", _ID),
        sa.column("campaign_id", _ID),
        sa.column("added_by", sa.String()),
        sa.column("added_at", tipline.db_types.UtcDateTime(timezone=True)),
    )
    rows = op.get_bind().execute(sa.select(links).order_by(links.c.added_at, links.c.campaign_id))
    return [dict(row._mapping) for row in rows]


def _create_links(key: sa.Column[Any]) -> sa.Table:
    table = op.create_table(
        "case_campaign",
        sa.Column("case_id", _ID, nullable=False),
        key,
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", tipline.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"],
            name=op.f("fk_case_campaign_case_id_case_file"), ondelete="CASCADE",
        ),
        *(
            [sa.ForeignKeyConstraint(
                ["campaign_uid"], ["campaign.uid"],
                name=op.f("fk_case_campaign_campaign_uid_campaign"),
            )]
            if key.name == "campaign_uid" else []
        ),
        sa.PrimaryKeyConstraint("case_id", key.name, name=op.f("pk_case_campaign")),
    )  # fmt: skip
    op.create_index(op.f(f"ix_case_campaign_{key.name}"), "case_campaign", [key.name])
    return table


def _uid_of_link(connection: sa.Connection, linked: int, minted: dict[int, uuid.UUID]) -> uuid.UUID:
    """The identifier of the campaign the linked report is in now, made if it has none."""
    label = connection.scalar(
        sa.select(PLACEMENT.c.campaign_id).where(PLACEMENT.c.report_id == linked)
    )
    if label is not None:
        found = connection.scalar(sa.select(CAMPAIGN.c.uid).where(CAMPAIGN.c.label == label))
        if found is not None:
            return found
    key = label if label is not None else -linked
    if key not in minted:
        minted[key] = uuid.uuid4()
        connection.execute(
            sa.insert(CAMPAIGN).values(
                uid=minted[key], label=label, created_at=datetime.now(UTC), merged_into=None
            )
        )
    return minted[key]


def upgrade() -> None:
    connection = op.get_bind()
    old = _old_links()
    minted: dict[int, uuid.UUID] = {}
    rows: dict[tuple[int, uuid.UUID], dict[str, Any]] = {}
    for link in old:  # oldest first: a case keeps the first of two links to one campaign
        uid = _uid_of_link(connection, link["campaign_id"], minted)
        rows.setdefault(
            (link["case_id"], uid),
            {"case_id": link["case_id"], "campaign_uid": uid, "added_by": link["added_by"],
             "added_at": link["added_at"]},
        )  # fmt: skip
    op.drop_index(op.f("ix_case_campaign_campaign_id"), table_name="case_campaign")
    op.drop_table("case_campaign")
    table = _create_links(sa.Column("campaign_uid", sa.Uuid(), nullable=False))
    if rows:
        connection.execute(sa.insert(table), list(rows.values()))


def downgrade() -> None:
    connection = op.get_bind()
    links = sa.table(
        "case_campaign",
        sa.column("case_id", _ID),
        sa.column("campaign_uid", sa.Uuid()),
        sa.column("added_by", sa.String()),
        sa.column("added_at", tipline.db_types.UtcDateTime(timezone=True)),
    )
    survivor = CAMPAIGN.alias("survivor")
    named = CAMPAIGN.alias("named")
    label = sa.func.coalesce(named.c.label, survivor.c.label)
    stmt = (
        sa.select(links.c.case_id, label, links.c.added_by, links.c.added_at)
        .join(named, named.c.uid == links.c.campaign_uid)
        .outerjoin(survivor, survivor.c.uid == named.c.merged_into)
        .where(label.is_not(None))
    )
    rows: dict[tuple[int, int], dict[str, Any]] = {}
    for case_id, campaign_id, added_by, added_at in connection.execute(stmt):
        rows.setdefault(
            (case_id, campaign_id),
            {"case_id": case_id, "campaign_id": campaign_id, "added_by": added_by,
             "added_at": added_at},
        )  # fmt: skip
    op.drop_index(op.f("ix_case_campaign_campaign_uid"), table_name="case_campaign")
    op.drop_table("case_campaign")
    table = _create_links(sa.Column("campaign_id", _ID, nullable=False))
    if rows:
        connection.execute(sa.insert(table), list(rows.values()))
