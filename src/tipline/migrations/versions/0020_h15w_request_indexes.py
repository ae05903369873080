"""requests to organisations: indexes for an organisation's requests and everyone's, newest
first, and for the overdue overview

`bench/org_requests.py` (100,000 requests, 1,000 organisations): the largest bank's page of its open
requests sorted some 3,000 rows (about 40 ms on SQLite), and all its requests some 15,000 (over
200 ms); the staff's newest requests sorted the whole table (80 ms). With these, each walks an
index and stops at the page's end (under 1 ms). The overdue overview's counts per organisation
read (status, due_at, organisation_id) alone, no table row (tipline.orgrequests.overdue): the
index on (status, due_at) gains the organisation as its last column.

Revision ID: 0020_h15w
Revises: 0019_h15w
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0020_h15w"
down_revision: str | None = "0019_h15w"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("org_request", schema=None) as batch_op:
        batch_op.create_index(
            "ix_org_request_organisation_created", ["organisation_id", "created_at", "id"]
        )
        batch_op.create_index("ix_org_request_created", ["created_at", "id"])
        batch_op.drop_index("ix_org_request_status_due")
        batch_op.create_index("ix_org_request_status_due", ["status", "due_at", "organisation_id"])


def downgrade() -> None:
    with op.batch_alter_table("org_request", schema=None) as batch_op:
        batch_op.drop_index("ix_org_request_status_due")
        batch_op.create_index("ix_org_request_status_due", ["status", "due_at"])
        batch_op.drop_index("ix_org_request_created")
        batch_op.drop_index("ix_org_request_organisation_created")
