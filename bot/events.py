"""Publishing live events (booking changes, handoffs) on Redis pub/sub for dashboards."""

from __future__ import annotations

import json
from typing import Any

from redis import Redis
from redis.client import Pipeline

EVENTS_CHANNEL = "bookline:events"


def publish(
    redis: Redis, kind: str, data: dict[str, Any], pipeline: Pipeline | None = None
) -> None:
    """Send one event to every subscriber (each API process relays it to its dashboards)."""
    target = pipeline if pipeline is not None else redis
    target.publish(EVENTS_CHANNEL, json.dumps({"type": kind, **data}, default=str))
