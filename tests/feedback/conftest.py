"""After-the-visit tests talk to a live app (and live workers on the real stack), like the
dialogue tests: the visit is booked through the engine, the sweep is called with the time it
would run at, and the guest answers over signed webhooks."""

from __future__ import annotations

from tests.dialogue.conftest import guest_factory, stack  # noqa: F401 - shared fixtures
