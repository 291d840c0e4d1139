"""the rooms of a stay of several rooms; approval of large groups

One row per room of a booking that holds several rooms under one reference: the room type,
the room held, the guests it sleeps, its share of the price and, once cancelled on its own,
when. A stay of one room keeps its room on the booking as before, so existing rows need no
copy here. ``bookings.approval``: a group booked by chat above the venue's limits waits for
staff to accept or decline it (null for every other booking, so existing rows stay as they
are).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "booking_rooms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("room_type_id", sa.Integer(), nullable=False),
        sa.Column("resource", sa.String(length=40), nullable=False),
        sa.Column("guests", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["bookings.id"],
            name=op.f("fk_booking_rooms_booking_id_bookings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["room_type_id"],
            ["room_types.id"],
            name=op.f("fk_booking_rooms_room_type_id_room_types"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_rooms")),
    )
    with op.batch_alter_table("booking_rooms", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_booking_rooms_booking_id"), ["booking_id"], unique=False
        )
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("approval", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_column("approval")
    with op.batch_alter_table("booking_rooms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_rooms_booking_id"))

    op.drop_table("booking_rooms")
