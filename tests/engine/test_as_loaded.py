"""``as_loaded``: a row read through Core becomes the session's object as a query would have
loaded it: clean, its changes written back as an UPDATE, its relationships loading lazily,
and the object the session already holds returned as it is. ``as_stored`` does the same for
a row just stored, given by column name, and refuses one that leaves a column out."""

from __future__ import annotations

from typing import cast

import pytest
from sqlalchemy import Table, select
from sqlalchemy.orm import Session, sessionmaker

from engine.db import as_loaded, as_stored, transaction
from engine.guests.models import Guest
from engine.tenants.models import Venue
from tests.engine.conftest import Demo

GUESTS = cast(Table, Guest.__table__)
VENUES = cast(Table, Venue.__table__)


def test_a_row_becomes_a_clean_object_whose_changes_are_written(
    sessions: sessionmaker[Session], demo: Demo
) -> None:
    with transaction(sessions) as session:
        row = session.connection().execute(select(GUESTS).where(GUESTS.c.id == demo.guest.id)).one()
        guest = as_loaded(session, Guest, row)
        assert guest in session and not session.dirty and not session.new
        assert (guest.phone, guest.name, guest.created_at) == (
            demo.guest.phone,
            demo.guest.name,
            demo.guest.created_at,
        )
        guest.name = "Asha Rao"
        assert session.dirty
    with transaction(sessions) as session:
        stored = session.get(Guest, demo.guest.id)
        assert stored is not None and stored.name == "Asha Rao"


def test_relationships_load_lazily_and_a_held_object_is_kept(
    sessions: sessionmaker[Session], demo: Demo
) -> None:
    with transaction(sessions) as session:
        row = session.connection().execute(select(VENUES).where(VENUES.c.id == demo.hotel.id)).one()
        venue = as_loaded(session, Venue, row)
        assert venue.business.id == demo.hotel.business_id
        assert as_loaded(session, Venue, row) is venue
        assert session.get(Venue, demo.hotel.id) is venue


def test_a_stored_row_needs_every_column_and_becomes_a_clean_object(
    sessions: sessionmaker[Session], demo: Demo
) -> None:
    with transaction(sessions) as session:
        row = session.connection().execute(select(GUESTS).where(GUESTS.c.id == demo.guest.id)).one()
        values = dict(row._mapping)
        with pytest.raises(ValueError, match="every column"):
            as_stored(session, Guest, {k: v for k, v in values.items() if k != "name"})
        assert not session.identity_map
        guest = as_stored(session, Guest, values)
        assert guest in session and not session.dirty and not session.new
        assert session.get(Guest, demo.guest.id) is guest
        guest.name = "Asha Rao"
    with transaction(sessions) as session:
        stored = session.get(Guest, demo.guest.id)
        assert stored is not None and stored.name == "Asha Rao"
