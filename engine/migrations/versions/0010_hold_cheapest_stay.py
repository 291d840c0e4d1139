"""a guest's cheapest free stay held in one statement (PostgreSQL)

``bookline_hold_cheapest_stay`` is ``engine.bookings.service.hold_cheapest_stay`` on the
server: the venue's row read in the same statement (no cached settings can be stale), the
stay's dates checked in the venue's time zone, the guest found or inserted by phone, then
the room types that sleep the party tried cheapest first with ``bookline_hold_stay``
(migration 0006), and the hold's audit row written. A collision with a lapsed hold expires
the lapsed holds on that type's rooms over the stay (with their audit rows, as the Python
path's lazy expiry does) and tries once more; the expiry stands only if that try holds.

One statement is atomic on its own, so a caller can run it without BEGIN and COMMIT. Claims
still go in only through ``UNIQUE(resource, unit)`` with ON CONFLICT DO NOTHING.
SQLite has no stored functions; there the Python path is the only one.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 09:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EXPIRE_LAPSED = """
CREATE FUNCTION bookline_expire_lapsed_stays(
    p_room_type integer, p_check_in date, p_check_out date, p_now timestamptz
) RETURNS integer[] LANGUAGE sql AS $$
    WITH lapsed AS (
        SELECT b.id, b.status FROM bookings b
        WHERE b.id IN (
            SELECT c.booking_id FROM claims c JOIN rooms r ON c.resource = 'room:' || r.id
            WHERE r.room_type_id = p_room_type
              AND c.unit >= to_char(p_check_in, 'YYYY-MM-DD')
              AND c.unit <= to_char(p_check_out - 1, 'YYYY-MM-DD'))
          AND b.status IN ('held', 'pending_payment')
          AND b.hold_expires_at IS NOT NULL AND b.hold_expires_at <= p_now
        ORDER BY b.id
        FOR UPDATE
    ), expired AS (
        UPDATE bookings b SET status = 'expired', updated_at = p_now
        FROM lapsed WHERE b.id = lapsed.id
    ), freed AS (
        DELETE FROM claims c USING lapsed WHERE c.booking_id = lapsed.id
    ), entries AS (
        INSERT INTO booking_events (booking_id, at, from_status, to_status, actor, reason,
                                    details)
        SELECT id, p_now, status, 'expired', 'system:lazy-expiry', 'hold time ran out', '{}'
        FROM lapsed
        RETURNING id
    )
    SELECT array_agg(id ORDER BY id) FROM entries
$$
"""

HOLD_CHEAPEST_STAY = """
CREATE FUNCTION bookline_hold_cheapest_stay(
    p_venue integer, p_phone text, p_party integer, p_check_in date, p_check_out date,
    p_now timestamptz, p_horizon_days integer, p_channel text, p_notes text, p_actor text,
    p_references text[],
    OUT o_outcome text, OUT o_guest_id integer, OUT o_booking_id integer,
    OUT o_reference text, OUT o_resource text, OUT o_amount integer,
    OUT o_room_type_id integer, OUT o_currency text, OUT o_expires timestamptz,
    OUT o_event_id integer, OUT o_expired_events integer[]
) LANGUAGE plpgsql AS $$
DECLARE
    v_venue record;
    v_today date;
    v_type integer;
    v_held record;
BEGIN
    SELECT business_id, kind, timezone, currency, hold_minutes INTO v_venue
    FROM venues WHERE id = p_venue;
    IF NOT FOUND THEN
        o_outcome := 'invalid';
        RETURN;
    END IF;
    v_today := (p_now AT TIME ZONE v_venue.timezone)::date;
    IF v_venue.kind <> 'hotel' OR p_check_in < v_today
       OR p_check_in > v_today + p_horizon_days THEN
        o_outcome := 'invalid';  -- the caller says why, as the Python path does
        RETURN;
    END IF;
    SELECT id INTO o_guest_id FROM guests
    WHERE business_id = v_venue.business_id AND phone = p_phone;
    IF o_guest_id IS NULL THEN
        INSERT INTO guests (business_id, phone, opted_out_sms, opted_out_whatsapp, created_at)
        VALUES (v_venue.business_id, p_phone, false, false, p_now)
        ON CONFLICT (business_id, phone) DO NOTHING RETURNING id INTO o_guest_id;
    END IF;
    IF o_guest_id IS NULL THEN  -- inserted by a concurrent first message: visible now
        SELECT id INTO o_guest_id FROM guests
        WHERE business_id = v_venue.business_id AND phone = p_phone;
    END IF;
    o_currency := v_venue.currency;
    o_expires := p_now + make_interval(mins => v_venue.hold_minutes);
    o_outcome := 'sold_out';
    FOR v_type IN
        SELECT id FROM room_types WHERE venue_id = p_venue AND capacity >= p_party
        ORDER BY nightly_rate, id
    LOOP
        SELECT * INTO v_held FROM bookline_hold_stay(
            p_venue, o_guest_id, v_type, p_party, p_check_in, p_check_out, p_now, o_expires,
            p_channel, o_currency, p_notes, p_references);
        IF v_held.o_outcome = 'lapsed' THEN
            BEGIN  -- the expiry stands only if the second try holds
                o_expired_events := bookline_expire_lapsed_stays(
                    v_type, p_check_in, p_check_out, p_now);
                SELECT * INTO v_held FROM bookline_hold_stay(
                    p_venue, o_guest_id, v_type, p_party, p_check_in, p_check_out, p_now,
                    o_expires, p_channel, o_currency, p_notes, p_references);
                IF v_held.o_outcome <> 'held' THEN
                    RAISE EXCEPTION USING ERRCODE = 'BL002';
                END IF;
            EXCEPTION WHEN SQLSTATE 'BL002' THEN
                o_expired_events := NULL;
            END;
        END IF;
        IF v_held.o_outcome = 'held' THEN
            o_outcome := 'held';
            o_booking_id := v_held.o_booking_id;
            o_reference := v_held.o_reference;
            o_resource := v_held.o_resource;
            o_amount := v_held.o_amount;
            o_room_type_id := v_type;
            INSERT INTO booking_events (booking_id, at, from_status, to_status, actor, reason,
                                        details)
            VALUES (o_booking_id, p_now, NULL, 'held', p_actor, 'hold placed', '{}')
            RETURNING id INTO o_event_id;
            RETURN;
        END IF;
    END LOOP;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(EXPIRE_LAPSED)
        op.execute(HOLD_CHEAPEST_STAY)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION bookline_hold_cheapest_stay")
        op.execute("DROP FUNCTION bookline_expire_lapsed_stays")
