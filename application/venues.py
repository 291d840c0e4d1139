"""Which venue an inbound message was sent to, remembered per process for a few seconds.

Every inbound message is routed by the number (or WhatsApp phone number id) it was sent to,
and venues almost never change those: a query per message was pure overhead. Only venues
found are remembered, for ``ttl`` seconds (5 by default):

* a number an owner has just assigned works at once (a miss is never remembered);
* a number moved to another venue, or removed, still routes to its old venue for at most
  ``ttl`` seconds in each API process — as messages already in flight at the change would;
* a venue deleted meanwhile makes the insert fail on its foreign key: the ingest path then
  forgets everything and routes again (``forget``).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy.orm import Session

from engine.tenants.service import venue_by_channel_address

DEFAULT_TTL_SECONDS = 5.0


class VenueDirectory:
    """Venue ids by (provider kind, address), each kept for ``ttl`` seconds after a lookup."""

    def __init__(
        self, *, ttl: float = DEFAULT_TTL_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl, self._clock = ttl, clock
        self._known: dict[tuple[bool, str], tuple[int, float]] = {}

    def venue_id(self, session: Session, *, whatsapp: bool, address: str) -> int | None:
        """The venue at ``address`` (a WhatsApp phone number id, else an SMS number), if any."""
        key = (whatsapp, address)
        now = self._clock()
        known = self._known.get(key)
        if known is not None and known[1] > now:
            return known[0]
        venue = (
            venue_by_channel_address(session, whatsapp_id=address)
            if whatsapp
            else venue_by_channel_address(session, sms_number=address)
        )
        if venue is None:
            self._known.pop(key, None)
            return None
        self._known[key] = (venue.id, now + self._ttl)
        return venue.id

    def forget(self) -> None:
        """Drop everything remembered (after a write that may have used a deleted venue)."""
        self._known.clear()
