"""lessons: trainers' session codes and the quizzes' anonymous totals

Revision ID: 0031_h19l
Revises: 0030_h19a
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tipline.db_types import BigId

revision: str = "0031_h19l"
down_revision: str | None = "0030_h19a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lesson_session",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.UniqueConstraint("code", name=op.f("uq_lesson_session_code")),
    )
    op.create_table(
        "quiz_tally",
        sa.Column("lesson", sa.String(length=80), primary_key=True),
        sa.Column("question", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("choice", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("session_code", sa.String(length=8), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("quiz_tally")
    op.drop_table("lesson_session")
