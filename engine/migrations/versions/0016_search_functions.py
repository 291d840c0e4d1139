"""a hotel search and a table search's read as PL/pgSQL functions, planned once per connection

``bookline_room_offers`` is the statement behind ``search_rooms`` (``hotel._OFFERS``) and
``bookline_seating_read`` the one behind ``read_seating_inputs`` (``seating_read._READ``), on
PostgreSQL: the same rows in the same order. A statement sent as text is planned afresh on
every execution (psycopg's prepared statements are dropped at every ROLLBACK, and a read-only
unit of work ends in one), and planning cost as much as running it: ~0.3 ms each. A PL/pgSQL
function keeps its statement's plan for the life of the server connection.

A claim blocks unless its booking is a lapsed hold (an unpaid hold whose time is up), read as
``booking_id NOT IN`` those few bookings, as ``units.live_claim`` says. SQLite has no stored
functions; there the Core statements are the only path.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 15:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROOM_OFFERS_SIGNATURE = (
    "bookline_room_offers(integer, integer, integer, integer, date, date, text, text, timestamptz)"
)
SEATING_READ_SIGNATURE = (
    "bookline_seating_read(integer, date, date, text, text, integer, timestamptz)"
)

ROOM_OFFERS = """
CREATE FUNCTION bookline_room_offers(
    p_venue integer, p_guests integer, p_room_type integer, p_nights integer,
    p_first_night date, p_last_night date, p_first_unit text, p_last_unit text,
    p_now timestamptz
) RETURNS TABLE (
    room_type_id integer, name text, capacity integer, total integer, rooms_left integer
) LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN QUERY
    SELECT t.id, t.name::text, t.capacity,
           t.nightly_rate * p_nights + (
               SELECT coalesce(sum(o.nightly_rate - t.nightly_rate), 0)::integer
               FROM rate_overrides o
               WHERE o.room_type_id = t.id AND o.night >= p_first_night
                 AND o.night <= p_last_night),
           count(r.id)::integer
    FROM room_types t JOIN rooms r ON r.room_type_id = t.id
    WHERE t.venue_id = p_venue AND t.capacity >= p_guests
      AND (p_room_type IS NULL OR t.id = p_room_type) AND r.active
      AND NOT EXISTS (
          SELECT FROM claims c
          WHERE c.resource = 'room:' || r.id
            AND c.unit >= p_first_unit AND c.unit <= p_last_unit
            AND c.booking_id NOT IN (
                SELECT b.id FROM bookings b
                WHERE b.status IN ('held', 'pending_payment')
                  AND b.hold_expires_at <= p_now))
    GROUP BY t.id
    ORDER BY t.nightly_rate, t.id;
END $$
"""

SEATING_READ = """
CREATE FUNCTION bookline_seating_read(
    p_venue integer, p_first_day date, p_last_day date, p_unit_from text, p_unit_to text,
    p_party integer, p_now timestamptz
) RETURNS TABLE (
    kind integer, table_id integer, text_value text, seats integer, other text,
    weekday integer, opens time, closes time, day date
) LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN QUERY
    SELECT * FROM (
        SELECT 0, t.id, t.label::text, t.seats, t.combine_group::text,
               NULL::integer, NULL::time, NULL::time, NULL::date
        FROM tables t WHERE t.venue_id = p_venue AND t.active
        UNION ALL
        SELECT 1, NULL, NULL, NULL, NULL, h.weekday, h.opens, h.closes, NULL
        FROM opening_hours h WHERE h.venue_id = p_venue
        UNION ALL
        SELECT 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, c.day
        FROM closures c
        WHERE c.venue_id = p_venue AND c.day >= p_first_day AND c.day <= p_last_day
        UNION ALL
        SELECT 3, NULL, c.resource::text, NULL, string_agg(c.unit, ','),
               NULL, NULL, NULL, NULL
        FROM claims c JOIN tables t ON c.resource = 'table:' || t.id
        WHERE t.venue_id = p_venue AND t.active
          AND (t.seats >= p_party OR t.combine_group IS NOT NULL)
          AND c.unit >= p_unit_from AND c.unit < p_unit_to
          AND c.booking_id NOT IN (
              SELECT b.id FROM bookings b
              WHERE b.status IN ('held', 'pending_payment') AND b.hold_expires_at <= p_now)
        GROUP BY c.resource
    ) AS r (kind, table_id, text_value, seats, other, weekday, opens, closes, day)
    ORDER BY r.kind, r.seats, r.text_value;
END $$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(ROOM_OFFERS)
        op.execute(SEATING_READ)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION {SEATING_READ_SIGNATURE}")
        op.execute(f"DROP FUNCTION {ROOM_OFFERS_SIGNATURE}")
