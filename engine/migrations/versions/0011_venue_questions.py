"""venue questions and answers

The owner's questions and answers for guests, one row each, in the owner's order, with other
phrasings and translations (JSON). The venue's structured facts live in its settings.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "venue_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("venue_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=300), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("phrasings", sa.JSON(), nullable=False),
        sa.Column("translations", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["venue_id"],
            ["venues.id"],
            name=op.f("fk_venue_questions_venue_id_venues"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_venue_questions")),
    )
    with op.batch_alter_table("venue_questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_venue_questions_venue_id"), ["venue_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("venue_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_venue_questions_venue_id"))

    op.drop_table("venue_questions")
