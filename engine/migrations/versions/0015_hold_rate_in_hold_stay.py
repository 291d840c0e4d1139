"""a stay's hold checks the guest's hold rate in the same statement

``bookline_hold_stay`` (migrations 0006 and 0014) is the statement behind ``place_hold`` for a
stay on PostgreSQL. The bot checked the guest's hold rate (``MAX_HOLDS_PER_HOUR``) with a
query of its own just before it, in the same unit of work: a round trip and an ORM query on
every hold. The function now takes the window and the most holds allowed in it
(``p_holds_since``, ``p_holds_most``; NULL: no limit) and answers ``rate_limited``, having
written nothing, when the guest started that many bookings since. Nothing else changes.
SQLite has no stored functions; there ``place_hold`` counts with a query first.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 15:20:00.000000
"""

from collections.abc import Sequence
from importlib import import_module
from types import ModuleType

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_HOLD_STAY_SIGNATURE = (
    "bookline_hold_stay(integer, integer, integer, integer, date, date, timestamptz,"
    " timestamptz, text, text, text, text[], text)"
)
NEW_HOLD_STAY_SIGNATURE = (
    "bookline_hold_stay(integer, integer, integer, integer, date, date, timestamptz,"
    " timestamptz, text, text, text, text[], text, timestamptz, integer)"
)

HOLD_STAY = """
CREATE FUNCTION bookline_hold_stay(
    p_venue integer, p_guest integer, p_room_type integer, p_party integer,
    p_check_in date, p_check_out date, p_now timestamptz, p_expires timestamptz,
    p_channel text, p_currency text, p_notes text, p_references text[], p_actor text,
    p_holds_since timestamptz, p_holds_most integer,
    OUT o_outcome text, OUT o_booking_id integer, OUT o_reference text, OUT o_resource text,
    OUT o_amount integer, OUT o_room_type_name text, OUT o_event_id integer
) LANGUAGE plpgsql AS $$
DECLARE
    v_units text[];
    v_room text;
    v_taken integer;
    v_rate integer;
BEGIN
    IF p_holds_most IS NOT NULL AND (
        SELECT count(*) FROM bookings b
        WHERE b.guest_id = p_guest AND b.created_at > p_holds_since
    ) >= p_holds_most THEN
        o_outcome := 'rate_limited';
        RETURN;
    END IF;
    SELECT t.name, t.nightly_rate INTO o_room_type_name, v_rate FROM room_types t
    WHERE t.id = p_room_type AND t.venue_id = p_venue AND t.capacity >= p_party;
    IF NOT FOUND THEN
        o_outcome := 'invalid';  -- the caller says why, as the Python path does
        RETURN;
    END IF;
    o_outcome := 'none';
    SELECT array_agg(to_char(d, 'YYYY-MM-DD') ORDER BY d) INTO v_units
    FROM generate_series(p_check_in, p_check_out - 1, interval '1 day') AS d;
    FOR v_room IN
        SELECT 'room:' || r.id FROM rooms r
        WHERE r.room_type_id = p_room_type AND r.active AND NOT EXISTS (
            SELECT 1 FROM claims c JOIN bookings b ON b.id = c.booking_id
            WHERE c.resource = 'room:' || r.id
              AND c.unit >= v_units[1] AND c.unit <= v_units[cardinality(v_units)]
              AND NOT (b.status IN ('held', 'pending_payment')
                       AND b.hold_expires_at IS NOT NULL AND b.hold_expires_at <= p_now))
        ORDER BY r.number
    LOOP
        IF o_booking_id IS NULL THEN
            o_resource := v_room;
            SELECT v_rate * cardinality(v_units) + coalesce(sum(o.nightly_rate - v_rate), 0)
            INTO o_amount FROM rate_overrides o
            WHERE o.room_type_id = p_room_type
              AND o.night >= p_check_in AND o.night < p_check_out;
            FOREACH o_reference IN ARRAY p_references LOOP
                INSERT INTO bookings (
                    reference, venue_id, guest_id, status, channel, party_size, room_type_id,
                    check_in, check_out, resources, amount, amount_paid, currency,
                    hold_expires_at, notes, created_at, updated_at)
                VALUES (
                    o_reference, p_venue, p_guest, 'held', p_channel, p_party, p_room_type,
                    p_check_in, p_check_out, json_build_array(v_room), o_amount, 0, p_currency,
                    p_expires, p_notes, p_now, p_now)
                ON CONFLICT ON CONSTRAINT uq_bookings_reference DO NOTHING
                RETURNING id INTO o_booking_id;
                EXIT WHEN o_booking_id IS NOT NULL;
            END LOOP;
            IF o_booking_id IS NULL THEN
                RAISE EXCEPTION 'could not allocate a unique booking reference';
            END IF;
        END IF;
        IF cardinality(v_units) = 1 THEN  -- one row goes in whole or not: no subtransaction
            INSERT INTO claims (booking_id, venue_id, resource, unit)
            VALUES (o_booking_id, p_venue, v_room, v_units[1])
            ON CONFLICT ON CONSTRAINT uq_claims_resource_unit DO NOTHING;
            GET DIAGNOSTICS v_taken = ROW_COUNT;
        ELSE
            BEGIN
                INSERT INTO claims (booking_id, venue_id, resource, unit)
                SELECT o_booking_id, p_venue, v_room, u FROM unnest(v_units) AS u ORDER BY u
                ON CONFLICT ON CONSTRAINT uq_claims_resource_unit DO NOTHING;
                GET DIAGNOSTICS v_taken = ROW_COUNT;
                IF v_taken < cardinality(v_units) THEN  -- undo this room's partial claim
                    RAISE EXCEPTION USING ERRCODE = 'BL001';
                END IF;
            EXCEPTION WHEN SQLSTATE 'BL001' THEN
                v_taken := 0;
            END;
        END IF;
        IF v_taken > 0 THEN
            IF v_room <> o_resource THEN
                o_resource := v_room;
                UPDATE bookings SET resources = json_build_array(v_room)
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
            WHERE c.resource = v_room AND c.unit = ANY (v_units)
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
        op.execute(f"DROP FUNCTION {OLD_HOLD_STAY_SIGNATURE}")
        op.execute(HOLD_STAY)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION {NEW_HOLD_STAY_SIGNATURE}")
        op.execute(_earlier("0014_hold_stay_audit").HOLD_STAY)


def _earlier(module: str) -> ModuleType:
    """An earlier migration of this folder, whose function the downgrade puts back."""
    return import_module(f"engine.migrations.versions.{module}")
