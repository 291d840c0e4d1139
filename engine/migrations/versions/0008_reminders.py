"""reminders: the guest's confirmation on a booking, and the indexes the sweep reads by

The reminder sweep looks, venue by venue, for bookings starting within the next hours:
restaurants by ``starts_at``, hotels by ``check_in``.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 08:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("guest_confirmed_at", sa.DateTime(timezone=True)))
        batch_op.create_index("ix_bookings_venue_starts_at", ["venue_id", "starts_at"])
        batch_op.create_index("ix_bookings_venue_check_in", ["venue_id", "check_in"])


def downgrade() -> None:
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_index("ix_bookings_venue_check_in")
        batch_op.drop_index("ix_bookings_venue_starts_at")
        batch_op.drop_column("guest_confirmed_at")
