"""attendance: arrivals and bookings found not arrived

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AWAITING_ARRIVAL = sa.text("status = 'confirmed' AND arrived_at IS NULL AND not_arrived_at IS NULL")
INDEXES = {
    "ix_bookings_seatings_awaiting_arrival": "starts_at",
    "ix_bookings_stays_awaiting_arrival": "check_in",
}


def upgrade() -> None:
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("not_arrived_at", sa.DateTime(timezone=True), nullable=True))
    for name, column in INDEXES.items():
        op.create_index(
            name,
            "bookings",
            [column],
            unique=False,
            postgresql_where=AWAITING_ARRIVAL,
            sqlite_where=AWAITING_ARRIVAL,
        )


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="bookings")
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_column("not_arrived_at")
        batch_op.drop_column("arrived_at")
