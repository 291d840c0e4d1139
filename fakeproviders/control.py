"""The fake's own control API under ``/_fake``: inspect what was sent, reset, set the knobs.

Used by simulators and by tests that run the fake in another process; in-process tests can use
``app.state.fake_state`` directly.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel

from fakeproviders.deps import ConfigDep, StateDep
from fakeproviders.state import Knobs, Provider

router = APIRouter(prefix="/_fake", tags=["fake control"])


class KnobsIn(BaseModel):
    """Knob changes; omitted fields keep their value. See ``state.Knobs`` for meanings."""

    fail_next: int | None = None
    fail_provider: Provider | None = None
    delay_seconds: float | None = None
    delay_provider: Provider | None = None
    hang_after_accept_seconds: float | None = None
    simulate_delivery: bool | None = None
    status_callbacks: bool | None = None
    status_step_seconds: float | None = None
    undeliverable: list[str] | None = None
    sms_opted_out: list[str] | None = None
    whatsapp_rate_limit_next: int | None = None
    whatsapp_window_closed: list[str] | None = None
    whatsapp_window_error: Literal["sync", "webhook"] | None = None
    razorpay_refund_outcome: Literal["processed", "failed"] | None = None


class TargetIn(BaseModel):
    """Where the product listens (known only after it started) and its public base URL."""

    app_url: str | None = None
    public_base_url: str | None = None


def knobs_json(knobs: Knobs) -> dict[str, Any]:
    """Knobs as JSON, number sets as sorted lists."""
    data = dataclasses.asdict(knobs)
    return {k: sorted(v) if isinstance(v, set) else v for k, v in data.items()}


@router.get("/messages")
async def list_sent(
    state: StateDep, to: str | None = None, provider: Provider | None = None
) -> dict[str, Any]:
    """Recorded outbound messages, oldest first (``to`` matches ignoring formatting)."""
    return {"messages": [m.to_json() for m in state.messages(provider=provider, to=to)]}


@router.get("/callbacks")
async def list_callbacks(state: StateDep, provider: Provider | None = None) -> dict[str, Any]:
    """Status callbacks the fake posted to the product, with the product's answers."""
    found = state.callbacks(provider=provider)
    return {"callbacks": [dataclasses.asdict(c) for c in found]}


@router.get("/inbound")
async def list_inbound(state: StateDep) -> dict[str, Any]:
    """Guest messages simulated through ``/_fake/inbound/*``."""
    return {"inbound": [dataclasses.asdict(r) for r in state.inbound()]}


@router.post("/reset")
async def reset(state: StateDep) -> dict[str, Any]:
    """Forget everything and restore the starting knobs."""
    state.reset()
    return {"ok": True, "knobs": knobs_json(state.knobs())}


@router.get("/faults")
async def get_faults(state: StateDep) -> dict[str, Any]:
    """The current knobs."""
    return knobs_json(state.knobs())


@router.post("/faults")
async def set_faults(changes: KnobsIn, state: StateDep) -> dict[str, Any]:
    """Change some knobs; answers the full new set."""
    given = changes.model_dump(exclude_unset=True)
    updates = {k: set(v) if isinstance(v, list) else v for k, v in given.items()}
    return knobs_json(state.update_knobs(**updates))


@router.post("/target")
async def set_target(target: TargetIn, config: ConfigDep) -> dict[str, Any]:
    """Point callbacks and simulated inbound at a product started after the fake."""
    for name, value in target.model_dump(exclude_unset=True).items():
        setattr(config, name, value)
    return {"app_url": config.app_url, "public_base_url": config.public_base_url}
