-- The fair hold: exactly one engine hold attempt done the cheapest way PostgreSQL allows, in
-- one round trip. Find or create the guest; take the cheapest room type sleeping the party
-- that has a room free for every night (claims of lapsed holds ignored); price the stay with
-- its rate overrides; insert the booking under the first free reference; claim every night
-- of one room under UNIQUE(resource, unit), all or none (a subtransaction undoes a partial
-- claim, as the engine's savepoint does), trying that type's free rooms in number order; write
-- the audit row. Returns the booking id, or NULL when nothing could be held (nothing written
-- but the guest). engine_contention.py runs it beside the engine; it is not part of the product.
CREATE FUNCTION fair_hold(
    p_business integer, p_phone text, p_venue integer, p_party integer,
    p_check_in date, p_check_out date, p_now timestamptz, p_refs text[]
) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    v_guest integer;
    v_type record;
    v_room text;
    v_units text[];
    v_amount integer;
    v_booking integer;
    v_ref text;
    v_taken integer;
    v_tried boolean := false;
    v_first text;
BEGIN
    INSERT INTO guests (business_id, phone, opted_out_sms, opted_out_whatsapp, created_at)
    VALUES (p_business, p_phone, false, false, p_now)
    ON CONFLICT (business_id, phone) DO NOTHING RETURNING id INTO v_guest;
    IF v_guest IS NULL THEN
        SELECT id INTO v_guest FROM guests WHERE business_id = p_business AND phone = p_phone;
    END IF;
    SELECT array_agg(to_char(d, 'YYYY-MM-DD') ORDER BY d) INTO v_units
    FROM generate_series(p_check_in, p_check_out - 1, interval '1 day') AS d;
    FOR v_type IN
        SELECT id, nightly_rate FROM room_types
        WHERE venue_id = p_venue AND capacity >= p_party ORDER BY nightly_rate, id
    LOOP
        FOR v_room IN
            SELECT 'room:' || r.id FROM rooms r
            WHERE r.room_type_id = v_type.id AND r.active AND NOT EXISTS (
                SELECT 1 FROM claims c JOIN bookings b ON b.id = c.booking_id
                WHERE c.resource = 'room:' || r.id
                  AND c.unit >= v_units[1] AND c.unit <= v_units[cardinality(v_units)]
                  AND NOT (b.status IN ('held', 'pending_payment')
                           AND b.hold_expires_at IS NOT NULL AND b.hold_expires_at <= p_now))
            ORDER BY r.number
        LOOP
            v_tried := true;
            IF v_booking IS NULL THEN
                v_first := v_room;
                SELECT v_type.nightly_rate * cardinality(v_units)
                       + coalesce(sum(o.nightly_rate - v_type.nightly_rate), 0)
                INTO v_amount FROM rate_overrides o
                WHERE o.room_type_id = v_type.id
                  AND o.night >= p_check_in AND o.night < p_check_out;
                FOREACH v_ref IN ARRAY p_refs LOOP
                    INSERT INTO bookings (
                        reference, venue_id, guest_id, status, channel, party_size,
                        room_type_id, check_in, check_out, resources, amount, amount_paid,
                        currency, hold_expires_at, notes, created_at, updated_at)
                    SELECT v_ref, p_venue, v_guest, 'held', 'whatsapp', p_party, v_type.id,
                           p_check_in, p_check_out, json_build_array(v_room), v_amount, 0,
                           v.currency, p_now + make_interval(mins => v.hold_minutes), '',
                           p_now, p_now
                    FROM venues v WHERE v.id = p_venue
                    ON CONFLICT (reference) DO NOTHING RETURNING id INTO v_booking;
                    EXIT WHEN v_booking IS NOT NULL;
                END LOOP;
            END IF;
            IF cardinality(v_units) = 1 THEN
                INSERT INTO claims (booking_id, venue_id, resource, unit)
                VALUES (v_booking, p_venue, v_room, v_units[1])
                ON CONFLICT (resource, unit) DO NOTHING;
                GET DIAGNOSTICS v_taken = ROW_COUNT;
            ELSE
                BEGIN
                    INSERT INTO claims (booking_id, venue_id, resource, unit)
                    SELECT v_booking, p_venue, v_room, u FROM unnest(v_units) AS u ORDER BY u
                    ON CONFLICT (resource, unit) DO NOTHING;
                    GET DIAGNOSTICS v_taken = ROW_COUNT;
                    IF v_taken < cardinality(v_units) THEN
                        RAISE EXCEPTION USING ERRCODE = 'BLF01';
                    END IF;
                EXCEPTION WHEN SQLSTATE 'BLF01' THEN
                    v_taken := 0;
                END;
            END IF;
            IF v_taken = cardinality(v_units) THEN
                IF v_room <> v_first THEN
                    UPDATE bookings SET resources = json_build_array(v_room) WHERE id = v_booking;
                END IF;
                INSERT INTO booking_events (booking_id, at, from_status, to_status, actor,
                                            reason, details)
                VALUES (v_booking, p_now, NULL, 'held', 'bench', 'hold placed', '{}');
                RETURN v_booking;
            END IF;
        END LOOP;
        EXIT WHEN v_tried;
    END LOOP;
    IF v_booking IS NOT NULL THEN
        DELETE FROM bookings WHERE id = v_booking;
    END IF;
    RETURN NULL;
END
$$;

-- The fair search turn: what the bot's search turn must learn, the cheapest way, in one round
-- trip. Find or create the guest; the cheapest room type sleeping the party that has a room
-- free for every night (claims of lapsed holds ignored), or NULL. With fair_hold as the yes
-- turn, it is the bot's two turns done as cheaply as PostgreSQL allows (engine_contention's
-- "fair turns": the ceiling of a path that offers before it holds).
CREATE FUNCTION fair_offer(
    p_business integer, p_phone text, p_venue integer, p_party integer,
    p_check_in date, p_check_out date, p_now timestamptz
) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    v_first text := to_char(p_check_in, 'YYYY-MM-DD');
    v_last text := to_char(p_check_out - 1, 'YYYY-MM-DD');
BEGIN
    INSERT INTO guests (business_id, phone, opted_out_sms, opted_out_whatsapp, created_at)
    VALUES (p_business, p_phone, false, false, p_now)
    ON CONFLICT (business_id, phone) DO NOTHING;
    RETURN (
        SELECT t.id FROM room_types t
        WHERE t.venue_id = p_venue AND t.capacity >= p_party AND EXISTS (
            SELECT 1 FROM rooms r
            WHERE r.room_type_id = t.id AND r.active AND NOT EXISTS (
                SELECT 1 FROM claims c JOIN bookings b ON b.id = c.booking_id
                WHERE c.resource = 'room:' || r.id AND c.unit >= v_first AND c.unit <= v_last
                  AND NOT (b.status IN ('held', 'pending_payment')
                           AND b.hold_expires_at IS NOT NULL AND b.hold_expires_at <= p_now)))
        ORDER BY t.nightly_rate, t.id LIMIT 1
    );
END
$$;
