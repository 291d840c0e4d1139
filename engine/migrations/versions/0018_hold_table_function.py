"""a table's hold in one statement: ``bookline_hold_table``

``place_hold`` for a restaurant table on PostgreSQL cost a chat turn eight round trips: the
tables, the opening hours with closures, the claims in the turn, the booking, then a
savepoint, the claims and its release, and the audit row (and the hold rate's count before
them). The function does what that path does, in one statement: the guest's hold rate, the
start checked against the opening hours (a window of the start's local date, or of the day
before that runs past midnight, on a day not closed), the tables (or combinable pairs) that
seat the party in the plan's order (tightest fit first, a pair's first label compared as
Python compares strings), the deposit with the guest's no-shows where the caller's rule counts
them, the booking under the first free reference, each seating free of live claims claimed
all or none (a subtransaction undoes a partial claim), and the audit row.

It decides only what it can prove as Python would: a start it cannot place on the grid, or a
party no seating fits, answers ``invalid`` and the caller's Python path says why. A turn that
ends near a clock change going back may be answered ``invalid`` where Python would seat it
(the closing instant is taken as the earlier of two readings of its wall time), never the
other way round. A claim that collides with a lapsed hold answers ``lapsed``, having written
nothing, as a stay's does. SQLite has no stored functions; there ``place_hold`` keeps the
Python path.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 21:45:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HOLD_TABLE_SIGNATURE = (
    "bookline_hold_table(integer, integer, integer, timestamptz, timestamptz, timestamp, text,"
    " integer, text[], timestamptz, timestamptz, text, text, text, text[], text, timestamptz,"
    " integer, integer, integer, integer)"
)

HOLD_TABLE = """
CREATE FUNCTION bookline_hold_table(
    p_venue integer, p_guest integer, p_party integer, p_starts_at timestamptz,
    p_ends_at timestamptz, p_local_start timestamp, p_zone text, p_slot_minutes integer,
    p_units text[], p_now timestamptz, p_expires timestamptz, p_channel text, p_currency text,
    p_notes text, p_references text[], p_actor text, p_holds_since timestamptz,
    p_holds_most integer, p_amount integer, p_no_show_amount integer, p_no_shows_after integer,
    OUT o_outcome text, OUT o_booking_id integer, OUT o_reference text, OUT o_resources text[],
    OUT o_amount integer, OUT o_event_id integer
) LANGUAGE plpgsql AS $$
DECLARE
    v_seating text[];
    v_wanted integer;
    v_taken integer;
    v_free boolean;
BEGIN
    IF p_holds_most IS NOT NULL AND (
        SELECT count(*) FROM bookings b
        WHERE b.guest_id = p_guest AND b.created_at > p_holds_since
    ) >= p_holds_most THEN
        o_outcome := 'rate_limited';
        RETURN;
    END IF;
    o_outcome := 'invalid';  -- the caller's Python path says why
    IF NOT EXISTS (
        SELECT 1
        FROM (VALUES (p_local_start::date), (p_local_start::date - 1)) AS d(day)
        JOIN opening_hours h
          ON h.venue_id = p_venue AND h.weekday = extract(isodow FROM d.day)::integer - 1
        CROSS JOIN LATERAL (
            SELECT d.day + h.opens AS opens,
                   d.day + h.closes
                   + CASE WHEN h.closes <= h.opens THEN interval '1 day' ELSE interval '0' END
                   AS closes
        ) AS w
        WHERE NOT EXISTS (SELECT 1 FROM closures c WHERE c.venue_id = p_venue AND c.day = d.day)
          AND p_local_start >= w.opens AND p_local_start < w.closes
          AND extract(epoch FROM p_local_start - w.opens)::bigint % (p_slot_minutes * 60) = 0
          AND p_ends_at <= least(
              w.closes AT TIME ZONE p_zone,
              (w.closes - interval '3 hours') AT TIME ZONE p_zone + interval '3 hours')
    ) THEN
        RETURN;
    END IF;
    o_amount := p_amount;
    IF p_no_shows_after IS NOT NULL AND (
        SELECT count(DISTINCT b.id) FROM bookings b
        JOIN booking_events e ON e.booking_id = b.id
        WHERE b.guest_id = p_guest AND b.status = 'no_show'
          AND e.to_status = 'no_show' AND e.at <= p_now
    ) >= p_no_shows_after THEN
        o_amount := p_no_show_amount;
    END IF;
    FOR v_seating, v_wanted, v_free IN
        WITH t AS (
            SELECT 'table:' || t.id AS resource, t.label, t.seats, t.combine_group,
                   row_number() OVER (ORDER BY t.seats, t.label) AS n
            FROM tables t WHERE t.venue_id = p_venue AND t.active
        ), seatings AS (
            SELECT ARRAY[t.resource] AS resources, 0 AS kind, 0 AS seats, '' AS label,
                   t.n AS first, 0::bigint AS second
            FROM t WHERE t.seats >= p_party
            UNION ALL
            SELECT ARRAY[a.resource, b.resource], 1, a.seats + b.seats, a.label, a.n, b.n
            FROM t a JOIN t b ON b.n > a.n AND b.combine_group = a.combine_group
            WHERE a.combine_group <> '' AND a.seats < p_party AND b.seats < p_party
              AND p_party <= a.seats + b.seats
        )
        SELECT s.resources, cardinality(s.resources) * cardinality(p_units), NOT EXISTS (
            SELECT 1 FROM claims c
            WHERE c.venue_id = p_venue AND c.resource = ANY (s.resources)
              AND c.unit = ANY (p_units)
              AND c.booking_id NOT IN (
                  SELECT b.id FROM bookings b
                  WHERE b.status IN ('held', 'pending_payment')
                    AND b.hold_expires_at IS NOT NULL AND b.hold_expires_at <= p_now))
        FROM seatings s
        ORDER BY s.kind, s.seats, s.label COLLATE "C", s.first, s.second
    LOOP
        o_outcome := 'none';  -- a seating fits the party: no longer invalid
        CONTINUE WHEN NOT v_free;
        IF o_booking_id IS NULL THEN
            o_resources := v_seating;
            FOREACH o_reference IN ARRAY p_references LOOP
                INSERT INTO bookings (
                    reference, venue_id, guest_id, status, channel, party_size, starts_at,
                    ends_at, resources, amount, amount_paid, currency, hold_expires_at, notes,
                    created_at, updated_at)
                VALUES (
                    o_reference, p_venue, p_guest, 'held', p_channel, p_party, p_starts_at,
                    p_ends_at, to_json(v_seating), o_amount, 0, p_currency, p_expires, p_notes,
                    p_now, p_now)
                ON CONFLICT ON CONSTRAINT uq_bookings_reference DO NOTHING
                RETURNING id INTO o_booking_id;
                EXIT WHEN o_booking_id IS NOT NULL;
            END LOOP;
            IF o_booking_id IS NULL THEN
                RAISE EXCEPTION 'could not allocate a unique booking reference';
            END IF;
        END IF;
        BEGIN
            INSERT INTO claims (booking_id, venue_id, resource, unit)
            SELECT o_booking_id, p_venue, r, u
            FROM unnest(v_seating) AS r CROSS JOIN unnest(p_units) AS u
            ORDER BY r COLLATE "C", u COLLATE "C"
            ON CONFLICT ON CONSTRAINT uq_claims_resource_unit DO NOTHING;
            GET DIAGNOSTICS v_taken = ROW_COUNT;
            IF v_taken < v_wanted THEN  -- undo this seating's partial claim
                RAISE EXCEPTION USING ERRCODE = 'BL001';
            END IF;
        EXCEPTION WHEN SQLSTATE 'BL001' THEN
            v_taken := 0;
        END;
        IF v_taken > 0 THEN
            IF v_seating <> o_resources THEN
                o_resources := v_seating;
                UPDATE bookings SET resources = to_json(v_seating)
                WHERE bookings.id = o_booking_id;
            END IF;
            INSERT INTO booking_events (booking_id, at, from_status, to_status, actor, reason,
                                        details)
            VALUES (o_booking_id, p_now, NULL, 'held', p_actor, 'hold placed', '{}')
            RETURNING id INTO o_event_id;
            o_outcome := 'held';
            RETURN;
        END IF;
        IF EXISTS (
            SELECT 1 FROM claims c JOIN bookings b ON b.id = c.booking_id
            WHERE c.resource = ANY (v_seating) AND c.unit = ANY (p_units)
              AND b.status IN ('held', 'pending_payment')
              AND b.hold_expires_at IS NOT NULL AND b.hold_expires_at <= p_now
        ) THEN
            o_outcome := 'lapsed';
            EXIT;
        END IF;
    END LOOP;
    IF o_booking_id IS NOT NULL THEN
        DELETE FROM bookings WHERE bookings.id = o_booking_id;
        o_booking_id := NULL;
    END IF;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(HOLD_TABLE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION {HOLD_TABLE_SIGNATURE}")
